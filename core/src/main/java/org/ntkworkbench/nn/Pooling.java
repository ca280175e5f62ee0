package org.ntkworkbench.nn;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Padding;

/** Window sums over spatial axes shared by {@link AvgPool} and {@link SumPool}: im2col gather, then a sum. */
final class Pooling {
    private Pooling() {}

    static int[] outputShape(int[] in, int[] window, int[] strides, Padding padding) {
        Windows w = Windows.of(in, window, strides, padding);
        int[] out = Arrays.copyOf(w.outSpatial(), window.length + 1);
        out[window.length] = w.channels();
        return out;
    }

    /** Per-channel sum of each window (zero padding counts as zeros). */
    static Var windowSum(Var x, int[] window, int[] strides, Padding padding) {
        int[] shape = x.shape();
        int[] in = Arrays.copyOfRange(shape, 1, shape.length);
        Windows w = Windows.of(in, window, strides, padding);
        int n = shape[0];
        Var patches = Ops.gather(x, w.index(), w.positions(), w.windowSize(), w.channels());
        Var summed = Ops.sum(patches, new int[] {2}, false);
        int[] out = outputShape(in, window, strides, padding);
        int[] full = new int[out.length + 1];
        full[0] = n;
        System.arraycopy(out, 0, full, 1, out.length);
        return summed.reshape(full);
    }

    static int[] checkedStrides(int[] window, int[] strides) {
        if (window.length < 1 || window.length > 3) {
            throw new IllegalArgumentException("pooling window " + Arrays.toString(window) + " must have 1, 2 or 3 axes");
        }
        int[] s = strides == null ? Conv.ones(window.length) : strides.clone();
        if (s.length != window.length) {
            throw new IllegalArgumentException("pooling strides " + Arrays.toString(strides) + " do not match window "
                    + Arrays.toString(window));
        }
        return s;
    }
}
