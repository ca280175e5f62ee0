/**
 * Kernel solves beyond one in-memory factorisation: {@link org.ntkworkbench.solve.ConjugateGradients}
 * (several right-hand sides sharing one blocked operator product, optionally preconditioned),
 * {@link org.ntkworkbench.solve.Falkon} (Nyström centres with the FALKON preconditioner, Rudi et al.
 * 2017 and Meanti et al. 2020, recomputing nothing but one pass over stored {@code K(X, C)} blocks per
 * iteration, float32 storage with float64 accumulation as an option), and
 * {@link org.ntkworkbench.solve.BlockedCholesky} (a right-looking tiled Cholesky factorisation whose
 * tiles live in a file, so the matrix may exceed the heap). Every solver reports what it did in a
 * {@link org.ntkworkbench.solve.SolveReport} (method, tolerance, iterations, residual) for the
 * manifest, and its progress with an ETA through a {@link org.ntkworkbench.solve.ProgressBar}.
 */
package org.ntkworkbench.solve;
