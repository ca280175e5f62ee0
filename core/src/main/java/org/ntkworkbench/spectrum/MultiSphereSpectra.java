package org.ntkworkbench.spectrum;

import org.ntkworkbench.tensor.Blas;

/**
 * Eigenvalues of multi-dot-product kernels on products of spheres (Geifman et al. 2022). By
 * Funk–Hecke in each position, λ(k₁, …, k_p) = E[f(t₁, …, t_p) Π_j P_{k_j}^{(c)}(t_j)] with the t_j
 * independent, each distributed as ⟨x, e⟩ for x uniform on S^{c−1}. Both methods evaluate f on a
 * tensor grid and contract one axis at a time with a (K+1) × L matrix through gemm (which also
 * rotates the axes, so after p contractions they are back in order): O(p L^p (K+1)) work.
 */
public final class MultiSphereSpectra {
    private MultiSphereSpectra() {}

    /** Largest grid (points) evaluated: 2^28 doubles = 2 GiB. */
    static final long MAX_GRID = 1L << 28;

    /**
     * c = 2 (every position on the circle): λ(k) is the multi-dimensional Fourier cosine coefficient
     * ∫ f(cos θ₁, …, cos θ_p) Π cos(k_j θ_j) dθ/(2π)^p, computed exactly as the M-point periodic DFT
     * (trapezoidal rule; aliasing from frequencies ≥ M − K is the only error). Because f(cos θ) is even
     * in each angle, only the M/2 + 1 angles in [0, π] are evaluated (a DCT-I per axis). Needs even
     * M ≥ 2K + 2.
     */
    public static MultiSphereSpectrum circles(MultiDotProductKernel f, int p, int maxDegree, int gridSize) {
        if (gridSize % 2 != 0 || gridSize < 2 * maxDegree + 2) {
            throw new IllegalArgumentException("circle grid: need even gridSize >= 2K+2 = " + (2 * maxDegree + 2) + ", got " + gridSize);
        }
        int l = gridSize / 2 + 1;
        double[] t = new double[l];
        double[] b = new double[(maxDegree + 1) * l];
        for (int m = 0; m < l; m++) {
            double theta = 2 * Math.PI * m / gridSize;
            t[m] = Math.cos(theta);
            double w = (m == 0 || m == l - 1) ? 1.0 / gridSize : 2.0 / gridSize;
            for (int k = 0; k <= maxDegree; k++) {
                // cos(kθ) with the exact integer angle index keeps the table symmetric to the bit.
                b[k * l + m] = w * Math.cos(2 * Math.PI * (((long) k * m) % gridSize) / gridSize);
            }
        }
        double[] vals = contract(f, p, t, b, maxDegree + 1);
        return new MultiSphereSpectrum(2, p, maxDegree, vals, "cosine-transform M=" + gridSize);
    }

    /**
     * c ≥ 2: tensor-product m-point Gauss–Gegenbauer quadrature (weight (1−t²)^{(c−3)/2}, exact for
     * polynomials of degree ≤ 2m−1 in each variable). Accurate when f is smooth on [−1,1]^p; for
     * arc-cosine type kernels convergence in m is algebraic.
     */
    public static MultiSphereSpectrum gegenbauer(MultiDotProductKernel f, int c, int p, int maxDegree, int nodes) {
        QuadratureRule rule = QuadratureRule.gaussGegenbauer(c, nodes);
        return withRule(f, c, p, maxDegree, rule, "gauss-gegenbauer m=" + nodes);
    }

    /**
     * c ≥ 2: tensor product of the angular rule {@link QuadratureRule#sphereTheta}(c, P, 12, 4) per axis
     * with P = max(panels, K/2 + 2) uniform panels (12 (P + 8) nodes): t = cos θ makes arc-cosine terms
     * smooth, so ReLU-type kernels converge fast (measured on (S²)² with K = 8: 96 angular nodes per axis
     * give 4e-11, 180 give 1e-15, where Gauss–Gegenbauer with 128 nodes is still off by 2e-8), and
     * 12-point panels no wider than 2π/K resolve P_K to rounding.
     */
    public static MultiSphereSpectrum angular(MultiDotProductKernel f, int c, int p, int maxDegree, int panels) {
        int uniform = Math.max(panels, maxDegree / 2 + 2);
        QuadratureRule rule = QuadratureRule.sphereTheta(c, uniform, 12, 4);
        return withRule(f, c, p, maxDegree, rule, "angular panels=" + uniform + " (" + rule.size() + " nodes)");
    }

    /** As {@link #gegenbauer} with any sphere rule for S^{c−1} (weights summing to 1). */
    public static MultiSphereSpectrum withRule(MultiDotProductKernel f, int c, int p, int maxDegree,
                                               QuadratureRule rule, String method) {
        int l = rule.size();
        double[] b = new double[(maxDegree + 1) * l];
        double[] pk = new double[maxDegree + 1];
        for (int i = 0; i < l; i++) {
            SpecialFunctions.gegenbauerNearEnds(c, maxDegree, rule.nodes()[i], rule.complements()[i], pk, 0);
            for (int k = 0; k <= maxDegree; k++) {
                b[k * l + i] = rule.weights()[i] * pk[k];
            }
        }
        double[] vals = contract(f, p, rule.nodes(), b, maxDegree + 1);
        return new MultiSphereSpectrum(c, p, maxDegree, vals, method);
    }

