package org.ntkworkbench.data;

import java.util.Arrays;
import org.ntkworkbench.tensor.SeededRandom;
import org.ntkworkbench.tensor.Tensor;

/**
 * A piecewise-constant probability density on the circle S¹: the circle is cut into m equal arcs
 * [2πj/m, 2π(j+1)/m), and arc j carries probability w_j / Σw (e.g. weights 4 : 2 : 1 as in Basri et
 * al. 2020). The density with respect to the angle θ is p(θ) = (w_j / Σw) · m / (2π) on arc j.
 */
public record CircleDensity(double[] weights) {
    /** Checks that the weights are finite, non-negative and not all zero (and copies them). */
    public CircleDensity {
        if (weights.length == 0) {
            throw new IllegalArgumentException("a circle density needs at least one piece weight");
        }
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("piece weights must be finite and >= 0, got " + Arrays.toString(weights));
            }
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("piece weights must not all be zero: " + Arrays.toString(weights));
        }
        weights = weights.clone();
    }

    /** Equal weights on {@code pieces} arcs: the uniform distribution. */
    public static CircleDensity uniform(int pieces) {
        double[] w = new double[pieces];
        Arrays.fill(w, 1.0);
        return new CircleDensity(w);
    }

    /** A copy of the weights. */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** Number of arcs m. */
    public int pieces() {
        return weights.length;
    }

    /** Probability of arc j: w_j / Σw. */
    public double probability(int j) {
        return weights[j] / Arrays.stream(weights).sum();
    }

    /** Start angle 2πj/m of arc j. */
    public double arcStart(int j) {
        return 2 * Math.PI * j / weights.length;
    }

    /** Length 2π/m of every arc. */
    public double arcLength() {
        return 2 * Math.PI / weights.length;
    }

    /** The arc containing angle θ (taken modulo 2π). */
    public int pieceOf(double theta) {
        double t = theta - 2 * Math.PI * Math.floor(theta / (2 * Math.PI));
        return Math.min(weights.length - 1, (int) (t / arcLength()));
    }

    /** p(θ): the density with respect to the angle, integrating to 1 over [0, 2π). */
    public double density(double theta) {
        return probability(pieceOf(theta)) / arcLength();
    }

    /**
     * n independent draws: an arc by its probability, then a uniform angle within it. Deterministic for
     * a seed.
     */
    public CircleSample sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("negative sample size n = " + n);
        }
        int m = weights.length;
        double[] cumulative = new double[m];
        double total = 0;
        for (int j = 0; j < m; j++) {
            total += weights[j];
            cumulative[j] = total;
        }
        SeededRandom random = new SeededRandom(seed);
        double[] angles = new double[n];
        int[] pieces = new int[n];
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble() * total;
            int j = 0;
            while (j < m - 1 && (u >= cumulative[j] || weights[j] == 0)) {
                j++;
            }
            double theta = (j + random.nextDouble()) * arcLength();
            if (theta >= 2 * Math.PI) {
                theta = Math.nextDown(2 * Math.PI);
            }
            angles[i] = theta;
            pieces[i] = j;
            xy[2 * i] = Math.cos(theta);
            xy[2 * i + 1] = Math.sin(theta);
        }
        return new CircleSample(Tensor.of(xy, n, 2), angles, pieces);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CircleDensity c && Arrays.equals(weights, c.weights);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "CircleDensity" + Arrays.toString(weights);
    }
}
