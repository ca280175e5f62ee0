/**
 * Memory planning: one place ({@link org.ntkworkbench.memory.MemoryPlanner}) decides whether a big
 * array is computed in memory, blockwise into a memory-mapped file, or refused in one line naming the
 * knobs ({@code --memory}, {@code NTK_JAVA_OPTS}, {@code --engine spark}). Depends on nothing else in
 * the workbench, so every layer (I/O, kernels, solvers, commands) can ask it.
 */
package org.ntkworkbench.memory;
