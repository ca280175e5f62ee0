package org.ntkworkbench.kernel;

import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.nn.Parameterization;
import org.ntkworkbench.tensor.Tensor;

/**
 * The infinite-width kernel rules of the layers, as pure functions {@code Kernel → Kernel}: each maps
 * the NNGP Σ, NTK Θ and the per-input covariances of a layer's input to those of its output, for one
 * output unit (widths never appear: channels are identity-covariant and the kernel is per unit).
 *
 * <p>Conventions follow neural-tangents (stax). NTK parameterization by default
 * ({@code z = (wStd/√fanIn) W h + bStd b}, W, b ~ N(0, 1)):
 * <pre>  Σ' = wStd² Σ + bStd²,   Θ' = Σ' + wStd² Θ. </pre>
 * Standard parameterization ({@code z = W h + b}, W ~ N(0, wStd²/fanIn), b ~ N(0, bStd²)), as in
 * neural-tangents with {@code s = (1, 1)}: the same Σ', and {@code Θ' = fanIn·Σ + wStd² Θ + [bias]},
 * where Σ is the input NNGP (per-channel mean, so fanIn·Σ is the sum over the input units) and the
 * bias adds 1 when present ({@code bStd ≠ 0}; DESIGN.md: bStd = 0 means no bias parameters).
 *
 * <p>Spatial kernels carry position pairs (see {@link PairLayout}); a dense layer acts on channels,
 * the same for every position pair (the bias is shared, so b² is added to every pair). A convolution
 * with filter {@code f} (CNTK, Arora et al. 2019; neural-tangents) maps each pair {@code (p, q)} to the
 * mean over the filter's diagonal shifts {@code (1/f) Σ_k Σ[s p + k − lo, s q + k − lo]} on each axis,
 * then applies the dense rule. Serial, repeat and parallel need no rule: they are plain composition of
 * these functions (parallel passes a list of kernels on; fan-out copies one).
 */
public final class KernelRules {
    private KernelRules() {}

    // ---- dense ------------------------------------------------------------------------------

    /** Dense layer, NTK parameterization: {@code Σ' = wStd² Σ + bStd²}, {@code Θ' = Σ' + wStd² Θ}. */
    public static Kernel dense(Kernel k, double wStd, double bStd) {
        return dense(k, wStd, bStd, Parameterization.NTK, 0);
    }

    /**
     * Dense layer in either parameterization; {@code fanIn} (input units) is used only by STANDARD:
     * {@code Θ' = fanIn Σ + wStd² Θ + (bStd ≠ 0 ? 1 : 0)}; {@code fanIn ≤ 0} takes the input kernel's
     * {@link Kernel#channels()}. The result keeps the input's channel count (the layer sets its width).
     */
    public static Kernel dense(Kernel k, double wStd, double bStd, Parameterization p, int fanIn) {
        return affineLayer(k, k.nngp(), k.ntk(), k.cov1(), k.cov2(), wStd, bStd, p, fanIn, k.spatial());
    }

    private static Kernel affineLayer(Kernel k, Tensor nngpIn, Tensor ntkIn, Tensor cov1In, Tensor cov2In,
                                      double wStd, double bStd, Parameterization p, int fanIn, int[] spatial) {
        double w2 = wStd * wStd, b2 = bStd * bStd;
        Tensor nngp = affine(nngpIn, w2, b2);
        Tensor ntk = null;
        if (ntkIn != null) {
            double[] t = ntkIn.data(), s = nngp.data(), o = new double[t.length];
            if (p == Parameterization.NTK) {
                for (int i = 0; i < o.length; i++) {
                    o[i] = s[i] + w2 * t[i];
                }
            } else {
                if (fanIn <= 0) {
                    fanIn = k.channels();
                }
                if (fanIn <= 0) {
                    throw new IllegalArgumentException("standard parameterization needs the fan-in, but the input kernel's"
                            + " channel count is unknown (build it with Kernel.fromInputs)");
                }
                double[] x = nngpIn.data();
                double bias = bStd != 0 ? 1.0 : 0.0;
                for (int i = 0; i < o.length; i++) {
                    o[i] = fanIn * x[i] + w2 * t[i] + bias;
                }
            }
            ntk = Tensor.of(o, ntkIn.shape());
        }
        Tensor cov1 = affine(cov1In, w2, b2);
        Tensor cov2 = cov2In == cov1In ? cov1 : affine(cov2In, w2, b2);
        return new Kernel(nngp, ntk, cov1, cov2, spatial, k.x1IsX2(), k.channels());
    }

