package org.ntkworkbench.kernel;

import java.util.Arrays;
import org.ntkworkbench.tensor.Tensor;

/**
 * Kernel algebra on the position-pair axes of spatial kernels (layout: {@link PairLayout}), from which
 * the layers build their rules: windows over one spatial axis of both sides of a pair (pooling) or of
 * the pair's diagonal shifts (convolution), the same on the diagonal layout, readouts of whole blocks,
 * window sizes and checks.
 */
public final class PairAxes {
    private PairAxes() {}

    /**
     * Pooling mixes different positions, so its output pairs need the input's off-diagonal pairs, which a
     * diagonal spatial kernel does not hold: refused in one line rather than approximated.
     */
    public static void requireFullSpatial(Kernel k, String what) {
        if (k.diagonalSpatial()) {
            throw new IllegalArgumentException(what + " needs the covariances between different positions, but the kernel "
                    + "keeps only same-position pairs (diagonalSpatial); compute it with diagonalSpatial: false");
        }
    }

    /**
     * The conv rule on one spatial axis of a diagonal-layout array (pair axes replaced by one position
     * axis per spatial axis, after {@code lead} example axes): output position o gets the mean over the
     * filter taps of the input diagonal at {@code s·o + k − lo} (zero outside for SAME, wrapped for CIRCULAR).
     */
    public static Tensor diagonalAxis(Tensor x, int lead, int a, int[] curSpatial, int window, int stride, Padding padding) {
        int size = curSpatial[a];
        int out = outSize(size, window, stride, padding);
        int[] src = windowSources(size, out, window, stride, lowPad(size, window, stride, padding), padding);
        return sharedWindowAxis(x, lead, a, curSpatial, window, out, src, true);
    }

    /**
     * Source position of output position o and window offset k along one axis of length {@code size}, at
     * {@code [o * window + k]}: wrapped for CIRCULAR padding, -1 for a zero pad.
     */
    public static int[] windowSources(int size, int out, int window, int stride, int lo, Padding padding) {
        int[] src = new int[out * window];
        for (int o = 0; o < out; o++) {
            for (int kk = 0; kk < window; kk++) {
                int t = o * stride + kk - lo;
                if (padding == Padding.CIRCULAR) {
                    t = Math.floorMod(t, size);
                } else if (t < 0 || t >= size) {
                    t = -1;
                }
                src[o * window + kk] = t;
            }
        }
        return src;
    }

    /**
     * Output length of a transposed convolution along one axis (as {@code lax.conv_transpose}): VALID
     * {@code L·s + max(f − s, 0)}, SAME and CIRCULAR {@code L·s}.
     */
    public static int transposedOutSize(int size, int window, int stride, Padding padding) {
        if (size < 1 || window < 1 || stride < 1) {
            throw new IllegalArgumentException("transposed window " + window + " / stride " + stride + " / size " + size + " must be positive");
        }
        return padding == Padding.VALID ? size * stride + Math.max(window - stride, 0) : size * stride;
    }

    /**
     * The source table of a transposed convolution along one axis, in the layout of the window sources
     * ({@code [o · window + k]}: the input position that tap k brings to output position o, or −1):
     * {@code lax.conv_transpose} dilates the input by the stride, pads {@code a} before and slides the
     * window, so tap k at output o reads input {@code i} with {@code i·s = o + k − a}; {@code a = f − 1} for
     * VALID and (also CIRCULAR) for SAME when {@code s > f − 1}, else {@code ⌈(f + s − 2)/2⌉} for SAME.
     * CIRCULAR is SAME with the positions beyond the output wrapped (period {@code L·s}), as neural-tangents'
     * circular transpose (a VALID transpose folded onto the SAME output).
     */
    public static int[] transposedSources(int size, int window, int stride, Padding padding) {
        int out = transposedOutSize(size, window, stride, padding);
        int lo = padding == Padding.VALID || stride > window - 1 ? window - 1 : (window + stride - 1) / 2;
        int[] src = new int[out * window];
        for (int o = 0; o < out; o++) {
            for (int kk = 0; kk < window; kk++) {
                int t = o + kk - lo;
                if (padding == Padding.CIRCULAR) {
                    t = Math.floorMod(t, out);
                }
                src[o * window + kk] = t >= 0 && t % stride == 0 && t / stride < size ? t / stride : -1;
            }
        }
        return src;
    }

