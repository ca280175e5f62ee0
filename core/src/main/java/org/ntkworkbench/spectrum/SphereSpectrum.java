package org.ntkworkbench.spectrum;

import java.util.stream.IntStream;

/**
 * The spectrum of a dot-product kernel κ(⟨x, x'⟩) on S^{d−1} w.r.t. the uniform probability measure:
 * degree k has eigenvalue μ_k shared by N(d, k) spherical harmonics.
 *
 * @param dimension      d (the sphere is S^{d−1} ⊂ ℝ^d)
 * @param eigenvalues    μ_0 … μ_K
 * @param multiplicities N(d, 0) … N(d, K) as doubles
 * @param errorEstimates |μ_k(rule A) − μ_k(rule B)| for two independent quadratures (0 when not estimated)
 */
public record SphereSpectrum(int dimension, double[] eigenvalues, double[] multiplicities, double[] errorEstimates) {

    /** Relative threshold below which a degree counts as zero (DESIGN.md): |μ_k| < 1e-13 · max|μ|. */
    public static final double ZERO_RELATIVE = 1e-13;

    /** K, the largest degree computed. */
    public int maxDegree() {
        return eigenvalues.length - 1;
    }

    /** μ_k. */
    public double eigenvalue(int k) {
        return eigenvalues[k];
    }

    /** max_k |μ_k|. */
    public double maxAbs() {
        double m = 0;
        for (double v : eigenvalues) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Whether degree k counts as zero: |μ_k| < 1e-13 · max|μ|. */
    public boolean isZero(int k) {
        return Math.abs(eigenvalues[k]) < ZERO_RELATIVE * maxAbs();
    }

    /** Degrees that count as zero, ascending. */
    public int[] zeroDegrees() {
        return IntStream.rangeClosed(0, maxDegree()).filter(this::isZero).toArray();
    }

    /** Degrees that do not count as zero, ascending. */
    public int[] nonZeroDegrees() {
        return IntStream.rangeClosed(0, maxDegree()).filter(k -> !isZero(k)).toArray();
    }

    /**
     * The operator's eigenvalues in descending order, each μ_k repeated N(d, k) times, the first
     * {@code count} of them (degrees beyond K are unknown, so the list stops at what K covers).
     */
    public double[] expandedDescending(int count) {
        java.util.List<double[]> pairs = new java.util.ArrayList<>();
        for (int k = 0; k <= maxDegree(); k++) {
            pairs.add(new double[] {eigenvalues[k], multiplicities[k]});
        }
        pairs.sort((a, b) -> Double.compare(b[0], a[0]));
        double[] out = new double[count];
        int n = 0;
        for (double[] p : pairs) {
            for (long r = 0; r < p[1] && n < count; r++) {
                out[n++] = p[0];
            }
            if (n == count) {
                break;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