    /**
     * The dense rule of {@link #dense(Kernel, double, double, Parameterization, int)} in entrywise form
     * (for {@link EntrywiseChain}): the same operations per entry, {@code Σ' = wStd² Σ + bStd²} and
     * {@code Θ' = Σ' + wStd² Θ} (NTK) or {@code Θ' = fanIn Σ + wStd² Θ + [bias]} (standard; {@code fanIn ≤ 0}
     * takes the input channels), variances {@code v' = wStd² v + bStd²}. The output has {@code width}
     * channels ({@code width ≤ 0}: the input's, as {@code dense(Kernel, …)} keeps them).
     */
    public static EntrywiseRule denseEntrywise(double wStd, double bStd, Parameterization p, int fanIn, int width) {
        double w2 = wStd * wStd, b2 = bStd * bStd;
        double bias = bStd != 0 ? 1.0 : 0.0;
        return (var1, var2, channels) -> {
            int f = fanIn > 0 ? fanIn : channels;
            if (p != Parameterization.NTK && f <= 0) {
                throw new IllegalArgumentException("standard parameterization needs the fan-in, but the input kernel's"
                        + " channel count is unknown (build it with Kernel.fromInputs)");
            }
            double[] v1 = affine(var1, w2, b2);
            double[] v2 = var2 == var1 ? v1 : affine(var2, w2, b2);
            int out = width > 0 ? width : channels;
            boolean ntkParam = p == Parameterization.NTK;
            return new EntrywiseRule.Step() {
                @Override
                public void apply(int i, int j0, int len, double[] nngp, double[] ntk, int off) {
                    int end = off + len;
                    if (ntk == null) {
                        for (int e = off; e < end; e++) {
                            nngp[e] = w2 * nngp[e] + b2;
                        }
                    } else if (ntkParam) {
                        for (int e = off; e < end; e++) {
                            double s = w2 * nngp[e] + b2;
                            nngp[e] = s;
                            ntk[e] = s + w2 * ntk[e];
                        }
                    } else {
                        for (int e = off; e < end; e++) {
                            double x = nngp[e];
                            nngp[e] = w2 * x + b2;
                            ntk[e] = f * x + w2 * ntk[e] + bias;
                        }
                    }
                }

                @Override
                public double[] var1() {
                    return v1;
                }

                @Override
                public double[] var2() {
                    return v2;
                }

                @Override
                public int channels() {
                    return out;
                }
            };
        };
    }

