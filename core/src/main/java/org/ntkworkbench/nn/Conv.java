package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Masks;
import java.util.Arrays;
import java.util.Map;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.DiagonalStep;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.tensor.Tensor;

/**
 * 1-D, 2-D or 3-D convolution (cross-correlation, as in every deep-learning library) on inputs
 * {@code (n, length, inC)}, NHWC {@code (n, height, width, inC)} or {@code (n, depth, height, width, inC)}:
 * {@code z[p, o] = (wStd/√(F·inC)) Σ_{f,c} h[p·s + f − pad, c] W[f, c, o] + bStd b[o]}
 * (NTK parameterization; standard as for {@link Dense} with fan-in {@code F·inC}), {@code F} the
 * number of filter offsets. {@code W} is {@code (filter…, inC, outC)}, {@code b} is {@code (outC)}.
 * Computed by im2col (a gather of the receptive fields, {@link Windows}) and one gemm.
 */
public final class Conv extends UnaryLayer {
    private final int channels;
    private final int[] filter;
    private final int[] strides;
    private final Padding padding;
    private final double wStd;
    private final double bStd;
    private final Parameterization parameterization;

    /** A convolution with {@code channels} output channels; {@code strides} may be {@code null} (all 1). */
    public Conv(int channels, int[] filter, int[] strides, Padding padding, double wStd, double bStd,
                Parameterization parameterization) {
        if (filter.length < 1 || filter.length > 3) {
            throw new IllegalArgumentException("conv filter " + Arrays.toString(filter) + " must have 1, 2 or 3 axes");
        }
        if (channels < 1) {
            throw new IllegalArgumentException("conv channels " + channels + " must be positive");
        }
        this.channels = channels;
        this.filter = filter.clone();
        this.strides = strides == null ? ones(filter.length) : strides.clone();
        if (this.strides.length != filter.length) {
            throw new IllegalArgumentException("conv strides " + Arrays.toString(strides) + " do not match filter "
                    + Arrays.toString(filter));
        }
        this.padding = padding;
        this.wStd = wStd;
        this.bStd = bStd;
        this.parameterization = parameterization;
    }

    static int[] ones(int d) {
        int[] s = new int[d];
        Arrays.fill(s, 1);
        return s;
    }

    @Override
    public String word() {
        return "conv";
    }

    /** The {@code channels} this was built with. */
    public int channels() {
        return channels;
    }

    /** The {@code filter} this was built with. */
    public int[] filter() {
        return filter.clone();
    }

    /** The {@code strides} this was built with. */
    public int[] strides() {
        return strides.clone();
    }

    /** The {@code padding} this was built with. */
    public Padding padding() {
        return padding;
    }

    /** The {@code wStd} this was built with. */
    public double wStd() {
        return wStd;
    }

    /** The {@code bStd} this was built with. */
    public double bStd() {
        return bStd;
    }

    /** The {@code parameterization} this was built with. */
    public Parameterization parameterization() {
        return parameterization;
    }

    /** True when the layer has a bias parameter ({@code bStd ≠ 0}). */
    public boolean hasBias() {
        return bStd != 0.0;
    }

    /** The window geometry for per-example input shape {@code in}. */
    public Windows windows(int[] in) {
        return Windows.of(in, filter, strides, padding);
    }

    @Override
    public int[] outputShape(int[] in) {
        Windows w = windows(in);
        int[] out = Arrays.copyOf(w.outSpatial(), filter.length + 1);
        out[filter.length] = channels;
        return out;
    }

    private int[] weightShape(int inC) {
        int[] s = Arrays.copyOf(filter, filter.length + 2);
        s[filter.length] = inC;
        s[filter.length + 1] = channels;
        return s;
    }

    @Override
    protected void initParams(String path, int[] in, long seed, Map<String, Tensor> params) {
        outputShape(in);
        int inC = in[in.length - 1];
        int fanIn = windowSize() * inC;
        String wKey = Params.key(path, "W");
        Tensor w = Params.normal(seed, wKey, weightShape(inC));
        params.put(wKey, parameterization == Parameterization.NTK ? w : w.mul(wStd / Math.sqrt(fanIn)));
        if (hasBias()) {
            String bKey = Params.key(path, "b");
            Tensor b = Params.normal(seed, bKey, channels);
            params.put(bKey, parameterization == Parameterization.NTK ? b : b.mul(bStd));
        }
    }

