/**
 * Empirical (finite-width) kernels of networks built from {@link org.ntkworkbench.nn.Layer}s.
 *
 * <ul>
 *   <li>{@link org.ntkworkbench.model.empirical.EmpiricalNtk}: {@code Θ = J(x1) J(x2)ᵀ} at given
 *       parameters, by one of the {@link org.ntkworkbench.model.empirical.NtkMethod}s (Jacobian
 *       contraction, structured derivatives of dense/conv layers, NTK–vector products), output-traced
 *       (mean over output units, the default) or full; the per-example Jacobian; seed averages.</li>
 *   <li>{@link org.ntkworkbench.model.empirical.NtkOperator}: {@code v ↦ Θv} without forming {@code Θ},
 *       by a VJP and a JVP.</li>
 *   <li>{@link org.ntkworkbench.model.empirical.EmpiricalNngp}: {@code f(x1) f(x2)ᵀ / k} and its Monte
 *       Carlo mean over seeds with standard errors
 *       ({@link org.ntkworkbench.model.empirical.KernelEstimate}).</li>
 * </ul>
 * Kernels between {@code x1 (n1, …)} and {@code x2 (n2, …)} are {@code (n1, n2)}; with {@code x2}
 * omitted they are symmetric to the last bit (DESIGN.md). Heavy work goes to BLAS; independent blocks
 * run on a small thread pool.
 */
package org.ntkworkbench.model.empirical;

