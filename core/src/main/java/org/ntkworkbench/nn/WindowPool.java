package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Masks;
import java.util.Arrays;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.kernel.Padding;

/**
 * What average and sum pooling share: the window, strides and padding over 1-D or 2-D positions, per
 * channel, and the output shape. Subclasses give the forward pass and the kernel rule.
 */
public abstract sealed class WindowPool extends UnaryLayer permits AvgPool, SumPool {

    final int[] window;
    final int[] strides;
    final Padding padding;

    /** {@code strides} may be {@code null} (all 1). */
    WindowPool(int[] window, int[] strides, Padding padding) {
        this.strides = Pooling.checkedStrides(window, strides);
        this.window = window.clone();
        this.padding = padding;
    }

    /** The {@code window} this was built with. */
    public int[] window() {
        return window.clone();
    }

    /** The {@code strides} this was built with. */
    public int[] strides() {
        return strides.clone();
    }

    /** The {@code padding} this was built with. */
    public Padding padding() {
        return padding;
    }

    @Override
    public int[] outputShape(int[] in) {
        return Pooling.outputShape(in, window, strides, padding);
    }

    @Override
    public String toString() {
        return word() + "(" + Arrays.toString(window) + ", strides: " + Arrays.toString(strides) + ", padding: '" + padding + "')";
    }

    /** A window on each side of a pair reads pairs of different positions. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.WINDOW;
    }

    /**
     * The pooling rule: per spatial axis, each position pair becomes the mean ({@code average}; window size
     * on each side, as neural-tangents without edge normalisation) or the sum over the window on both
     * sides. It mixes different positions, so it is refused on the diagonal layout.
     */
    static Kernel poolRule(Kernel k, int[] window, int[] strides, Padding padding, boolean average) {
        PairAxes.requireFullSpatial(k, average ? "avgPool" : "sumPool");
        int[] spatial = k.spatial();
        PairAxes.checkWindow("pool", spatial, window, strides);
        int[] outSpatial = spatial.clone();
        Tensor nngp = k.nngp(), ntk = k.ntk(), cov1 = k.cov1(), cov2 = k.cov2();
        boolean sameCov = cov2 == cov1;
        for (int a = 0; a < spatial.length; a++) {
            nngp = PairAxes.pairAxis(nngp, 2, a, outSpatial, window[a], strides[a], padding, false, average);
            ntk = ntk == null ? null : PairAxes.pairAxis(ntk, 2, a, outSpatial, window[a], strides[a], padding, false, average);
            cov1 = PairAxes.pairAxis(cov1, 1, a, outSpatial, window[a], strides[a], padding, false, average);
            cov2 = sameCov ? cov1 : PairAxes.pairAxis(cov2, 1, a, outSpatial, window[a], strides[a], padding, false, average);
            outSpatial[a] = PairAxes.outSize(spatial[a], window[a], strides[a], padding);
        }
        return k.withArrays(nngp, ntk, cov1, cov2, outSpatial);
    }

    /**
     * Each output position takes the mask of its window's centre (neural-tangents' {@code _pool_mask}); masked inputs
     * count as zeros in the window (nt: the mean divides by the window size, masked or not).
     */
    @Override
    public Tensor outputMask(Tensor mask) {
        return Masks.windowCentres(mask, window, strides, padding);
    }
}