    private static double[] affine(double[] a, double scale, double shift) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = scale * a[i] + shift;
        }
        return o;
    }

    private static Tensor affine(Tensor x, double scale, double shift) {
        if (x == null) {
            return null;
        }
        double[] a = x.data(), o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = scale * a[i] + shift;
        }
        return Tensor.of(o, x.shape());
    }

    // ---- convolution and pooling -------------------------------------------------------------

    /** Convolution, NTK parameterization; {@code filter}, {@code strides} per spatial axis. */
    public static Kernel conv(Kernel k, int[] filter, int[] strides, Padding padding, double wStd, double bStd) {
        return conv(k, filter, strides, padding, wStd, bStd, Parameterization.NTK, 0);
    }

    /**
     * Convolution with shared weights: per spatial axis, each position pair becomes the mean over the
     * filter's diagonal shifts, then the dense rule (bias shared over positions). STANDARD uses
     * {@code fanIn = inChannels × filter size} ({@code Θ' = fanIn·conv(Σ) + wStd² conv(Θ) + [bias]});
     * {@code fanIn ≤ 0} takes {@code k.channels() × filter size}.
     */
    public static Kernel conv(Kernel k, int[] filter, int[] strides, Padding padding, double wStd, double bStd,
                              Parameterization p, int fanIn) {
        int[] spatial = k.spatial();
        checkWindow("conv", spatial, filter, strides);
        int[] outSpatial = spatial.clone();
        Tensor nngp = k.nngp(), ntk = k.ntk(), cov1 = k.cov1(), cov2 = k.cov2();
        boolean sameCov = cov2 == cov1;
        boolean diagonal = k.diagonalSpatial();
        for (int a = 0; a < spatial.length; a++) {
            if (diagonal) {
                // Same-position pairs need only same-position pairs: (1/f) Σ_k Σ[s o + k − lo, s o + k − lo].
                nngp = diagonalAxis(nngp, 2, a, outSpatial, filter[a], strides[a], padding);
                ntk = ntk == null ? null : diagonalAxis(ntk, 2, a, outSpatial, filter[a], strides[a], padding);
                cov1 = diagonalAxis(cov1, 1, a, outSpatial, filter[a], strides[a], padding);
                cov2 = sameCov ? cov1 : diagonalAxis(cov2, 1, a, outSpatial, filter[a], strides[a], padding);
                outSpatial[a] = outSize(spatial[a], filter[a], strides[a], padding);
                continue;
            }
            nngp = pairAxis(nngp, 2, a, outSpatial, filter[a], strides[a], padding, true, true);
            ntk = ntk == null ? null : pairAxis(ntk, 2, a, outSpatial, filter[a], strides[a], padding, true, true);
            cov1 = pairAxis(cov1, 1, a, outSpatial, filter[a], strides[a], padding, true, true);
            cov2 = sameCov ? cov1 : pairAxis(cov2, 1, a, outSpatial, filter[a], strides[a], padding, true, true);
            outSpatial[a] = outSize(spatial[a], filter[a], strides[a], padding);
        }
        if (fanIn <= 0 && k.channels() > 0) {
            fanIn = k.channels();
            for (int f : filter) {
                fanIn *= f;
            }
        }
        return affineLayer(k, nngp, ntk, cov1, cov2, wStd, bStd, p, fanIn, outSpatial);
    }

    /** Average pooling: each pair becomes the mean over the window on both sides (window size², as NT without edge normalisation). */
    public static Kernel avgPool(Kernel k, int[] window, int[] strides, Padding padding) {
        return pool(k, window, strides, padding, true);
    }

    /** Sum pooling: each pair becomes the sum over the window on both sides. */
    public static Kernel sumPool(Kernel k, int[] window, int[] strides, Padding padding) {
        return pool(k, window, strides, padding, false);
    }

    private static Kernel pool(Kernel k, int[] window, int[] strides, Padding padding, boolean average) {
        requireFullSpatial(k, average ? "avgPool" : "sumPool");
        int[] spatial = k.spatial();
        checkWindow("pool", spatial, window, strides);
        int[] outSpatial = spatial.clone();
        Tensor nngp = k.nngp(), ntk = k.ntk(), cov1 = k.cov1(), cov2 = k.cov2();
        boolean sameCov = cov2 == cov1;
        for (int a = 0; a < spatial.length; a++) {
            nngp = pairAxis(nngp, 2, a, outSpatial, window[a], strides[a], padding, false, average);
            ntk = ntk == null ? null : pairAxis(ntk, 2, a, outSpatial, window[a], strides[a], padding, false, average);
            cov1 = pairAxis(cov1, 1, a, outSpatial, window[a], strides[a], padding, false, average);
            cov2 = sameCov ? cov1 : pairAxis(cov2, 1, a, outSpatial, window[a], strides[a], padding, false, average);
            outSpatial[a] = outSize(spatial[a], window[a], strides[a], padding);
        }
        return new Kernel(nngp, ntk, cov1, cov2, outSpatial, k.x1IsX2(), k.channels());
    }

    /**
     * Pooling mixes different positions, so its output pairs need the input's off-diagonal pairs, which a
     * diagonal spatial kernel does not hold: refused in one line rather than approximated.
     */
    private static void requireFullSpatial(Kernel k, String what) {
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
    private static Tensor diagonalAxis(Tensor x, int lead, int a, int[] curSpatial, int window, int stride, Padding padding) {
        int size = curSpatial[a];
        int out = outSize(size, window, stride, padding);
        int lo = lowPad(size, window, stride, padding);
        int outer = 1;
        for (int i = 0; i < lead; i++) {
            outer *= x.dim(i);
        }
        for (int b = 0; b < a; b++) {
            outer *= curSpatial[b];
        }
        int inner = 1;
        for (int b = a + 1; b < curSpatial.length; b++) {
            inner *= curSpatial[b];
        }
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
        double[] res = window1d(x.data(), outer, size, inner, out, window, src, 1.0 / window);
        int[] shape = x.shape();
        shape[lead + a] = out;
        return Tensor.of(res, shape);
    }

    private static void checkWindow(String what, int[] spatial, int[] window, int[] strides) {
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

    private static int lowPad(int size, int window, int stride, Padding padding) {
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
    private static Tensor pairAxis(Tensor x, int lead, int a, int[] curSpatial, int window, int stride,
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
        // Source index of output position o and window offset k, or -1 for a zero pad.
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
        double[] in = x.data();
        double[] res;
        if (diagonal) {
            double norm = 1.0 / window;
            res = new double[outer * out * out * inner];
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
        } else {
            double norm = average ? 1.0 / window : 1.0;
            // First side: [outer][size][size*inner] -> [outer][out][size*inner]; then the second side.
            double[] mid = window1d(in, outer, size, size * inner, out, window, src, norm);
            res = window1d(mid, outer * out, size, inner, out, window, src, norm);
        }
        int[] shape = x.shape();
        shape[lead + 2 * a] = out;
        shape[lead + 2 * a + 1] = out;
        return Tensor.of(res, shape);
    }

    private static double[] window1d(double[] in, int outer, int size, int inner, int out, int window, int[] src, double norm) {
        double[] res = new double[outer * out * inner];
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
        return res;
    }

    // ---- readouts ----------------------------------------------------------------------------

    /** Global average pooling: the mean over all position pairs, giving a dense kernel. */
    public static Kernel globalAvgPool(Kernel k) {
        return reduceAll(k, true);
    }

    /** Global sum pooling: the sum over all position pairs, giving a dense kernel. */
    public static Kernel globalSumPool(Kernel k) {
        return reduceAll(k, false);
    }

    private static Kernel reduceAll(Kernel k, boolean average) {
        requireFullSpatial(k, average ? "globalAvgPool" : "globalSumPool");
        int block = k.layout().block();
        double norm = average ? 1.0 / block : 1.0;
        return reduce(k, (blockValues, off) -> {
            double s = 0;
            for (int m = 0; m < block; m++) {
                s += blockValues[off + m];
            }
            return s * norm;
        });
    }

    /**
     * Flatten (neural-tangents' normalisation): the mean over the diagonal position pairs
     * {@code (1/Q) Σ_p Σ[p, p]}, giving a dense kernel whose fan-in is {@code Q × channels}. It reads only
     * same-position pairs, so it is exact on diagonal spatial kernels too.
     */
    public static Kernel flatten(Kernel k) {
        PairLayout lay = k.layout();
        int q = lay.positions();
        int[] diag = new int[q];
        for (int p = 0; p < q; p++) {
            diag[p] = lay.diagonal(p);
        }
        Kernel flat = reduce(k, (v, off) -> {
            double s = 0;
            for (int d : diag) {
                s += v[off + d];
            }
            return s / q;
        });
        return flat.withChannels(k.channels() * q);
    }

    private interface BlockReducer {
        double reduce(double[] values, int offset);
    }

    private static Kernel reduce(Kernel k, BlockReducer r) {
        if (k.spatial().length == 0) {
            return k;
        }
        int block = k.layout().block();
        Tensor nngp = reduceArray(k.nngp(), block, r, k.n1(), k.n2());
        Tensor ntk = k.ntk() == null ? null : reduceArray(k.ntk(), block, r, k.n1(), k.n2());
        Tensor cov1 = reduceArray(k.cov1(), block, r, k.cov1().dim(0));
        Tensor cov2 = k.cov2() == k.cov1() ? cov1 : reduceArray(k.cov2(), block, r, k.cov2().dim(0));
        return new Kernel(nngp, ntk, cov1, cov2, new int[0], k.x1IsX2(), k.channels());
    }

    private static Tensor reduceArray(Tensor x, int block, BlockReducer r, int... shape) {
        double[] v = x.data();
        double[] o = new double[v.length / block];
        for (int i = 0; i < o.length; i++) {
            o[i] = r.reduce(v, i * block);
        }
        return Tensor.of(o, shape);
    }

    // ---- normalisation, dropout, identity -----------------------------------------------------

    /**
     * Layer normalisation over channels (per position), as neural-tangents' LayerNorm(axis = channels):
     * every entry is divided by the square root of the two variances it pairs,
     * {@code Σ'[i,j,p,q] = Σ[i,j,p,q] / √((Σ1[i,p,p] + eps)(Σ2[j,q,q] + eps))}, and Θ alike. Exact in
     * the limit for zero-mean Gaussian inputs (e.g. right after a dense or conv layer), where the
     * subtracted channel mean vanishes.
     */
    public static Kernel layerNorm(Kernel k, double eps) {
        PairLayout lay = k.layout();
        double[] var1 = lay.variances(k.cov1());
        boolean sameCov = k.cov2() == k.cov1();
        double[] var2 = sameCov ? var1 : lay.variances(k.cov2());
        Tensor nngp = normalise(k.nngp(), lay, var1, var2, k.n2(), false, eps);
        Tensor ntk = k.ntk() == null ? null : normalise(k.ntk(), lay, var1, var2, k.n2(), false, eps);
        Tensor cov1 = normalise(k.cov1(), lay, var1, var1, 1, true, eps);
        Tensor cov2 = sameCov ? cov1 : normalise(k.cov2(), lay, var2, var2, 1, true, eps);
        return new Kernel(nngp, ntk, cov1, cov2, k.spatial(), k.x1IsX2(), k.channels());
    }

    /** {@link #layerNorm(Kernel, double)} with neural-tangents' default {@code eps = 1e−12}. */
    public static Kernel layerNorm(Kernel k) {
        return layerNorm(k, 1e-12);
    }

    private static Tensor normalise(Tensor x, PairLayout lay, double[] varA, double[] varB, int n2, boolean diagonal, double eps) {
        int q = lay.positions(), block = lay.block();
        double[] v = x.data(), o = new double[v.length];
        int n1 = v.length / (block * n2);
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                int ex = diagonal ? i : j;
                int base = (i * n2 + j) * block;
                for (int m = 0; m < block; m++) {
                    o[base + m] = v[base + m] / Math.sqrt((varA[i * q + lay.posA(m)] + eps) * (varB[ex * q + lay.posB(m)] + eps));
                }
            }
        }
        return Tensor.of(o, x.shape());
    }

    /** Dropout at evaluation time is the identity (as neural-tangents' kernel in test mode). */
    public static Kernel dropout(Kernel k, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("dropout rate must be in (0, 1], got " + rate);
        }
        return k;
    }

    /** The identity layer. */
    public static Kernel identity(Kernel k) {
        return k;
    }

    /** An activation layer: {@link Dual#apply(Kernel)}. */
    public static Kernel activation(Kernel k, Dual dual) {
        return dual.apply(k);
    }

    // ---- combinators -------------------------------------------------------------------------

    /** Sum of independent branches: Σ = Σ_i Σ_i, Θ = Σ_i Θ_i (covariances alike). */
    public static Kernel fanInSum(List<Kernel> branches) {
        return combine(branches, Combination.SUM);
    }

    /**
     * Elementwise product of independent branches (Hadamard): {@code Σ = Π_i Σ_i},
     * {@code Θ = Σ_i Θ_i Π_{j≠i} Σ_j} (product rule), covariances {@code Π_i cov_i}.
     */
    public static Kernel fanInProd(List<Kernel> branches) {
        return combine(branches, Combination.PRODUCT);
    }

    /**
     * Concatenation along the channel axis: the mean of the branches' kernels weighted by their
     * channel counts {@code c_i/Σc} (equal weights when a count is unknown), since the next layer
     * averages over all channels.
     */
    public static Kernel fanInConcat(List<Kernel> branches) {
        return combine(branches, Combination.MEAN);
    }

    private enum Combination { SUM, PRODUCT, MEAN }

    private static Kernel combine(List<Kernel> ks, Combination how) {
        if (ks.isEmpty()) {
            throw new IllegalArgumentException("fan-in of no branches");
        }
        Kernel first = ks.get(0);
        boolean haveNtk = true;
        for (Kernel k : ks) {
            if (!k.nngp().sameShape(first.nngp()) || !Arrays.equals(k.spatial(), first.spatial())) {
                throw new IllegalArgumentException("fan-in branches differ: " + first.nngp().shapeString() + " vs "
                        + k.nngp().shapeString());
            }
            haveNtk &= k.ntk() != null;
        }
        int n = ks.size();
        // Concatenation: each branch weighs by its share of the channels (equal shares when unknown).
        double[] weights = new double[n];
        boolean known = ks.stream().allMatch(k -> k.channels() > 0);
        int total = ks.stream().mapToInt(Kernel::channels).sum();
        for (int i = 0; i < n; i++) {
            weights[i] = known ? (double) ks.get(i).channels() / total : 1.0 / n;
        }
        Tensor nngp = combineArrays(ks.stream().map(Kernel::nngp).toList(), how, weights);
        Tensor cov1 = combineArrays(ks.stream().map(Kernel::cov1).toList(), how, weights);
        boolean sameCov = ks.stream().allMatch(k -> k.cov2() == k.cov1());
        Tensor cov2 = sameCov ? cov1 : combineArrays(ks.stream().map(Kernel::cov2).toList(), how, weights);
        Tensor ntk = null;
        if (haveNtk) {
            if (how != Combination.PRODUCT) {
                ntk = combineArrays(ks.stream().map(Kernel::ntk).toList(), how, weights);
            } else {
                int size = first.nngp().size();
                double[] o = new double[size];
                for (int i = 0; i < n; i++) {
                    double[] t = ks.get(i).ntk().data();
                    for (int e = 0; e < size; e++) {
                        double prod = t[e];
                        for (int j = 0; j < n; j++) {
                            if (j != i) {
                                prod *= ks.get(j).nngp().data()[e];
                            }
                        }
                        o[e] += prod;
                    }
                }
                ntk = Tensor.of(o, first.nngp().shape());
            }
        }
        boolean same = ks.stream().allMatch(Kernel::x1IsX2);
        // Concatenation adds the branches' channels (unknown if any is unknown); sum and product keep them.
        int channels = first.channels();
        if (how == Combination.MEAN) {
            channels = known ? total : 0;
        }
        return new Kernel(nngp, ntk, cov1, cov2, first.spatial(), same, channels);
    }

    private static Tensor combineArrays(List<Tensor> xs, Combination how, double[] weights) {
        int size = xs.get(0).size();
        double[] o = new double[size];
        if (how == Combination.PRODUCT) {
            Arrays.fill(o, 1.0);
        }
        for (int i = 0; i < xs.size(); i++) {
            double[] v = xs.get(i).data();
            double w = weights[i];
            for (int e = 0; e < size; e++) {
                switch (how) {
                    case PRODUCT -> o[e] *= v[e];
                    case SUM -> o[e] += v[e];
                    case MEAN -> o[e] += w * v[e];
                }
            }
        }
        return Tensor.of(o, xs.get(0).shape());
    }
}
