package org.ntkworkbench.data;

import com.google.inject.ImplementedBy;
import java.util.function.ToDoubleFunction;
import org.ntkworkbench.tensor.Tensor;

/**
 * Data for experiments: seeded input samplers and target functions. Every random draw takes an
 * explicit seed; the same seed gives the same bits on every run. Shapes follow DESIGN.md: (n, d) dense
 * inputs, (n, p, c) signals, targets (n, 1). Static equivalents live in {@link Samplers} and {@link Targets}.
 */
@ImplementedBy(DefaultDatasets.class)
public interface Datasets {
    /** n points uniform on S^{d−1}, shape (n, d). */
    Tensor sphere(int n, int d, long seed);

    /** n standard Gaussian vectors N(0, I_d), shape (n, d). */
    Tensor gaussian(int n, int d, long seed);

    /** n draws uniform on [lo, hi), shape (n, 1). */
    Tensor uniform(int n, double lo, double hi, long seed);

    /** n evenly spaced points from lo to hi inclusive, shape (n, 1). */
    Tensor grid(int n, double lo, double hi);

    /** n points on S¹ with density proportional to {@code pieceWeights} over equal arcs, with their angles. */
    CircleSample circle(int n, double[] pieceWeights, long seed);

    /** n signals of p positions × c channels, each position uniform on S^{c−1}, shape (n, p, c). */
    Tensor signals(int n, int p, int c, long seed);

    /** Σ_i c_i P_{k_i}^{(d)}(⟨x, ζ_i⟩) with random unit directions ζ_i. */
    GegenbauerSum gegenbauerSum(int d, int[] degrees, double[] coefficients, long seed);

    /** The target {@code f} on every example of {@code x}, shape (n, 1). */
    Tensor targets(ToDoubleFunction<double[]> f, Tensor x);
}