    /**
     * The shared-weight (diagonal-shift) window along spatial axis {@code a} of a kernel array for any source
     * table {@code src} ({@code [o · window + k]}, −1 for a zero): pair {@code (p, q)} becomes
     * {@code (1/window) Σ_k Σ[src(p, k), src(q, k)]} (the same tap k on both sides, the weight being shared).
     * With {@code diagonal} the array holds same-position pairs only (one position axis per spatial axis), which
     * need only same-position pairs. Conv and transposed conv differ only in their tables.
     */
    public static Tensor sharedWindowAxis(Tensor x, int lead, int a, int[] curSpatial, int window, int out, int[] src,
                                          boolean diagonal) {
        int size = curSpatial[a];
        int outer = 1;
        for (int i = 0; i < lead; i++) {
            outer *= x.dim(i);
        }
        int inner = 1;
        int[] shape = x.shape();
        if (diagonal) {
            for (int b = 0; b < a; b++) {
                outer *= curSpatial[b];
            }
            for (int b = a + 1; b < curSpatial.length; b++) {
                inner *= curSpatial[b];
            }
            shape[lead + a] = out;
            return Tensor.of(window1d(x.data(), outer, size, inner, out, window, src, 1.0 / window), shape);
        }
        for (int b = 0; b < a; b++) {
            outer *= curSpatial[b] * curSpatial[b];
        }
        for (int b = a + 1; b < curSpatial.length; b++) {
            inner *= curSpatial[b] * curSpatial[b];
        }
        double[] in = x.data();
        double norm = 1.0 / window;
        double[] res = new double[outer * out * out * inner];
        for (int g = 0; g < outer; g++) {
            int inBase = g * size * size * inner, outBase = g * out * out * inner;
            for (int o1 = 0; o1 < out; o1++) {
                for (int o2 = 0; o2 < out; o2++) {
                    int dst = outBase + (o1 * out + o2) * inner;
                    for (int kk = 0; kk < window; kk++) {
                        int s1 = src[o1 * window + kk], s2 = src[o2 * window + kk];
                        if (s1 < 0 || s2 < 0) {
                            continue;
                        }
                        int from = inBase + (s1 * size + s2) * inner;
                        for (int e = 0; e < inner; e++) {
                            res[dst + e] += in[from + e];
                        }
                    }
                    for (int e = 0; e < inner; e++) {
                        res[dst + e] *= norm;
                    }
                }
            }
        }
        shape[lead + 2 * a] = out;
        shape[lead + 2 * a + 1] = out;
        return Tensor.of(res, shape);
    }

    /** Checks that a window and its strides fit the spatial shape (one per axis, positive). */
    public static void checkWindow(String what, int[] spatial, int[] window, int[] strides) {
        if (spatial.length == 0) {
            throw new IllegalArgumentException(what + " needs a spatial kernel, got a dense one");
        }
        if (window.length != spatial.length || strides.length != spatial.length) {
            throw new IllegalArgumentException(what + " window " + Arrays.toString(window) + " / strides "
                    + Arrays.toString(strides) + " do not match spatial shape " + Arrays.toString(spatial));
        }
        for (int a = 0; a < window.length; a++) {
            if (window[a] < 1 || strides[a] < 1) {
                throw new IllegalArgumentException(what + " window and strides must be positive, got "
                        + Arrays.toString(window) + ", " + Arrays.toString(strides));
            }
        }
    }

    /** Output length of a windowed op along one axis. */
    public static int outSize(int size, int window, int stride, Padding padding) {
        int out = padding == Padding.VALID ? (size - window) / stride + 1 : (size + stride - 1) / stride;
        if (out < 1 || (padding == Padding.VALID && size < window)) {
            throw new IllegalArgumentException("window " + window + " does not fit spatial size " + size + " with VALID padding");
        }
        return out;
    }

    /** Zero positions before the first one (SAME and CIRCULAR), as neural-tangents and XLA split the padding. */
    public static int lowPad(int size, int window, int stride, Padding padding) {
        if (padding == Padding.VALID) {
            return 0;
        }
        int out = (size + stride - 1) / stride;
        return Math.max((out - 1) * stride + window - size, 0) / 2;
    }

