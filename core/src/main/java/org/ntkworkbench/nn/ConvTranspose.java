package org.ntkworkbench.nn;

import java.util.Arrays;
import java.util.Map;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.tensor.Tensor;

/**
 * Transposed convolution (neural-tangents' {@code ConvTranspose}, {@code lax.conv_transpose} without kernel
 * flip) on 1-D, 2-D or 3-D inputs {@code (n, spatial…, inC)}: per axis the input is dilated by the stride,
 * padded and convolved, so tap {@code k} at output {@code o} reads input {@code i} with {@code i·s = o + k − a}
 * (the geometry, VALID/SAME/CIRCULAR output sizes and the offset {@code a}, is
 * {@link PairAxes#transposedSources}'s):
 * {@code z[o, c'] = (wStd/√(F·inC)) Σ_{k,c} h[i(o, k), c] W[k, c, c'] + bStd b[c']} (NTK parameterization;
 * standard as {@link Conv}, fan-in {@code F·inC} as in neural-tangents). Output size per axis: VALID
 * {@code L·s + max(f − s, 0)}, SAME and CIRCULAR {@code L·s}. Computed as {@link Conv} is (a gather of the
 * sources of every output position and one gemm), so the structured empirical NTK covers it too.
 *
 * <p><b>Kernel.</b> The weights are shared over positions and tap {@code k} pairs only with tap {@code k}:
 * {@code Σ'[o, o'] = wStd² (1/F) Σ_k Σ[i(o, k), i(o', k)] + bStd²} (a zero where a tap reads no input), the
 * conv rule with the transposed source table ({@link PairAxes#sharedWindowAxis}), then the dense rule. Tap k
 * on both sides of a same-position pair reads the same input position, so the diagonal layout is exact.
 */
public final class ConvTranspose extends UnaryLayer {
    private final int channels;
    private final int[] filter;
    private final int[] strides;
    private final Padding padding;
    private final double wStd;
    private final double bStd;
    private final Parameterization parameterization;

    /** A transposed convolution with {@code channels} output channels; {@code strides} may be {@code null} (all 1). */
    public ConvTranspose(int channels, int[] filter, int[] strides, Padding padding, double wStd, double bStd,
                         Parameterization parameterization) {
        if (filter.length < 1 || filter.length > 3) {
            throw new IllegalArgumentException("convTranspose filter " + Arrays.toString(filter) + " must have 1, 2 or 3 axes");
        }
        if (channels < 1) {
            throw new IllegalArgumentException("convTranspose channels " + channels + " must be positive");
        }
        this.channels = channels;
        this.filter = filter.clone();
        this.strides = strides == null ? Conv.ones(filter.length) : strides.clone();
        if (this.strides.length != filter.length) {
            throw new IllegalArgumentException("convTranspose strides " + Arrays.toString(strides) + " do not match filter "
                    + Arrays.toString(filter));
        }
        for (int a = 0; a < filter.length; a++) {
            if (filter[a] < 1 || this.strides[a] < 1) {
                throw new IllegalArgumentException("convTranspose filter " + Arrays.toString(filter) + " and strides "
                        + Arrays.toString(this.strides) + " must be positive");
            }
        }
        this.padding = padding == null ? Padding.VALID : padding;
        this.wStd = wStd;
        this.bStd = bStd;
        this.parameterization = parameterization == null ? Parameterization.NTK : parameterization;
    }

    @Override
    public String word() {
        return "convTranspose";
    }

