package org.ntkworkbench.nn;

import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.Padding;

/** Sum pooling over 1-D or 2-D windows, per channel (padding counts as zeros). Strides default to 1. */
public final class SumPool extends WindowPool {

    /** Sum pooling; {@code strides} may be {@code null} (all 1). */
    public SumPool(int[] window, int[] strides, Padding padding) {
        super(window, strides, padding);
    }

    @Override
    public String word() {
        return "sumPool";
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        return Pooling.windowSum(x, window, strides, padding);
    }

    /** Sum pooling of both sides of every position pair ({@link #rule}). */
    @Override
    public Kernel kernel(Kernel in) {
        return rule(in, window, strides, padding);
    }

    /** The rule: each position pair becomes the sum over the window on both sides (not on the diagonal layout). */
    public static Kernel rule(Kernel k, int[] window, int[] strides, Padding padding) {
        return poolRule(k, window, strides, padding, false);
    }
}
