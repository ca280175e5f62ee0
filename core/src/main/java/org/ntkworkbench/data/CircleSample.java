package org.ntkworkbench.data;

import org.ntkworkbench.tensor.Tensor;

/**
 * Points on the circle S¹: {@code points} (n, 2) = (cos θ, sin θ), their angles θ ∈ [0, 2π) and the
 * index of the density piece (arc) each fell in.
 */
public record CircleSample(Tensor points, double[] angles, int[] pieces) {
    /** Number of points. */
    public int size() {
        return angles.length;
    }
}
