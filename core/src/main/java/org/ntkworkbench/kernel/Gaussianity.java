package org.ntkworkbench.kernel;

/**
 * What the kernel rules may assume about the distribution of a flow over the random weights (a component of
 * {@link Kernel}; neural-tangents' {@code is_gaussian}, plus whether the mean is zero).
 *
 * <p>An activation's dual and layerNorm's rule assume jointly Gaussian, zero-mean pre-activations, which a
 * layer drawing fresh Gaussian weights over infinitely many inputs gives (dense, conv, attention). The rules of
 * fanInSum and of a spatial fanInConcat set the covariance of two independent branches to zero; it is the
 * product of their means, zero when one of the two has mean zero — a Gaussian flow does, and so do an odd
 * activation of one and linear maps or sums of zero-mean flows; a relu's output or the raw inputs do not.
 *
 * @param why why the flow is not Gaussian (the raw inputs, or the word of the layer that made it so), or
 *     {@code null} when it is
 * @param zeroMean whether every entry has mean zero over the weights (always so for a Gaussian flow)
 */
public record Gaussianity(String why, boolean zeroMean) {

    /** A Gaussian, zero-mean flow (after dense, conv, attention). */
    public static final Gaussianity GAUSSIAN = new Gaussianity(null, true);

    /** The raw inputs: fixed numbers, neither Gaussian nor of mean zero. */
    public static final Gaussianity INPUTS = new Gaussianity("the raw inputs", false);

    /** A Gaussian flow has mean zero. */
    public Gaussianity {
        if (why == null && !zeroMean) {
            throw new IllegalArgumentException("a Gaussian flow has mean zero");
        }
    }

    /** Whether the flow is Gaussian. */
    public boolean gaussian() {
        return why == null;
    }
}
