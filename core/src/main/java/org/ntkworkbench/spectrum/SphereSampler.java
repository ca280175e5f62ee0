package org.ntkworkbench.spectrum;

import java.util.function.ToDoubleFunction;
import org.ntkworkbench.tensor.SeededRandom;

/** Seeded samples on S^{d−1}: uniform (normalised Gaussians) or from a density by rejection. */
public final class SphereSampler {
    private SphereSampler() {}

    /** n points uniform on S^{d−1}, row-major (n, d). */
    public static double[] uniform(int n, int d, long seed) {
        SpecialFunctions.requireDimension(d);
        SeededRandom rng = SeededRandom.derived(seed, "sphere-uniform");
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            double[] v = RotationInvariance.randomUnit(rng, d);
            System.arraycopy(v, 0, x, i * d, d);
        }
        return x;
    }

    /**
     * n points from the density ∝ {@code density(x)} w.r.t. the uniform measure on S^{d−1}, by rejection
     * from uniform proposals: accept x with probability density(x)/bound. {@code bound} must be ≥ the
     * density everywhere; a value above it is reported as an error. Row-major (n, d).
     */
    public static double[] fromDensity(int n, int d, ToDoubleFunction<double[]> density, double bound, long seed) {
        SpecialFunctions.requireDimension(d);
        if (!(bound > 0)) {
            throw new IllegalArgumentException("fromDensity: bound must be positive, got " + bound);
        }
        SeededRandom rng = SeededRandom.derived(seed, "sphere-density");
        double[] x = new double[n * d];
        long tries = 0;
        for (int i = 0; i < n; ) {
            double[] v = RotationInvariance.randomUnit(rng, d);
            double p = density.applyAsDouble(v);
            if (!(p >= 0) || p > bound) {
                throw new IllegalArgumentException("fromDensity: density " + p + " outside [0, bound=" + bound + "] at a sampled point");
            }
            if (rng.nextDouble() * bound < p) {
                System.arraycopy(v, 0, x, i * d, d);
                i++;
            }
            if (++tries > 1000L * n + 1_000_000L) {
                throw new IllegalArgumentException("fromDensity: acceptance rate below 1e-3; the bound " + bound + " is far above the density");
            }
        }
        return x;
    }
}
