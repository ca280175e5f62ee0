package org.ntkworkbench.spectrum;

import org.ntkworkbench.tensor.SeededRandom;

/**
 * A piecewise-constant probability density on S¹ (angles in [0, 2π)): arc i = [breaks[i], breaks[i+1])
 * has relative weight (density) {@code levels[i]}; the density is normalised so that ∫ p dθ = 1.
 */
public record CircleDensity(double[] breaks, double[] levels) {

    public CircleDensity {
        if (breaks.length != levels.length + 1 || breaks[0] != 0 || Math.abs(breaks[breaks.length - 1] - 2 * Math.PI) > 1e-12) {
            throw new IllegalArgumentException("circle density: need breaks 0 = b_0 < … < b_m = 2π and m levels; got "
                    + breaks.length + " breaks, " + levels.length + " levels");
        }
        for (int i = 0; i < levels.length; i++) {
            if (!(breaks[i + 1] > breaks[i]) || !(levels[i] >= 0)) {
                throw new IllegalArgumentException("circle density: arc " + i + " must have positive length and level >= 0");
            }
        }
    }

    /** The uniform density 1/(2π). */
    public static CircleDensity uniform() {
        return new CircleDensity(new double[] {0, 2 * Math.PI}, new double[] {1});
    }

    /** Σ_i level_i · length_i. */
    private double mass() {
        double m = 0;
        for (int i = 0; i < levels.length; i++) {
            m += levels[i] * (breaks[i + 1] - breaks[i]);
        }
        return m;
    }

    /** p(θ), normalised. */
    public double density(double theta) {
        double t = theta - 2 * Math.PI * Math.floor(theta / (2 * Math.PI));
        for (int i = 0; i < levels.length; i++) {
            if (t < breaks[i + 1]) {
                return levels[i] / mass();
            }
        }
        return levels[levels.length - 1] / mass();
    }

    /** n angles drawn from p (inverse CDF), sorted ascending. */
    public double[] sample(int n, long seed) {
        SeededRandom rng = SeededRandom.derived(seed, "circle-density");
        double total = mass();
        double[] out = new double[n];
        for (int s = 0; s < n; s++) {
            double u = rng.nextDouble() * total;
            int i = 0;
            while (i < levels.length - 1 && u >= levels[i] * (breaks[i + 1] - breaks[i])) {
                u -= levels[i] * (breaks[i + 1] - breaks[i]);
                i++;
            }
            out[s] = breaks[i] + (levels[i] > 0 ? u / levels[i] : 0);
        }
        java.util.Arrays.sort(out);
        return out;
    }
}
