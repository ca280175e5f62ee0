package org.ntkworkbench.nn;

import java.util.Arrays;
import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.kernel.Padding;

/**
 * The geometry of sliding windows (convolution and pooling) over the spatial axes of a per-example
 * input {@code (spatial…, channels)}: output spatial size and the im2col gather index.
 *
 * <p>{@link #index()} lists, for each output position (row-major), each window offset (row-major)
 * and each channel, the flat per-example input index it reads, or −1 for zero padding; so the
 * gathered patches are {@code (P, F, C)} with {@code P} output positions and {@code F} window offsets.
 */
public record Windows(int[] inSpatial, int channels, int[] window, int[] strides, Padding padding,
                      int[] outSpatial, int[] padBefore, int[] index) {

    /** The windows over an input of per-example shape {@code (spatial…, channels)}. */
    public static Windows of(int[] perExampleShape, int[] window, int[] strides, Padding padding) {
        int d = window.length;
        if (perExampleShape.length != d + 1) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(perExampleShape) + " needs "
                    + (d + 1) + " axes (spatial…, channels) for a window " + Arrays.toString(window));
        }
        if (strides.length != d) {
            throw new IllegalArgumentException("strides " + Arrays.toString(strides) + " do not match window "
                    + Arrays.toString(window));
        }
        int[] in = Arrays.copyOf(perExampleShape, d);
        int c = perExampleShape[d];
        int[] out = new int[d];
        int[] before = new int[d];
        for (int i = 0; i < d; i++) {
            if (window[i] < 1 || strides[i] < 1) {
                throw new IllegalArgumentException("window " + Arrays.toString(window) + " and strides "
                        + Arrays.toString(strides) + " must be positive");
            }
            if (padding == Padding.VALID) {
                if (in[i] < window[i]) {
                    throw new IllegalArgumentException("input shape " + Arrays.toString(perExampleShape)
                            + " is smaller than the window " + Arrays.toString(window) + " with VALID padding");
                }
                out[i] = (in[i] - window[i]) / strides[i] + 1;
            } else {
                out[i] = (in[i] + strides[i] - 1) / strides[i];
                int total = Math.max((out[i] - 1) * strides[i] + window[i] - in[i], 0);
                before[i] = total / 2;
            }
        }
        int[][] src = new int[d][];
        for (int i = 0; i < d; i++) {
            src[i] = PairAxes.windowSources(in[i], out[i], window[i], strides[i], before[i], padding);
        }
        int[] index = gatherIndex(in, c, out, window, src);
        return new Windows(in, c, window.clone(), strides.clone(), padding, out, before, index);
    }

    /**
     * The windows of a transposed convolution ({@code lax.conv_transpose}): per axis the source table of
     * {@link PairAxes#transposedSources} (the one place that decides the geometry), combined over the axes
     * row-major as {@link #of}; {@code padBefore} is unused (zeros).
     */
    public static Windows transposed(int[] perExampleShape, int[] window, int[] strides, Padding padding) {
        int d = window.length;
        if (perExampleShape.length != d + 1 || strides.length != d) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(perExampleShape) + " needs "
                    + (d + 1) + " axes (spatial…, channels) for a window " + Arrays.toString(window) + " and strides "
                    + Arrays.toString(strides));
        }
        int[] in = Arrays.copyOf(perExampleShape, d);
        int c = perExampleShape[d];
        int[] out = new int[d];
        int[][] src = new int[d][];
        for (int i = 0; i < d; i++) {
            out[i] = PairAxes.transposedOutSize(in[i], window[i], strides[i], padding);
            src[i] = PairAxes.transposedSources(in[i], window[i], strides[i], padding);
        }
        int[] index = gatherIndex(in, c, out, window, src);
        return new Windows(in, c, window.clone(), strides.clone(), padding, out, new int[d], index);
    }

    /**
     * The gather index of {@link #of} and {@link #transposed}: for each output position, window offset and channel,
     * the flat input index, or −1 where a tap falls outside; {@code src[i]} is axis i's source table
     * ({@code [o · window + k]}, −1 outside).
     */
    private static int[] gatherIndex(int[] in, int c, int[] out, int[] window, int[][] src) {
        int d = window.length;
        int positions = 1, offsets = 1;
        for (int i = 0; i < d; i++) {
            positions *= out[i];
            offsets *= window[i];
        }
        int[] index = new int[positions * offsets * c];
        int[] pos = new int[d];
        int[] off = new int[d];
        int k = 0;
        for (int p = 0; p < positions; p++) {
            PairLayout.unravel(p, out, pos);
            for (int f = 0; f < offsets; f++) {
                PairLayout.unravel(f, window, off);
                int flat = 0;
                boolean inside = true;
                for (int i = 0; i < d; i++) {
                    int s = src[i][pos[i] * window[i] + off[i]];
                    inside &= s >= 0;
                    flat = flat * in[i] + Math.max(s, 0);
                }
                for (int ch = 0; ch < c; ch++) {
                    index[k++] = inside ? flat * c + ch : -1;
                }
            }
        }
        return index;
    }

    /** Number of output positions {@code P}. */
    public int positions() {
        int p = 1;
        for (int o : outSpatial) {
            p *= o;
        }
        return p;
    }

    /** Number of window offsets {@code F}. */
    public int windowSize() {
        int f = 1;
        for (int w : window) {
            f *= w;
        }
        return f;
    }
}