    /**
     * Transforms the position-pair axes of spatial axis {@code a} of a kernel array whose pair axes start
     * after {@code lead} leading example axes. {@code diagonal}: conv (mean over diagonal shifts k of
     * both sides together); otherwise pooling (window on each side independently; mean if {@code average}).
     */
    public static Tensor pairAxis(Tensor x, int lead, int a, int[] curSpatial, int window, int stride,
                                   Padding padding, boolean diagonal, boolean average) {
        int size = curSpatial[a];
        int out = outSize(size, window, stride, padding);
        int lo = lowPad(size, window, stride, padding);
        int outer = 1;
        for (int i = 0; i < lead; i++) {
            outer *= x.dim(i);
        }
        for (int b = 0; b < a; b++) {
            outer *= curSpatial[b] * curSpatial[b];
        }
        int inner = 1;
        for (int b = a + 1; b < curSpatial.length; b++) {
            inner *= curSpatial[b] * curSpatial[b];
        }
        int[] src = windowSources(size, out, window, stride, lo, padding);
        if (diagonal) {
            return sharedWindowAxis(x, lead, a, curSpatial, window, out, src, false);
        }
        double norm = average ? 1.0 / window : 1.0;
        // First side: [outer][size][size*inner] -> [outer][out][size*inner]; then the second side.
        double[] mid = window1d(x.data(), outer, size, size * inner, out, window, src, norm);
        double[] res = window1d(mid, outer * out, size, inner, out, window, src, norm);
        int[] shape = x.shape();
        shape[lead + 2 * a] = out;
        shape[lead + 2 * a + 1] = out;
        return Tensor.of(res, shape);
    }

    /**
     * A window along one axis of a {@code [outer][size][inner]} array: output position o is the sum over the
     * window's sources {@code src[o·window + k]} (−1: a zero pad) times {@code norm}.
     */
    public static double[] window1d(double[] in, int outer, int size, int inner, int out, int window, int[] src, double norm) {
        double[] res = new double[outer * out * inner];
        window1dInto(in, res, outer, size, inner, out, window, src, norm);
        return res;
    }

    /**
     * {@link #window1d} into {@code res} (its first {@code outer·out·inner} entries are overwritten): the fused
     * diagonal pass ({@link DiagonalChain}) runs it on one pair's positions in reused buffers, with the same
     * operations in the same order as the whole-array form.
     */
    static void window1dInto(double[] in, double[] res, int outer, int size, int inner, int out, int window, int[] src,
                             double norm) {
        if (inner == 1) {
            // The last axis (contiguous): one accumulator per output, the same additions in the same order.
            for (int g = 0; g < outer; g++) {
                int base = g * size;
                for (int o = 0; o < out; o++) {
                    double s = 0.0;
                    for (int kk = 0; kk < window; kk++) {
                        int t = src[o * window + kk];
                        if (t >= 0) {
                            s += in[base + t];
                        }
                    }
                    res[g * out + o] = s * norm;
                }
            }
            return;
        }
        java.util.Arrays.fill(res, 0, outer * out * inner, 0.0);
        for (int g = 0; g < outer; g++) {
            for (int o = 0; o < out; o++) {
                int dst = (g * out + o) * inner;
                for (int kk = 0; kk < window; kk++) {
                    int s = src[o * window + kk];
                    if (s < 0) {
                        continue;
                    }
                    int from = (g * size + s) * inner;
                    for (int e = 0; e < inner; e++) {
                        res[dst + e] += in[from + e];
                    }
                }
                for (int e = 0; e < inner; e++) {
                    res[dst + e] *= norm;
                }
            }
        }
    }

    /**
     * The map of flattened positions (row-major, {@code Q_out × Q_in}, row-major) that applies {@code axisMaps[a]}
     * ({@code outSizes[a] × inSpatial[a]}, row-major; {@code null} = identity) along each spatial axis: their
     * Kronecker product.
     */
    public static double[] positionMap(int[] inSpatial, int[] outSizes, double[][] axisMaps) {
        int d = inSpatial.length;
        int qi = PairLayout.positions(inSpatial), qo = PairLayout.positions(outSizes);
        double[] r = new double[qo * qi];
        int[] oi = new int[d], ii = new int[d];
        for (int o = 0; o < qo; o++) {
            PairLayout.unravel(o, outSizes, oi);
            for (int i = 0; i < qi; i++) {
                PairLayout.unravel(i, inSpatial, ii);
                double w = 1;
                for (int a = 0; a < d && w != 0; a++) {
                    w *= axisMaps[a] == null ? (oi[a] == ii[a] ? 1 : 0) : axisMaps[a][oi[a] * inSpatial[a] + ii[a]];
                }
                r[o * qi + i] = w;
            }
        }
        return r;
    }

