package org.ntkworkbench.spectrum;

import java.util.function.DoubleUnaryOperator;

/**
 * Spectral analysis service: eigen-decompositions of symmetric (kernel) matrices and implicit
 * operators, and eigenvalues of dot-product and multi-dot-product kernels on spheres. Works on plain
 * functions and arrays; models are wired to it elsewhere.
 */
public interface Spectra {

    /**
     * All eigenvalues of the symmetric row-major {@code n×n} matrix {@code a} in descending order and,
     * if {@code vectors}, the eigenvectors as columns of a row-major (n, n) array. {@code a} is not modified.
     */
    EigenDecomposition eigh(double[] a, int n, boolean vectors);

    /**
     * All eigenvalues (descending, no vectors) of the symmetric row-major {@code n×n} matrix {@code a}, which the
     * call may overwrite: for a caller that owns the array and needs it no more (saves an n² copy; {@code ntk eigen}).
     */
    default EigenDecomposition eigenvaluesOverwriting(double[] a, int n) {
        return eigh(a, n, false);
    }

    /**
     * The k largest eigenvalues (descending) and optionally eigenvectors of the symmetric {@code n×n}
     * matrix {@code a}: a dense decomposition for small n, the block Krylov solver otherwise.
     */
    EigenDecomposition topK(double[] a, int n, int k, boolean vectors);

    /** The k largest eigenpairs of an implicit symmetric operator (block Krylov, see {@link TopKOptions}). */
    EigenDecomposition topK(SymmetricOperator op, int k, boolean vectors, TopKOptions options);

    /**
     * Funk–Hecke eigenvalues μ_0 … μ_K of the dot-product kernel κ(⟨x, x'⟩) on S^{d−1} (uniform
     * probability measure) with multiplicities N(d, k) and quadrature error estimates.
     */
    SphereSpectrum sphere(DoubleUnaryOperator kappa, int d, int maxDegree);

    /** Power-law fit μ_k ~ k^{−s} over the non-zero degrees of one parity in [kMin, kMax], with a 95% CI. */
    DecayFit decay(SphereSpectrum spectrum, int kMin, int kMax, DecayFit.Parity parity);

    /**
     * Eigenvalues of a multi-dot-product kernel f(⟨x₁,x'₁⟩, …, ⟨x_p,x'_p⟩) on (S^{c−1})^p for all degree
     * tuples with entries ≤ K: for c = 2 by a separable cosine transform on an angle grid of
     * {@code resolution} points per axis (even, ≥ 2K+2; only the resolution/2 + 1 angles in [0, π]
     * are evaluated), for c > 2 by the tensor-product angular rule of
     * {@link MultiSphereSpectra#angular} with at least {@code resolution} panels (raised to K/2 + 2;
     * 12 (panels + 8) nodes per axis). The grid has (points per axis)^p entries, at most 2^28; for more positions
     * use {@link MultiSphereSpectra#monteCarlo}.
     */
    MultiSphereSpectrum multiSphere(MultiDotProductKernel f, int c, int p, int maxDegree, int resolution);

    /**
     * Nyström eigenpairs (top k) of the operator f ↦ ∫ κ(⟨x, z⟩) f(z) p(z) dz from n samples of p on
     * S^{d−1} (row-major (n, d) unit vectors).
     */
    Nystrom nystrom(double[] points, int n, int d, DoubleUnaryOperator kappa, int k);
}
