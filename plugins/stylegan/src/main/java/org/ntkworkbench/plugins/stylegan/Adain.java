package org.ntkworkbench.plugins.stylegan;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Dense;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Params;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code adain(eps: 1e-8, styleStd: 1, styleBias: 1)}: StyleGAN's adaptive instance normalisation on the
 * style pair {@code [x, w]} → {@code [y, w]}:
 * {@code y[p,c] = s_c (x[p,c] − μ_c) / √(σ²_c + eps) + t_c}, where {@code μ_c}, {@code σ²_c} are the mean
 * and variance of channel {@code c} over the positions of the example (instance normalisation), the scale
 * {@code s = (styleStd/√D) w A_s + styleBias · b_s} (bias stored as 1, child {@code 0}) and the shift
 * {@code t = (styleStd/√D) w A_t + styleBias · b_t} (bias stored as 0, child {@code 1}).
 *
 * <p>No kernel rule: see {@link #kernels}.
 */
public final class Adain implements Layer {
    private final double eps;
    private final double styleStd;
    private final double styleBias;

    /** AdaIN with {@code eps} inside the square root of the variance. */
    public Adain(double eps, double styleStd, double styleBias) {
        this.eps = eps;
        this.styleStd = styleStd;
        this.styleBias = styleBias;
    }

    @Override
    public String word() {
        return "adain";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        StylePairs.checkPair(word(), in);
        return in;
    }

    @Override
    public List<int[]> init(String path, List<int[]> in, long seed, Map<String, Tensor> params) {
        outputShapes(in);
        int[] x = in.get(0);
        int c = x[x.length - 1], d = in.get(1)[0];
        StyleAffine.init(StyleAffine.dense(c, styleStd, styleBias), Params.child(path, 0), d, 1.0, seed, params);
        StyleAffine.init(StyleAffine.dense(c, styleStd, styleBias), Params.child(path, 1), d, 0.0, seed, params);
        return in;
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("adain takes the style pair [features, style], the flow has " + inputs.size() + " items");
        }
        Var x = inputs.get(0), w = inputs.get(1);
        int n = x.dim(0), axes = x.rank() - 2, c = x.dim(x.rank() - 1);
        int[] spatialAxes = new int[axes];
        for (int a = 0; a < axes; a++) {
            spatialAxes[a] = a + 1;
        }
        Var centred = x.sub(Ops.mean(x, spatialAxes, true));
        Var var = Ops.mean(centred.mul(centred), spatialAxes, true);
        Var inv = Ops.map(var, "rsqrt", t -> 1.0 / Math.sqrt(t + eps), t -> -0.5 / ((t + eps) * Math.sqrt(t + eps)));
        Dense affine = StyleAffine.dense(c, styleStd, styleBias);
        int[] perChannel = StylePairs.perChannel(n, axes, c);
        Var scale = affine.apply(ctx, Params.child(path, 0), w).reshape(perChannel);
        Var shift = affine.apply(ctx, Params.child(path, 1), w).reshape(perChannel);
        return List.of(centred.mul(inv).mul(scale).add(shift), w);
    }

    /**
     * Throws {@link org.ntkworkbench.nn.NoKernelRuleException} naming {@code adain}: instance normalisation
     * divides by statistics over a <em>fixed, finite</em> number of positions, which stay random as the
     * width grows (no law of large numbers over channels), so the output kernel is an expectation of a
     * ratio over all positions jointly, not a function of the input kernel's position pairs.
     */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        throw new StylePairs.NoLimitException(word(),
                "instance normalisation uses per-channel statistics over a fixed, finite number of positions; they stay random "
                        + "as the width grows, so the output kernel is not a function of the input kernel's position pairs "
                        + "(use the empirical NTK)");
    }

    @Override
    public String toString() {
        return "adain(eps: " + eps + ", styleStd: " + styleStd + ", styleBias: " + styleBias + ")";
    }
}