    /**
     * The kernel after a fixed linear map {@code R} of the flattened positions ({@code Q_out × Q_in}, row-major;
     * output spatial shape {@code outSpatial}, {@code []} for a dense result) applied to every example:
     * {@code Σ′ = R Σ Rᵀ} on every pair of examples, Θ and the covariances alike, exact for any input. The
     * diagonal layout is kept when every row of R has at most one non-zero (a selection or scaling of positions:
     * {@code (RΣRᵀ)[p, p] = R[p, s]² Σ[s, s]} needs only same-position pairs), and refused otherwise.
     */
    public static Kernel mapPositions(Kernel in, double[] r, int[] outSpatial, String what) {
        PairLayout li = in.layout();
        int qi = li.positions(), qo = PairLayout.positions(outSpatial);
        if (r.length != qo * qi) {
            throw new IllegalArgumentException(what + ": a map of " + r.length + " entries does not take " + qi
                    + " positions to " + qo);
        }
        boolean diagonal = in.diagonalSpatial();
        int[] src = null;
        if (diagonal) {
            src = new int[qo];
            for (int o = 0; o < qo; o++) {
                src[o] = -1;
                for (int i = 0; i < qi; i++) {
                    if (r[o * qi + i] != 0) {
                        if (src[o] >= 0) {
                            throw new IllegalArgumentException(what + " mixes positions, so it needs the covariances between all "
                                    + "positions; compute the kernel with diagonalSpatial: false");
                        }
                        src[o] = i;
                    }
                }
            }
        }
        PairLayout lo = new PairLayout(outSpatial, diagonal);
        int n1 = in.n1(), n2 = in.n2();
        Tensor nngp = mapArray(in.nngp(), n1 * n2, li, lo, r, src, qi, qo, lo.kernelShape(n1, n2));
        Tensor ntk = in.ntk() == null ? null : mapArray(in.ntk(), n1 * n2, li, lo, r, src, qi, qo, lo.kernelShape(n1, n2));
        int c1 = in.cov1().dim(0);
        Tensor cov1 = mapArray(in.cov1(), c1, li, lo, r, src, qi, qo, lo.covShape(c1));
        Tensor cov2 = in.cov2() == in.cov1() ? cov1
                : mapArray(in.cov2(), in.cov2().dim(0), li, lo, r, src, qi, qo, lo.covShape(in.cov2().dim(0)));
        return in.withArrays(nngp, ntk, cov1, cov2, outSpatial);
    }

    /**
     * {@link #mapPositions} with a map per example (neural-tangents' {@code Aggregate} with {@code pattern=(A1, A2)}):
     * {@code Σ′[i, j] = R1[i] Σ[i, j] R2[j]ᵀ} for the kernels, {@code R1[i] cov1[i] R1[i]ᵀ} and
     * {@code R2[j] cov2[j] R2[j]ᵀ} for the covariances; {@code r1[i]} ({@code r2[j]}) is example i's (j's)
     * {@code Q_out × Q_in} row-major map. Needs every position pair (refused on the diagonal layout).
     */
    public static Kernel mapPositionsPerExample(Kernel in, double[][] r1, double[][] r2, int[] outSpatial, String what) {
        if (in.diagonalSpatial()) {
            throw new IllegalArgumentException(what + " mixes positions, so it needs the covariances between all positions; "
                    + "compute the kernel with diagonalSpatial: false");
        }
        PairLayout li = in.layout();
        int qi = li.positions(), qo = PairLayout.positions(outSpatial);
        int n1 = in.n1(), n2 = in.n2();
        if (r1.length != n1 || r2.length != n2) {
            throw new IllegalArgumentException(what + ": maps for " + r1.length + " and " + r2.length + " examples do not fit a kernel of "
                    + n1 + " and " + n2 + " examples");
        }
        PairLayout lo = new PairLayout(outSpatial);
        Tensor nngp = mapPairs(in.nngp(), n1, n2, r1, r2, li, lo, qi, qo, lo.kernelShape(n1, n2));
        Tensor ntk = in.ntk() == null ? null : mapPairs(in.ntk(), n1, n2, r1, r2, li, lo, qi, qo, lo.kernelShape(n1, n2));
        Tensor cov1 = mapPairs(in.cov1(), n1, 0, r1, r1, li, lo, qi, qo, lo.covShape(n1));
        Tensor cov2 = in.cov2() == in.cov1() && r1 == r2 ? cov1
                : mapPairs(in.cov2(), n2, 0, r2, r2, li, lo, qi, qo, lo.covShape(n2));
        return in.withArrays(nngp, ntk, cov1, cov2, outSpatial);
    }

