package org.ntkworkbench.data;

import org.ntkworkbench.tensor.SeededRandom;
import org.ntkworkbench.tensor.Tensor;

/**
 * Input samplers. Every random sampler takes an explicit seed and gives the same bits for the same
 * seed on every run (draws come from {@link SeededRandom}, not from thread-dependent sources).
 * Examples are on the first axis.
 */
public final class Samplers {
    private Samplers() {
    }

    /**
     * n points uniform on the sphere S^{d−1} ⊂ R^d, shape (n, d): standard Gaussian vectors divided by
     * their norm (the Gaussian is rotation invariant, so the direction is uniform). Row i is the
     * normalised row i of {@link #gaussian(int, int, long)} with the same seed.
     */
    public static Tensor sphere(int n, int d, long seed) {
        checkCount(n, "n");
        checkCount(d, "d");
        if (d == 0) {
            throw new IllegalArgumentException("the sphere S^{d-1} needs d >= 1, got d = 0");
        }
        double[] x = gaussian(n, d, seed).data();
        for (int i = 0; i < n; i++) {
            if (!normaliseRow(x, i * d, d)) {
                // an all-zero Gaussian row has probability ~0; redraw it from a derived stream
                double[] row = new double[d];
                SeededRandom extra = SeededRandom.derived(seed, "sphere-redraw-" + i);
                do {
                    extra.fillGaussian(row);
                    System.arraycopy(row, 0, x, i * d, d);
                } while (!normaliseRow(x, i * d, d));
            }
        }
        return Tensor.of(x, n, d);
    }

    /** n standard Gaussian vectors N(0, I_d), shape (n, d). */
    public static Tensor gaussian(int n, int d, long seed) {
        checkCount(n, "n");
        checkCount(d, "d");
        return Tensor.randn(seed, n, d);
    }

    /** n Gaussian vectors N(mean, std² I_d), shape (n, d). */
    public static Tensor gaussian(int n, int d, double mean, double std, long seed) {
        if (!(std >= 0) || Double.isInfinite(std) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("Gaussian needs a finite mean and std >= 0, got mean " + mean + ", std " + std);
        }
        return gaussian(n, d, seed).map(v -> mean + std * v);
    }

    /** n independent draws uniform on [lo, hi), shape (n, 1). */
    public static Tensor uniform(int n, double lo, double hi, long seed) {
        checkCount(n, "n");
        checkInterval(lo, hi);
        return Tensor.uniform(seed, lo, hi, n, 1);
    }

    /** n independent points uniform in the box [lo, hi)^d, shape (n, d). */
    public static Tensor uniformBox(int n, int d, double lo, double hi, long seed) {
        checkCount(n, "n");
        checkCount(d, "d");
        checkInterval(lo, hi);
        return Tensor.uniform(seed, lo, hi, n, d);
    }

    /** n evenly spaced points from lo to hi inclusive (the values of {@code np.linspace(lo, hi, n)}), shape (n, 1). */
    public static Tensor grid(int n, double lo, double hi) {
        checkCount(n, "n");
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("grid ends must be finite, got [" + lo + ", " + hi + "]");
        }
        double[] x = new double[n];
        double step = n > 1 ? (hi - lo) / (n - 1) : 0;
        for (int i = 0; i < n; i++) {
            // i*step + lo as np.linspace computes it, with the last point exactly hi
            x[i] = i == n - 1 && n > 1 ? hi : i * step + lo;
        }
        return Tensor.of(x, n, 1);
    }

    /** n points (cos θ_i, sin θ_i) at the equally spaced angles θ_i = 2πi/n, shape (n, 2). */
    public static Tensor circleGrid(int n) {
        checkCount(n, "n");
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double theta = 2 * Math.PI * i / n;
            xy[2 * i] = Math.cos(theta);
            xy[2 * i + 1] = Math.sin(theta);
        }
        return Tensor.of(xy, n, 2);
    }

    /** n points on the circle with a piecewise-constant density over equal arcs (see {@link CircleDensity}). */
    public static CircleSample circle(int n, double[] pieceWeights, long seed) {
        return new CircleDensity(pieceWeights).sample(n, seed);
    }

    /**
     * n multi-channel signals of p positions with c channels, shape (n, p, c), every position an
     * independent uniform point of S^{c−1} (the normalised inputs of Geifman et al. 2022).
     */
    public static Tensor signals(int n, int p, int c, long seed) {
        checkCount(n, "n");
        checkCount(p, "p");
        if (c < 1) {
            throw new IllegalArgumentException("signals need c >= 1 channels, got c = " + c);
        }
        return sphere(n * p, c, seed).reshape(n, p, c);
    }

    private static boolean normaliseRow(double[] x, int offset, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += x[offset + j] * x[offset + j];
        }
        if (!(s > 0)) {
            return false;
        }
        double inv = 1.0 / Math.sqrt(s);
        for (int j = 0; j < d; j++) {
            x[offset + j] *= inv;
        }
        return true;
    }

    private static void checkCount(int v, String name) {
        if (v < 0) {
            throw new IllegalArgumentException("negative " + name + " = " + v);
        }
    }

    private static void checkInterval(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
            throw new IllegalArgumentException("need a finite interval lo < hi, got [" + lo + ", " + hi + ")");
        }
    }
}