    private int windowSize() {
        int f = 1;
        for (int x : filter) {
            f *= x;
        }
        return f;
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] shape = x.shape();
        int[] in = Arrays.copyOfRange(shape, 1, shape.length);
        Windows win = windows(in);
        int n = shape[0];
        int inC = in[in.length - 1];
        int fanIn = windowSize() * inC;
        Var w = ctx.param(Params.key(path, "W"), weightShape(inC));
        int positions = win.positions();
        Var patches = Ops.gather(x, win.index(), positions, fanIn).reshape(n * positions, fanIn);
        double a = parameterization == Parameterization.NTK ? wStd / Math.sqrt(fanIn) : 1.0;
        double c = parameterization == Parameterization.NTK ? bStd : 1.0;
        Var z = Ops.matmul(patches, w.reshape(fanIn, channels));
        if (a != 1.0) {
            z = z.scale(a);
        }
        if (hasBias()) {
            Var b = ctx.param(Params.key(path, "b"), channels);
            z = z.add(c == 1.0 ? b : b.scale(c));
        }
        if (ctx.trace() != null) {
            ctx.trace().record(new Trace.Entry(path, word(), patches, z, positions, a, c, hasBias()));
        }
        int[] out = outputShape(in);
        int[] full = new int[out.length + 1];
        full[0] = n;
        System.arraycopy(out, 0, full, 1, out.length);
        return z.reshape(full);
    }

    @Override
    public String toString() {
        return "conv(" + channels + ", filter: " + Arrays.toString(filter) + ", strides: " + Arrays.toString(strides)
                + ", padding: '" + padding + "', wStd: " + wStd + ", bStd: " + bStd + ")";
    }

    /**
     * The convolution rule ({@link #rule}): mean over the filter's diagonal shifts per spatial axis,
     * then the dense rule (standard fan-in = input channels × filter size).
     */
    /** Fresh Gaussian weights over infinitely many inputs: the output is Gaussian whatever the input. */
    @Override
    public Gaussianity gaussianityAfter(Gaussianity in) {
        return Gaussianity.GAUSSIAN;
    }

    @Override
    public Kernel kernel(Kernel in) {
        if (in.spatial().length != filter.length) {
            throw new IllegalArgumentException("conv with filter " + Arrays.toString(filter) + " needs a kernel with "
                    + filter.length + " spatial axes, got " + Arrays.toString(in.spatial()));
        }
        return rule(in, filter, strides, padding, wStd, bStd, parameterization, 0).withChannels(channels)
                .withGaussianity(gaussianityAfter(in.gaussianity()));
    }

    /**
     * The fused diagonal form of {@link #rule}: the mean over the filter's shifts on every axis (which passes
     * on fan-in = input channels × filter size), then the dense rule with this layer's output channels.
     */
    @Override
    public java.util.List<DiagonalStep> diagonalSteps() {
        return java.util.List.of(new DiagonalStep.Window(filter, strides, padding),
                new DiagonalStep.Entrywise(Dense.rule(wStd, bStd, parameterization, 0, channels)));
    }

    /** Pair (p, q) reads the pairs (p + k, q + k): same-position pairs from same-position pairs. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    /** The NTK-parameterized {@linkplain #rule(Kernel, int[], int[], Padding, double, double, Parameterization, int) convolution rule}. */
    public static Kernel rule(Kernel k, int[] filter, int[] strides, Padding padding, double wStd, double bStd) {
        return rule(k, filter, strides, padding, wStd, bStd, Parameterization.NTK, 0);
    }

    /**
     * The convolution rule with shared weights (CNTK, Arora et al. 2019; neural-tangents): per spatial axis,
     * each position pair {@code (p, q)} becomes the mean over the filter's diagonal shifts
     * {@code (1/f) Σ_k Σ[s p + k − lo, s q + k − lo]} (on the diagonal layout: of same-position pairs), then
     * the {@linkplain Dense#rule(double, double, Parameterization, int, int) dense rule} (bias shared over
     * positions). STANDARD uses {@code fanIn = inChannels × filter size}; {@code fanIn ≤ 0} takes
     * {@code k.channels() × filter size}. Keeps the input's channel count.
     */
    public static Kernel rule(Kernel k, int[] filter, int[] strides, Padding padding, double wStd, double bStd,
                              Parameterization p, int fanIn) {
        int[] spatial = k.spatial();
        PairAxes.checkWindow("conv", spatial, filter, strides);
        int[] outSpatial = spatial.clone();
        Tensor nngp = k.nngp(), ntk = k.ntk(), cov1 = k.cov1(), cov2 = k.cov2();
        boolean sameCov = cov2 == cov1;
        boolean diagonal = k.diagonalSpatial();
        for (int a = 0; a < spatial.length; a++) {
            if (diagonal) {
                // Same-position pairs need only same-position pairs: (1/f) Σ_k Σ[s o + k − lo, s o + k − lo].
                nngp = PairAxes.diagonalAxis(nngp, 2, a, outSpatial, filter[a], strides[a], padding);
                ntk = ntk == null ? null : PairAxes.diagonalAxis(ntk, 2, a, outSpatial, filter[a], strides[a], padding);
                cov1 = PairAxes.diagonalAxis(cov1, 1, a, outSpatial, filter[a], strides[a], padding);
                cov2 = sameCov ? cov1 : PairAxes.diagonalAxis(cov2, 1, a, outSpatial, filter[a], strides[a], padding);
                outSpatial[a] = PairAxes.outSize(spatial[a], filter[a], strides[a], padding);
                continue;
            }
            nngp = PairAxes.pairAxis(nngp, 2, a, outSpatial, filter[a], strides[a], padding, true, true);
            ntk = ntk == null ? null : PairAxes.pairAxis(ntk, 2, a, outSpatial, filter[a], strides[a], padding, true, true);
            cov1 = PairAxes.pairAxis(cov1, 1, a, outSpatial, filter[a], strides[a], padding, true, true);
            cov2 = sameCov ? cov1 : PairAxes.pairAxis(cov2, 1, a, outSpatial, filter[a], strides[a], padding, true, true);
            outSpatial[a] = PairAxes.outSize(spatial[a], filter[a], strides[a], padding);
        }
        if (fanIn <= 0 && k.channels() > 0) {
            fanIn = k.channels();
            for (int f : filter) {
                fanIn *= f;
            }
        }
        Kernel shifted = k.withArrays(nngp, ntk, cov1, cov2, outSpatial);
        return Dense.rule(wStd, bStd, p, fanIn, 0).applyTo(shifted);
    }

    /** Each output position takes the mask of its window's centre tap (neural-tangents' {@code _pool_mask}). */
    @Override
    public Tensor outputMask(Tensor mask) {
        return Masks.windowCentres(mask, filter, strides, padding);
    }
}