    /**
     * Monte Carlo estimates with standard errors, for selected degree tuples when the tensor grid is too
     * large (many positions): λ(k) = E[f(t) Π_j P_{k_j}^{(c)}(t_j)] with t_j = ⟨x_j, e⟩ for independent
     * x_j uniform on S^{c−1} (drawn as normalised Gaussians), averaged over {@code samples} draws. The
     * standard error is the sample standard deviation over √samples.
     *
     * @param tuples degree tuples, each of length p
     * @return estimates in the order of {@code tuples}
     */
    public static MonteCarloEstimate monteCarlo(MultiDotProductKernel f, int c, int p, int[][] tuples, int samples, long seed) {
        SpecialFunctions.requireDimension(c);
        if (samples < 2) {
            throw new IllegalArgumentException("monteCarlo: need at least 2 samples, got " + samples);
        }
        int maxDegree = 0;
        for (int[] k : tuples) {
            if (k.length != p) {
                throw new IllegalArgumentException("monteCarlo: tuple " + java.util.Arrays.toString(k) + " does not have p=" + p + " degrees");
            }
            for (int kj : k) {
                if (kj < 0) {
                    throw new IllegalArgumentException("monteCarlo: negative degree in " + java.util.Arrays.toString(k));
                }
                maxDegree = Math.max(maxDegree, kj);
            }
        }
        org.ntkworkbench.tensor.SeededRandom rng = org.ntkworkbench.tensor.SeededRandom.derived(seed, "multi-sphere-mc");
        double[] t = new double[p];
        double[] x = new double[c];
        double[][] poly = new double[p][maxDegree + 1];
        double[] sum = new double[tuples.length];
        double[] sumSq = new double[tuples.length];
        for (int s = 0; s < samples; s++) {
            for (int j = 0; j < p; j++) {
                double norm;
                do {
                    rng.fillGaussian(x);
                    norm = 0;
                    for (double v : x) {
                        norm += v * v;
                    }
                } while (norm == 0);
                t[j] = x[0] / Math.sqrt(norm);
                SpecialFunctions.gegenbauer(c, maxDegree, t[j], poly[j], 0);
            }
            double fv = f.value(t);
            for (int i = 0; i < tuples.length; i++) {
                double v = fv;
                for (int j = 0; j < p; j++) {
                    v *= poly[j][tuples[i][j]];
                }
                sum[i] += v;
                sumSq[i] += v * v;
            }
        }
        double[] mean = new double[tuples.length];
        double[] se = new double[tuples.length];
        for (int i = 0; i < tuples.length; i++) {
            mean[i] = sum[i] / samples;
            double var = Math.max(0, (sumSq[i] - samples * mean[i] * mean[i]) / (samples - 1));
            se[i] = Math.sqrt(var / samples);
        }
        return new MonteCarloEstimate(tuples, mean, se, samples);
    }

    /** Σ over the grid t^{⊗p} of f · Π_j B[k_j, i_j] for all k, by p gemm contractions. */
    static double[] contract(MultiDotProductKernel f, int p, double[] t, double[] b, int kk) {
        if (p < 1) {
            throw new IllegalArgumentException("number of positions p must be >= 1, got " + p);
        }
        int l = t.length;
        double points = Math.pow(l, p);
        if (points > MAX_GRID) {
            throw new IllegalArgumentException("grid of " + l + "^" + p + " = " + (long) points
                    + " points is too large (max " + MAX_GRID + "); lower the resolution or p");
        }
        int size = (int) points;
        double[] x = new double[size];
        double[] arg = new double[p];
        int[] idx = new int[p];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < p; j++) {
                arg[j] = t[idx[j]];
            }
            double v = f.value(arg);
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("kernel function is not finite at t=" + java.util.Arrays.toString(arg) + ": " + v);
            }
            x[i] = v;
            for (int j = p - 1; j >= 0; j--) {
                if (++idx[j] < l) {
                    break;
                }
                idx[j] = 0;
            }
        }
        // Each step: X viewed as (L_first, R) -> Y = Xᵀ Bᵀ of shape (R, K+1): first axis contracted and
        // moved last.
        int first = l;
        long rest = size / l;
        for (int step = 0; step < p; step++) {
            double[] y = new double[(int) (rest * kk)];
            Blas.gemm(true, true, (int) rest, kk, first, 1.0, x, b, 0.0, y);
            x = y;
            if (step < p - 1) {
                // The new first axis is an untouched one of length L; the rest includes the new K+1 axis.
                rest = rest / l * kk;
                first = l;
            }
        }
        return x;
    }
}
