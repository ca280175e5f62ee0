package org.ntkworkbench.plugins.stylegan;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Conv;
import org.ntkworkbench.nn.Dense;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Parameterization;
import org.ntkworkbench.nn.Params;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code modulatedConv(channels, filter: 3, demodulate: true, padding: 'SAME', wStd: 1, bStd: 0,
 * styleStd: 1, styleBias: 1, eps: 1e-8)}: StyleGAN2's modulated convolution on the style pair
 * {@code [x, w]} → {@code [y, w]}.
 *
 * <p>Style {@code s = (styleStd/√D) w A + styleBias · b} ({@link StyleAffine}, child {@code 0}), one scale
 * per input channel. Weights {@code W (filter…, C, O)} (child {@code 1}, a {@link Conv}) are modulated
 * per example, {@code W'[f,c,o] = a W[f,c,o] s_c} with {@code a = wStd/√(F·C)}; since the modulation
 * scales input channels, {@code conv_{W'}(x) = conv_W(x ⊙ s)} and that is how it is computed (one
 * im2col gemm for the batch). Without demodulation {@code y = conv_W(x ⊙ s) + bStd b}. With
 * demodulation each output channel is divided by the norm of its modulated weights,
 * {@code y_o = conv_W(x ⊙ s)_o / √(Σ_{f,c} W'[f,c,o]² + eps) + bStd b_o}.
 *
 * <p><b>Kernel</b> (no demodulation): the Hadamard product of the feature branch and the style branch
 * (broadcast over positions) followed by the convolution rule: {@code Σ_p = Σ_x Σ_s},
 * {@code Θ_p = Θ_x Σ_s + Σ_x Θ_s}, then the CNTK conv rule. Assumes independent Gaussian {@code A} and
 * {@code W} (NTK parameterization) and the limit of infinitely many input channels. With
 * demodulation the limit of infinitely many input channels, where the demodulation norm becomes
 * deterministic: see {@link #kernels}.
 */
public final class ModulatedConv implements Layer {
    private final int channels;
    private final int filter;
    private final boolean demodulate;
    private final Padding padding;
    private final double wStd;
    private final double bStd;
    private final double styleStd;
    private final double styleBias;
    private final double eps;

    /** A modulated convolution with {@code channels} outputs and a square (or 1-D) filter of size {@code filter}. */
    public ModulatedConv(int channels, int filter, boolean demodulate, Padding padding, double wStd, double bStd,
                         double styleStd, double styleBias, double eps) {
        if (channels < 1 || filter < 1) {
            throw new IllegalArgumentException("modulatedConv channels " + channels + " and filter " + filter + " must be positive");
        }
        this.channels = channels;
        this.filter = filter;
        this.demodulate = demodulate;
        this.padding = padding;
        this.wStd = wStd;
        this.bStd = bStd;
        this.styleStd = styleStd;
        this.styleBias = styleBias;
        this.eps = eps;
    }

    @Override
    public String word() {
        return "modulatedConv";
    }

    /** True if the output is demodulated. */
    public boolean demodulate() {
        return demodulate;
    }

    /** The output channels. */
    public int channels() {
        return channels;
    }

    private Conv conv(int spatialAxes, boolean withBias) {
        int[] f = new int[spatialAxes];
        Arrays.fill(f, filter);
        return new Conv(channels, f, null, padding, wStd, withBias ? bStd : 0.0, Parameterization.NTK);
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        StylePairs.checkPair(word(), in);
        int[] x = in.get(0);
        return List.of(conv(x.length - 1, true).outputShape(x), in.get(1));
    }

    @Override
    public List<int[]> init(String path, List<int[]> in, long seed, Map<String, Tensor> params) {
        List<int[]> out = outputShapes(in);
        int[] x = in.get(0);
        StyleAffine.init(StyleAffine.dense(x[x.length - 1], styleStd, styleBias), Params.child(path, 0), in.get(1)[0], 1.0, seed, params);
        conv(x.length - 1, true).init(Params.child(path, 1), List.of(x), seed, params);
        return out;
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("modulatedConv takes the style pair [features, style], the flow has " + inputs.size() + " items");
        }
        Var x = inputs.get(0), w = inputs.get(1);
        int n = x.dim(0), axes = x.rank() - 2, inC = x.dim(-1 + x.rank());
        Dense affine = StyleAffine.dense(inC, styleStd, styleBias);
        Var s = affine.apply(ctx, Params.child(path, 0), w);
        Var h = x.mul(s.reshape(StylePairs.perChannel(n, axes, inC)));
        String convPath = Params.child(path, 1);
        if (!demodulate) {
            return List.of(conv(axes, true).apply(ctx, convPath, h), w);
        }
        // W enters twice (the convolution and the demodulation norm), so the conv must not be traced as a
        // plain linear layer: the structured NTK would miss the norm's share of its gradient.
        Conv c = conv(axes, false);
        int[] wShape = Arrays.copyOf(c.filter(), axes + 2);
        wShape[axes] = inC;
        wShape[axes + 1] = channels;
        String wKey = Params.key(convPath, "W");
        Var weights = ctx.param(wKey, wShape);
        Map<String, Var> only = new LinkedHashMap<>();
        only.put(wKey, weights);
        Var z = c.apply(StylePairs.untraced(ctx, only), convPath, h);
        int fanIn = inC;
        for (int f : c.filter()) {
            fanIn *= f;
        }
        double a2 = wStd * wStd / fanIn;
        int window = fanIn / inC;
        Var w2 = weights.mul(weights).reshape(window, inC * channels).sum(0).reshape(inC, channels);
        Var norm2 = Ops.matmul(s.mul(s), w2, a2); // Σ_{f,c} (a W s_c)², (n, O)
        Var inv = Ops.map(norm2, "demodulate", t -> 1.0 / Math.sqrt(t + eps), t -> -0.5 / ((t + eps) * Math.sqrt(t + eps)));
        Var y = z.mul(inv.reshape(StylePairs.perChannel(n, axes, channels)));
        if (bStd != 0.0) {
            y = y.add(ctx.param(Params.key(convPath, "b"), channels).scale(bStd));
        }
        return List.of(y, w);
    }

    /**
     * The rule of the class comment. With demodulation, the infinite-input-channel limit: the squared
     * norm {@code Σ_{f,c} W'[f,c,o]²} concentrates on {@code wStd² Σ_s(x, x)} (law of large numbers over
     * the {@code F·C} weights), so the demodulation becomes the deterministic per-example factor
     * {@code 1/√(wStd² Σ_s(x, x) + eps)}, and the gradient through the norm vanishes (it is
     * {@code O(1/(F·C))} per weight). The result is the same rule with the style kernels normalised,
     * {@code Σ̂_s = wStd² Σ_s / √(n₁ n₂)}, {@code Θ̂_s = wStd² Θ_s / √(n₁ n₂)},
     * {@code n = wStd² Σ_s(x, x) + eps}, and the convolution taken with {@code wStd = 1}.
     */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        StylePairs.checkPairKernels(word(), in);
        Kernel kx = in.get(0), kw = in.get(1);
        int inC = Math.max(kx.channels(), 1);
        Kernel ks = StyleAffine.dense(inC, styleStd, styleBias).kernel(kw);
        if (!demodulate) {
            return List.of(conv(kx.spatial().length, true).kernel(StylePairs.modulate(kx, ks)), kw);
        }
        Kernel normalised = normaliseStyle(ks);
        int[] f = new int[kx.spatial().length];
        Arrays.fill(f, filter);
        Conv unitConv = new Conv(channels, f, null, padding, 1.0, bStd, Parameterization.NTK);
        return List.of(unitConv.kernel(StylePairs.modulate(kx, normalised)), kw);
    }

    /** {@code wStd² K / √(n₁ n₂)} for the NNGP, NTK and covariances, {@code n = wStd² Σ_s(x, x) + eps}. */
    private Kernel normaliseStyle(Kernel ks) {
        double w2 = wStd * wStd;
        double[] c1 = ks.cov1().data(), c2 = ks.cov2().data();
        int n1 = c1.length, n2 = c2.length;
        double[] r1 = new double[n1], r2 = new double[n2];
        for (int i = 0; i < n1; i++) {
            r1[i] = 1.0 / Math.sqrt(w2 * c1[i] + eps);
        }
        for (int j = 0; j < n2; j++) {
            r2[j] = 1.0 / Math.sqrt(w2 * c2[j] + eps);
        }
        Tensor nngp = scaled(ks.nngp(), r1, r2, w2);
        Tensor ntk = ks.ntk() == null ? null : scaled(ks.ntk(), r1, r2, w2);
        double[] o1 = new double[n1], o2 = new double[n2];
        for (int i = 0; i < n1; i++) {
            o1[i] = w2 * c1[i] * r1[i] * r1[i];
        }
        for (int j = 0; j < n2; j++) {
            o2[j] = w2 * c2[j] * r2[j] * r2[j];
        }
        Tensor cov1 = Tensor.of(o1, n1);
        Tensor cov2 = ks.cov2() == ks.cov1() ? cov1 : Tensor.of(o2, n2);
        return ks.withArrays(nngp, ntk, cov1, cov2, new int[0]);
    }

    private static Tensor scaled(Tensor k, double[] r1, double[] r2, double w2) {
        double[] v = k.data(), o = new double[v.length];
        for (int i = 0; i < r1.length; i++) {
            for (int j = 0; j < r2.length; j++) {
                o[i * r2.length + j] = w2 * v[i * r2.length + j] * r1[i] * r2[j];
            }
        }
        return Tensor.of(o, k.shape());
    }

    @Override
    public String toString() {
        return "modulatedConv(" + channels + ", filter: " + filter + ", demodulate: " + demodulate + ", padding: '" + padding
                + "', wStd: " + wStd + ", bStd: " + bStd + ", styleStd: " + styleStd + ", styleBias: " + styleBias + ")";
    }
}
