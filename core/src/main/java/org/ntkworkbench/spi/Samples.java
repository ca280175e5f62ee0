package org.ntkworkbench.spi;

import org.ntkworkbench.data.CircleDensity;
import org.ntkworkbench.tensor.Tensor;

/** Samples for plugins' studies, drawn by core's {@code data} samplers (same seed, same points). */
public final class Samples {
    private Samples() {}

    /**
     * Points on the circle S¹ with the arc each lies on.
     *
     * @param points (n, 2): (cos θ, sin θ)
     * @param angles θ in [0, 2π)
     * @param pieces the arc j of each point
     */
    public record Circle(Tensor points, double[] angles, int[] pieces) {
        /** The number of points. */
        public int size() {
            return angles.length;
        }
    }

    /**
     * The piece weights of a piecewise-constant density on S¹ over equal arcs, checked (finite, non-negative,
     * not all zero: else {@link IllegalArgumentException}) and copied.
     */
    public static double[] circleWeights(double[] weights) {
        return new CircleDensity(weights).weights();
    }

    /**
     * {@code n} points on S¹ from the piecewise-constant density whose m equal arcs [2πj/m, 2π(j+1)/m) carry
     * probability w_j / Σw, drawn with {@code seed}.
     */
    public static Circle circle(double[] weights, int n, long seed) {
        var s = new CircleDensity(weights).sample(n, seed);
        return new Circle(s.points(), s.angles(), s.pieces());
    }
}
