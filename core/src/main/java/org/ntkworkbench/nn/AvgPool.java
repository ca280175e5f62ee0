package org.ntkworkbench.nn;

import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.Padding;

/**
 * Average pooling over 1-D or 2-D windows, per channel: each output is the window sum divided by the
 * window size (padding counts as zeros, as neural-tangents' default {@code normalize_edges=False}).
 * Strides default to 1.
 */
public final class AvgPool extends WindowPool {

    /** Average pooling; {@code strides} may be {@code null} (all 1). */
    public AvgPool(int[] window, int[] strides, Padding padding) {
        super(window, strides, padding);
    }

    @Override
    public String word() {
        return "avgPool";
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int size = 1;
        for (int w : window) {
            size *= w;
        }
        return Pooling.windowSum(x, window, strides, padding).scale(1.0 / size);
    }

    /** Average pooling of both sides of every position pair ({@link #rule}). */
    @Override
    public Kernel kernel(Kernel in) {
        return rule(in, window, strides, padding);
    }

    /**
     * The rule: each position pair becomes the mean over the window on both sides (window size², as
     * neural-tangents without edge normalisation; not on the diagonal layout).
     */
    public static Kernel rule(Kernel k, int[] window, int[] strides, Padding padding) {
        return poolRule(k, window, strides, padding, true);
    }
}
