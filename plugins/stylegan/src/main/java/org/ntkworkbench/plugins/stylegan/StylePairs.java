package org.ntkworkbench.plugins.stylegan;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.NoKernelRuleException;
import org.ntkworkbench.tensor.Tensor;

/**
 * The flow convention of the StyleGAN blocks and small helpers they share.
 *
 * <p>A style block consumes and gives a <b>style pair</b>, the two-item flow {@code [x, w]}: {@code x} a
 * feature map {@code (n, length, C)} or NHWC {@code (n, H, W, C)} and {@code w} the style (latent)
 * vectors {@code (n, D)}. Blocks pass {@code w} on unchanged, so they chain in {@code serial}; a
 * pair model starts with {@code styleInput} (or {@code constantInput} after a mapping network) and
 * ends with {@code dropStyle()}.
 */
final class StylePairs {
    private StylePairs() {}

    /** Checks that a flow of shapes is a style pair (feature map with 1 or 2 spatial axes, dense style). */
    static void checkPair(String word, List<int[]> shapes) {
        if (shapes.size() != 2) {
            throw new IllegalArgumentException("'" + word + "' takes the style pair [features, style] but the flow has "
                    + shapes.size() + " items (start with styleInput(dim:) or constantInput(...))");
        }
        checkFeatures(word, shapes.get(0));
        if (shapes.get(1).length != 1) {
            throw new IllegalArgumentException("'" + word + "': style item has per-example shape "
                    + Arrays.toString(shapes.get(1)) + ", expected (D)");
        }
    }

    /**
     * Checks the flow of a layer that works on the feature map alone or inside the style pair (its style passed
     * through): a style pair ({@link #checkPair}) or one feature map ({@link #checkFeatures}).
     */
    static void checkFeaturesOrPair(String word, List<int[]> shapes) {
        if (shapes.size() == 2) {
            checkPair(word, shapes);
        } else if (shapes.size() == 1) {
            checkFeatures(word, shapes.get(0));
        } else {
            throw new IllegalArgumentException(word + " takes a feature map or the style pair, the flow has " + shapes.size() + " items");
        }
    }

    /** Checks a per-example feature-map shape {@code (P, C)} or {@code (H, W, C)}. */
    static void checkFeatures(String word, int[] x) {
        if (x.length < 2 || x.length > 3) {
            throw new IllegalArgumentException("'" + word + "': features have per-example shape " + Arrays.toString(x)
                    + ", expected (length, C) or (H, W, C)");
        }
    }

    /** Checks a kernel flow is a style pair: a spatial features kernel and a dense style kernel. */
    static void checkPairKernels(String word, List<Kernel> in) {
        if (in.size() != 2) {
            throw new IllegalArgumentException("'" + word + "' takes the style pair [features, style] but the kernel flow has "
                    + in.size() + " items");
        }
        if (in.get(0).spatial().length < 1 || in.get(1).spatial().length != 0) {
            throw new IllegalArgumentException("'" + word + "': expected a spatial features kernel and a dense style kernel, got spatial "
                    + Arrays.toString(in.get(0).spatial()) + " and " + Arrays.toString(in.get(1).spatial()));
        }
    }

    /** The batch shape {@code (n, s…)} of per-example shape {@code s}. */
    static int[] batch(int n, int[] perExample) {
        int[] full = new int[perExample.length + 1];
        full[0] = n;
        System.arraycopy(perExample, 0, full, 1, perExample.length);
        return full;
    }

    /** {@code (n, 1, …, 1, C)} with {@code spatialAxes} ones: a per-example, per-channel value broadcast over positions. */
    static int[] perChannel(int n, int spatialAxes, int c) {
        int[] s = new int[spatialAxes + 2];
        Arrays.fill(s, 1);
        s[0] = n;
        s[spatialAxes + 1] = c;
        return s;
    }

    /** The same forward-pass context without its trace: for sub-layers whose weights are also used non-linearly. */
    static ApplyContext untraced(ApplyContext ctx, Map<String, Var> params) {
        return ctx.training() ? ApplyContext.train(params, ctx.seed()) : ApplyContext.eval(params);
    }

    /** A {@link NoKernelRuleException} whose message says why the layer has no infinite-width rule. */
    static final class NoLimitException extends NoKernelRuleException {
        private final String reason;

        NoLimitException(String word, String reason) {
            super(word);
            this.reason = reason;
        }

        @Override
        public String getMessage() {
            return super.getMessage() + ": " + reason;
        }
    }

    /**
     * Product rule of a feature kernel and a dense style kernel broadcast over all position pairs (the
     * Hadamard product {@code x_c[p] · s_c} of independent branches): {@code Σ = Σ_x[i,j,·] Σ_s[i,j]},
     * {@code Θ = Θ_x Σ_s + Σ_x Θ_s}, {@code cov = cov_x · cov_s}.
     */
    static Kernel modulate(Kernel kx, Kernel ks) {
        int n1 = kx.n1(), n2 = kx.n2(), block = kx.layout().block();
        if (ks.n1() != n1 || ks.n2() != n2) {
            throw new IllegalArgumentException("style kernel " + ks.nngp().shapeString() + " does not match features kernel "
                    + kx.nngp().shapeString());
        }
        double[] sx = kx.nngp().data(), ss = ks.nngp().data();
        double[] nngp = new double[sx.length];
        double[] ntk = kx.ntk() == null || ks.ntk() == null ? null : new double[sx.length];
        double[] tx = ntk == null ? null : kx.ntk().data(), ts = ntk == null ? null : ks.ntk().data();
        for (int e = 0; e < n1 * n2; e++) {
            for (int m = 0; m < block; m++) {
                int a = e * block + m;
                nngp[a] = sx[a] * ss[e];
                if (ntk != null) {
                    ntk[a] = tx[a] * ss[e] + sx[a] * ts[e];
                }
            }
        }
        Tensor cov1 = scaleBlocks(kx.cov1(), ks.cov1(), block);
        Tensor cov2 = kx.cov2() == kx.cov1() && ks.cov2() == ks.cov1() ? cov1 : scaleBlocks(kx.cov2(), ks.cov2(), block);
        return Kernel.fromBranches(List.of(kx, ks), Tensor.of(nngp, kx.nngp().shape()),
                ntk == null ? null : Tensor.of(ntk, kx.nngp().shape()), cov1, cov2, kx.spatial(), kx.channels());
    }

    private static Tensor scaleBlocks(Tensor c, Tensor s, int block) {
        double[] v = c.data(), f = s.data(), o = new double[v.length];
        for (int i = 0; i < f.length; i++) {
            for (int m = 0; m < block; m++) {
                o[i * block + m] = v[i * block + m] * f[i];
            }
        }
        return Tensor.of(o, c.shape());
    }
}
