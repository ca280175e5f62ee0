package org.ntkworkbench.nn;

/**
 * Whether a layer's kernel rule can work on kernels that keep only same-position pairs
 * (neural-tangents' {@code diagonal_spatial}, its {@code stax.Diagonal} requirement, with the same algebra).
 *
 * <p>{@code input}: can the layer take a diagonal input kernel? {@link Level#YES} (conv, dense,
 * activations, layer norm, flatten: each output pair (p, p) needs only input pairs (p', p')),
 * {@link Level#MAYBE} (local pooling: only if the off-diagonal pairs were zero, which we never assume,
 * so it counts as no), {@link Level#NO} (global pooling sums every pair). {@code output}: from this layer
 * to the network output, may the kernels be diagonal? {@link Level#YES} after a readout that leaves no
 * spatial axes (flatten, global pools), {@link Level#NO} while the output kernel is still spatial (its
 * off-diagonal pairs are part of the answer).
 *
 * <p>A model's requirement is its layers' composed with {@link #then} (serial) and {@link #and}
 * (parallel branches). {@link #exactByDefault()} is neural-tangents' {@code bool(Diagonal)}: the
 * diagonal layout is chosen automatically exactly when the model never needs an off-diagonal pair and
 * its output is not spatial (e.g. convs, activations, flatten). {@link #allowed()}: a user may ask
 * for it whenever every layer can take diagonal inputs (the output kernel is then the diagonal of the
 * spatial output kernel, as in neural-tangents).
 */
public record SpatialDiagonal(Level input, Level output) {

    /** Three-valued logic of neural-tangents' {@code Bool}. */
    public enum Level {
        NO, MAYBE, YES;

        Level and(Level o) {
            return compareTo(o) <= 0 ? this : o;
        }
    }

    /** Position-wise rules (dense, conv, activations, layer norm, identity): neural-tangents' {@code Diagonal()}. */
    public static final SpatialDiagonal POINTWISE = new SpatialDiagonal(Level.YES, Level.NO);

    /** Rules that need every position pair (the default for layers that declare nothing, e.g. plugins). */
    public static final SpatialDiagonal NEEDS_ALL_PAIRS = new SpatialDiagonal(Level.NO, Level.NO);

    /** Local pooling: exact on diagonal inputs only when off-diagonal pairs vanish. */
    public static final SpatialDiagonal WINDOW = new SpatialDiagonal(Level.MAYBE, Level.NO);

    /** A readout that reads only same-position pairs and leaves no spatial axes (flatten). */
    public static final SpatialDiagonal DIAGONAL_READOUT = new SpatialDiagonal(Level.YES, Level.YES);

    /** A readout that sums every position pair (globalAvgPool, globalSumPool). */
    public static final SpatialDiagonal FULL_READOUT = new SpatialDiagonal(Level.NO, Level.YES);

    /** The requirement of {@code next(this(.))}: neural-tangents' {@code Diagonal.__rshift__}. */
    public SpatialDiagonal then(SpatialDiagonal next) {
        if (output == Level.YES) {
            return this;
        }
        Level in;
        if (output != Level.NO && next.input != Level.NO) {
            in = input;
        } else if (output == Level.NO && next.input != Level.YES) {
            in = Level.NO;
        } else {
            in = input.and(next.input);
        }
        return new SpatialDiagonal(in, next.output);
    }

    /** Both branches' requirements (parallel): the weaker of each. */
    public SpatialDiagonal and(SpatialDiagonal other) {
        return new SpatialDiagonal(input.and(other.input), output.and(other.output));
    }

    /** True when the diagonal layout loses nothing for this model (chosen automatically). */
    public boolean exactByDefault() {
        return input == Level.YES && output != Level.NO;
    }

    /** True when every layer can take diagonal inputs, so a user may ask for the diagonal layout. */
    public boolean allowed() {
        return input == Level.YES;
    }
}
