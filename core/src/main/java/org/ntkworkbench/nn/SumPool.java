package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.KernelRules;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Var;

/** Sum pooling over 1-D or 2-D windows, per channel (padding counts as zeros). Strides default to 1. */
public final class SumPool extends UnaryLayer {
    private final int[] window;
    private final int[] strides;
    private final Padding padding;

    /** Sum pooling; {@code strides} may be {@code null} (all 1). */
    public SumPool(int[] window, int[] strides, Padding padding) {
        this.strides = Pooling.checkedStrides(window, strides);
        this.window = window.clone();
        this.padding = padding;
    }

    @Override
    public String word() {
        return "sumPool";
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
        return Pooling.windowSum(x, window, strides, padding);
    }

    @Override
    public String toString() {
        return "sumPool(" + Arrays.toString(window) + ", strides: " + Arrays.toString(strides) + ", padding: '" + padding + "')";
    }

    /** Sum pooling of both sides of every position pair ({@link KernelRules#sumPool}). */
    @Override
    public Kernel kernel(Kernel in) {
        return KernelRules.sumPool(in, window, strides, padding);
    }
}