    /** The window geometry (sources of every output position) for per-example input shape {@code in}. */
    public Windows windows(int[] in) {
        return Windows.transposed(in, filter, strides, padding);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != filter.length + 1) {
            throw new IllegalArgumentException("convTranspose with filter " + Arrays.toString(filter) + " needs inputs (spatial×"
                    + filter.length + ", channels), got per-example shape " + Arrays.toString(in));
        }
        int[] out = new int[in.length];
        for (int a = 0; a < filter.length; a++) {
            out[a] = PairAxes.transposedOutSize(in[a], filter[a], strides[a], padding);
        }
        out[filter.length] = channels;
        return out;
    }

    private int windowSize() {
        int f = 1;
        for (int x : filter) {
            f *= x;
        }
        return f;
    }

    private int[] weightShape(int inC) {
        int[] s = Arrays.copyOf(filter, filter.length + 2);
        s[filter.length] = inC;
        s[filter.length + 1] = channels;
        return s;
    }

    private boolean hasBias() {
        return bStd != 0.0;
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

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] shape = x.shape();
        int[] in = Arrays.copyOfRange(shape, 1, shape.length);
        int[] out = outputShape(in);
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
        int[] full = new int[out.length + 1];
        full[0] = n;
        System.arraycopy(out, 0, full, 1, out.length);
        return z.reshape(full);
    }

    /** The transposed-convolution rule ({@link #rule}) with this layer's options; keeps the channel count {@code channels}. */
    /** Fresh Gaussian weights over infinitely many inputs: the output is Gaussian whatever the input. */
    @Override
    public Gaussianity gaussianityAfter(Gaussianity in) {
        return Gaussianity.GAUSSIAN;
    }

    @Override
    public Kernel kernel(Kernel in) {
        if (in.spatial().length != filter.length) {
            throw new IllegalArgumentException("convTranspose with filter " + Arrays.toString(filter) + " needs a kernel with "
                    + filter.length + " spatial axes, got " + Arrays.toString(in.spatial()));
        }
        return rule(in, filter, strides, padding, wStd, bStd, parameterization).withChannels(channels)
                .withGaussianity(gaussianityAfter(in.gaussianity()));
    }

    /** Pair (o, o) reads only pairs (i, i): tap k reads the same input position on both sides. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    /**
     * The transposed-convolution rule (see the class comment): per spatial axis the shared-weight window over
     * the transposed source table, then the {@linkplain Dense#rule(double, double, Parameterization, int, int)
     * dense rule} with fan-in {@code k.channels() × filter size} (STANDARD).
     */
    public static Kernel rule(Kernel k, int[] filter, int[] strides, Padding padding, double wStd, double bStd,
                              Parameterization p) {
        int[] spatial = k.spatial();
        PairAxes.checkWindow("convTranspose", spatial, filter, strides);
        int[] cur = spatial.clone();
        Tensor nngp = k.nngp(), ntk = k.ntk(), cov1 = k.cov1(), cov2 = k.cov2();
        boolean sameCov = cov2 == cov1;
        boolean diagonal = k.diagonalSpatial();
        for (int a = 0; a < spatial.length; a++) {
            int out = PairAxes.transposedOutSize(spatial[a], filter[a], strides[a], padding);
            int[] src = PairAxes.transposedSources(spatial[a], filter[a], strides[a], padding);
            nngp = PairAxes.sharedWindowAxis(nngp, 2, a, cur, filter[a], out, src, diagonal);
            ntk = ntk == null ? null : PairAxes.sharedWindowAxis(ntk, 2, a, cur, filter[a], out, src, diagonal);
            Tensor c1 = PairAxes.sharedWindowAxis(cov1, 1, a, cur, filter[a], out, src, diagonal);
            cov2 = sameCov ? c1 : PairAxes.sharedWindowAxis(cov2, 1, a, cur, filter[a], out, src, diagonal);
            cov1 = c1;
            cur[a] = out;
        }
        int fanIn = 0;
        if (k.channels() > 0) {
            fanIn = k.channels();
            for (int f : filter) {
                fanIn *= f;
            }
        }
        Kernel shifted = k.withArrays(nngp, ntk, cov1, cov2, cur);
        return Dense.rule(wStd, bStd, p, fanIn, 0).applyTo(shifted);
    }

    @Override
    public String toString() {
        return "convTranspose(" + channels + ", filter: " + Arrays.toString(filter) + ", strides: " + Arrays.toString(strides)
                + ", padding: '" + padding + "', wStd: " + wStd + ", bStd: " + bStd + ", parameterization: '"
                + parameterization.name().toLowerCase(java.util.Locale.ROOT) + "')";
    }
}
