package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.KernelRules;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Var;

/**
 * Average pooling over 1-D or 2-D windows, per channel: each output is the window sum divided by the
 * window size (padding counts as zeros, as neural-tangents' default {@code normalize_edges=False}).
 * Strides default to 1.
 */
public final class AvgPool extends UnaryLayer {
    private final int[] window;
    private final int[] strides;
    private final Padding padding;

    /** Average pooling; {@code strides} may be {@code null} (all 1). */
    public AvgPool(int[] window, int[] strides, Padding padding) {
        this.strides = Pooling.checkedStrides(window, strides);
        this.window = window.clone();
        this.padding = padding;
    }

    @Override
    public String word() {
        return "avgPool";
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
    public Var apply(ApplyContext ctx, String path, Var x) {
        int size = 1;
        for (int w : window) {
            size *= w;
        }
        return Pooling.windowSum(x, window, strides, padding).scale(1.0 / size);
    }

    @Override
    public String toString() {
        return "avgPool(" + Arrays.toString(window) + ", strides: " + Arrays.toString(strides) + ", padding: '" + padding + "')";
    }

    /** Average pooling of both sides of every position pair ({@link KernelRules#avgPool}). */
    @Override
    public Kernel kernel(Kernel in) {
        return KernelRules.avgPool(in, window, strides, padding);
    }
}
