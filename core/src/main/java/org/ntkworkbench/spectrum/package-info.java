/**
 * Spectral analysis of kernels on plain functions and arrays.
 *
 * <ul>
 *   <li>{@link org.ntkworkbench.spectrum.Spectra} (service, implemented by
 *       {@link org.ntkworkbench.spectrum.NativeSpectra}): dense symmetric eigen-decompositions (LAPACK
 *       dsyevd), top-k eigenpairs of large or implicit symmetric operators
 *       ({@link org.ntkworkbench.spectrum.SymmetricOperator}, block Krylov solver
 *       {@link org.ntkworkbench.spectrum.BlockKrylovEigensolver}), Funk–Hecke spectra of dot-product
 *       kernels on S^{d−1} ({@link org.ntkworkbench.spectrum.FunkHecke},
 *       {@link org.ntkworkbench.spectrum.SphereSpectrum}), decay fits
 *       ({@link org.ntkworkbench.spectrum.DecayFit}), multi-dot-product kernels on products of spheres
 *       ({@link org.ntkworkbench.spectrum.MultiSphereSpectra}) and Nyström eigenfunctions under a data
 *       density ({@link org.ntkworkbench.spectrum.Nystrom}).</li>
 *   <li>Conventions (DESIGN.md): eigenvalues descending; eigenvectors are columns of row-major
 *       (n, k) arrays; sphere eigenvalues are w.r.t. the uniform probability measure; degrees (or degree
 *       tuples) with |μ| &lt; 1e-13 · max|μ| count as zero.</li>
 * </ul>
 */
package org.ntkworkbench.spectrum;
