package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.EntrywiseRule;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;

import java.util.Arrays;
import java.util.Map;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.tensor.Tensor;

/**
 * Fully connected layer on the last axis: {@code z = (wStd/√fanIn) h W + bStd b} (NTK
 * parameterization, {@code W (fanIn, width)}, {@code b (width)} stored as N(0, 1) draws) or
 * {@code z = h W + b} (standard; {@code W ~ N(0, wStd²/fanIn)}, {@code b ~ N(0, bStd²)}). No
 * {@code b} at all when {@code bStd = 0}. Inputs {@code (n, …, fanIn)} give {@code (n, …, width)}.
 */
public final class Dense extends UnaryLayer {
    private final int width;
    private final double wStd;
    private final double bStd;
    private final Parameterization parameterization;

    /** A dense layer of {@code width} output units. */
    public Dense(int width, double wStd, double bStd, Parameterization parameterization) {
        if (width < 1) {
            throw new IllegalArgumentException("dense width " + width + " must be positive");
        }
        if (!Double.isFinite(wStd) || !Double.isFinite(bStd)) {
            throw new IllegalArgumentException("dense wStd and bStd must be finite numbers, got wStd " + wStd + ", bStd " + bStd);
        }
        this.width = width;
        this.wStd = wStd;
        this.bStd = bStd;
        this.parameterization = parameterization;
    }

    @Override
    public String word() {
        return "dense";
    }

    /** The {@code width} this was built with. */
    public int width() {
        return width;
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

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1 || in[in.length - 1] < 1) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(in) + " has no feature axis");
        }
        int[] out = in.clone();
        out[out.length - 1] = width;
        return out;
    }

    @Override
    protected void initParams(String path, int[] in, long seed, Map<String, Tensor> params) {
        int fanIn = in[in.length - 1];
        String wKey = Params.key(path, "W");
        Tensor w = Params.normal(seed, wKey, fanIn, width);
        params.put(wKey, parameterization == Parameterization.NTK ? w : w.mul(wStd / Math.sqrt(fanIn)));
        if (hasBias()) {
            String bKey = Params.key(path, "b");
            Tensor b = Params.normal(seed, bKey, width);
            params.put(bKey, parameterization == Parameterization.NTK ? b : b.mul(bStd));
        }
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] inShape = x.shape();
        if (inShape.length < 2) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(inShape) + " needs an example axis and a feature axis");
        }
        int fanIn = inShape[inShape.length - 1];
        Var w = ctx.param(Params.key(path, "W"), fanIn, width);
        Var h = x.reshape(-1, fanIn);
        double a = parameterization == Parameterization.NTK ? wStd / Math.sqrt(fanIn) : 1.0;
        double c = parameterization == Parameterization.NTK ? bStd : 1.0;
        Var z = Ops.matmul(h, w, a); // the NTK scale rides in gemm's alpha: no extra pass forward or backward
        if (hasBias()) {
            Var b = ctx.param(Params.key(path, "b"), width);
            z = z.add(c == 1.0 ? b : b.scale(c));
        }
        if (ctx.trace() != null) {
            int rows = h.dim(0);
            ctx.trace().record(new Trace.Entry(path, word(), h, z, rows / Math.max(1, inShape[0]), a, c, hasBias()));
        }
        int[] outShape = outputShape(Arrays.copyOfRange(inShape, 1, inShape.length));
        int[] full = new int[outShape.length + 1];
        full[0] = inShape[0];
        System.arraycopy(outShape, 0, full, 1, outShape.length);
        return z.reshape(full);
    }

    @Override
    public String toString() {
        return "dense(" + width + ", wStd: " + wStd + ", bStd: " + bStd + ", parameterization: '"
                + parameterization.name().toLowerCase(java.util.Locale.ROOT) + "')";
    }

    /**
     * The dense rule, in its one (entrywise) form: per entry {@code Σ' = wStd² Σ + bStd²} and
     * {@code Θ' = Σ' + wStd² Θ} (NTK parameterization) or {@code Θ' = fanIn Σ + wStd² Θ + [bias]}
     * (standard, bias term 1 when {@code bStd ≠ 0}; {@code fanIn ≤ 0} takes the input kernel's channel
     * count, which must then be known), variances {@code v' = wStd² v + bStd²}. It acts on channels,
     * the same for every position pair (the bias is shared, so bStd² is added to every pair). The output
     * has {@code width} channels ({@code width ≤ 0}: the input's). The whole-kernel rule is
     * {@link EntrywiseRule#applyTo}; {@link Serial} fuses it with its neighbours.
     */
    public static EntrywiseRule rule(double wStd, double bStd, Parameterization p, int fanIn, int width) {
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

                @Override
                public boolean slotFree() {
                    return true;
                }
            };
        };
    }

    /** The NTK-parameterized dense rule on a whole kernel, keeping its channel count. */
    public static Kernel rule(Kernel k, double wStd, double bStd) {
        return rule(wStd, bStd, Parameterization.NTK, 0, 0).applyTo(k).withGaussianity(Gaussianity.GAUSSIAN);
    }

    /** The dense rule on a whole kernel in either parameterization, keeping its channel count. */
    public static Kernel rule(Kernel k, double wStd, double bStd, Parameterization p, int fanIn) {
        return rule(wStd, bStd, p, fanIn, 0).applyTo(k).withGaussianity(Gaussianity.GAUSSIAN);
    }

    private static double[] affine(double[] a, double scale, double shift) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = scale * a[i] + shift;
        }
        return o;
    }

    /** Fresh Gaussian weights over infinitely many inputs: the output is Gaussian whatever the input. */
    @Override
    public Gaussianity gaussianityAfter(Gaussianity in) {
        return Gaussianity.GAUSSIAN;
    }

    /** This layer's {@linkplain #rule(double, double, Parameterization, int, int) rule}: fan-in from the input kernel, {@code width} channels out. */
    @Override
    public EntrywiseRule entrywiseKernelRule() {
        return rule(wStd, bStd, parameterization, 0, width);
    }

    /** Acts on channels position by position: each pair (p, q) from the same pair. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    /** Entrywise (per position): a masked position stays masked. */
    @Override
    public Tensor outputMask(Tensor mask) {
        return mask;
    }
}
