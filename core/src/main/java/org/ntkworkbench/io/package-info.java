/**
 * Files of the workbench: NumPy NPY/NPZ arrays (our own reader and writer, no library), numeric CSV
 * tables and JSON (Jackson 3), all behind the {@link org.ntkworkbench.io.ArrayIO} service.
 *
 * <p>Contracts: NPY format 1.0–3.0 is read (float64/32, (u)int8–64, bool, little-endian, C or Fortran
 * order); float64 C-order is written byte-identical to {@code np.save}. Every write goes to a temporary
 * sibling and is renamed into place ({@link org.ntkworkbench.io.AtomicFiles}). Bad files raise
 * {@link org.ntkworkbench.io.ArrayFileException} (an {@code IOException}) with a one-line message
 * {@code "<file>: <problem>"}. Kernels larger than the heap are written and read through memory maps
 * ({@link org.ntkworkbench.io.MappedNpyWriter}, {@link org.ntkworkbench.io.MappedNpy}).
 */
package org.ntkworkbench.io;