    /** Blocks {@code (i, j)} ({@code n2 = 0}: covariance blocks {@code (i, i)}) mapped by {@code ra[i]} and {@code rb[j]}. */
    private static Tensor mapPairs(Tensor x, int n1, int n2, double[][] ra, double[][] rb, PairLayout li, PairLayout lo,
                                   int qi, int qo, int[] shape) {
        double[] v = x.data();
        int bo = lo.block();
        int blocks = n2 == 0 ? n1 : n1 * n2;
        double[] out = new double[blocks * bo];
        java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> {
            int i = n2 == 0 ? b : b / n2, j = n2 == 0 ? b : b % n2;
            mapBlock(v, b, li, lo, ra[i], rb[j], qi, qo, new double[qi * qi], new double[qo * qi], out);
        });
        return Tensor.of(out, shape);
    }

    /**
     * Block {@code b} of {@code v} (layout {@code li}, {@code qi} positions) mapped to {@code a Σ cᵀ} (layout {@code lo},
     * {@code qo} positions) into {@code out}; {@code m} ({@code qi²}) and {@code rm} ({@code qo·qi}) are scratch.
     */
    private static void mapBlock(double[] v, int b, PairLayout li, PairLayout lo, double[] a, double[] c, int qi, int qo,
                                 double[] m, double[] rm, double[] out) {
        int bi = li.block(), bo = lo.block();
        for (int e = 0; e < bi; e++) {
            m[li.posA(e) * qi + li.posB(e)] = v[b * bi + e];
        }
        Arrays.fill(rm, 0);
        for (int o = 0; o < qo; o++) {
            for (int k = 0; k < qi; k++) {
                double w = a[o * qi + k];
                if (w != 0) {
                    for (int t = 0; t < qi; t++) {
                        rm[o * qi + t] += w * m[k * qi + t];
                    }
                }
            }
        }
        for (int e = 0; e < bo; e++) {
            int p = lo.posA(e), q = lo.posB(e);
            double s = 0;
            for (int t = 0; t < qi; t++) {
                s += rm[p * qi + t] * c[q * qi + t];
            }
            out[b * bo + e] = s;
        }
    }

    private static Tensor mapArray(Tensor x, int blocks, PairLayout li, PairLayout lo, double[] r, int[] src, int qi, int qo,
                                   int[] shape) {
        double[] v = x.data();
        int bi = li.block(), bo = lo.block();
        double[] out = new double[blocks * bo];
        if (src != null) {
            // Diagonal layout, at most one source per output position: R[p, s]² Σ[s, s].
            for (int b = 0; b < blocks; b++) {
                for (int o = 0; o < qo; o++) {
                    if (src[o] >= 0) {
                        double w = r[o * qi + src[o]];
                        out[b * bo + o] = w * w * v[b * bi + src[o]];
                    }
                }
            }
            return Tensor.of(out, shape);
        }
        double[] m = new double[qi * qi], rm = new double[qo * qi];
        for (int b = 0; b < blocks; b++) {
            mapBlock(v, b, li, lo, r, r, qi, qo, m, rm, out);
        }
        return Tensor.of(out, shape);
    }

    /** One value from the block of a kernel entry (a readout). */
    public interface BlockReducer {
        /** The value of the block starting at {@code offset} of {@code values}. */
        double reduce(double[] values, int offset);
    }

    /** Every block of {@code k} (kernels and covariances) reduced to one value: a dense kernel; a dense {@code k} unchanged. */
    public static Kernel reduce(Kernel k, BlockReducer r) {
        if (k.spatial().length == 0) {
            return k;
        }
        int block = k.layout().block();
        Tensor nngp = reduceArray(k.nngp(), block, r, k.n1(), k.n2());
        Tensor ntk = k.ntk() == null ? null : reduceArray(k.ntk(), block, r, k.n1(), k.n2());
        Tensor cov1 = reduceArray(k.cov1(), block, r, k.cov1().dim(0));
        Tensor cov2 = k.cov2() == k.cov1() ? cov1 : reduceArray(k.cov2(), block, r, k.cov2().dim(0));
        return k.withArrays(nngp, ntk, cov1, cov2, new int[0]);
    }

    private static Tensor reduceArray(Tensor x, int block, BlockReducer r, int... shape) {
        double[] v = x.data();
        double[] o = new double[v.length / block];
        for (int i = 0; i < o.length; i++) {
            o[i] = r.reduce(v, i * block);
        }
        return Tensor.of(o, shape);
    }
}
