package org.ntkworkbench.nn;

import java.util.Arrays;
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
}
