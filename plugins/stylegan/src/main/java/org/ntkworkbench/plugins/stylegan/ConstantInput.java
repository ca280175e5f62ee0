package org.ntkworkbench.plugins.stylegan;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Params;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code constantInput(size: 4, channels: C)}: StyleGAN's learned constant, the start of the synthesis
 * network. Takes the style {@code w (n, D)} and gives the style pair {@code [c, w]} with
 * {@code c (n, size, size, C)} the parameter {@code const (size, size, C)} (stored N(0, 1)) repeated
 * for every example.
 *
 * <p>Kernel: per channel {@code E[c_p c_q] = δ_pq} for every example pair, and the constant's own gradient
 * gives {@code Θ = δ_pq} as well ({@code ∂c_p/∂const_p = 1}); the style kernel passes on.
 */
public final class ConstantInput implements Layer {
    private final int size;
    private final int channels;

    /** A {@code size × size × channels} constant. */
    public ConstantInput(int size, int channels) {
        if (size < 1 || channels < 1) {
            throw new IllegalArgumentException("constantInput size " + size + " and channels " + channels + " must be positive");
        }
        this.size = size;
        this.channels = channels;
    }

    @Override
    public String word() {
        return "constantInput";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        if (in.size() != 1 || in.get(0).length != 1) {
            throw new IllegalArgumentException("constantInput takes the style vectors (n, D) alone");
        }
        return List.of(new int[] {size, size, channels}, in.get(0));
    }

    @Override
    public List<int[]> init(String path, List<int[]> in, long seed, Map<String, Tensor> params) {
        List<int[]> out = outputShapes(in);
        String key = Params.key(path, "const");
        params.put(key, Params.normal(seed, key, size, size, channels));
        return out;
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        Var w = inputs.get(0);
        Var c = ctx.param(Params.key(path, "const"), size, size, channels);
        Var zeros = Var.of(Tensor.zeros(w.dim(0), size, size, channels));
        return List.of(zeros.add(c.reshape(1, size, size, channels)), w);
    }

    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        if (in.size() != 1 || in.get(0).spatial().length != 0) {
            throw new IllegalArgumentException("constantInput takes the dense kernel of the style vectors");
        }
        Kernel kw = in.get(0);
        int[] spatial = {size, size};
        PairLayout lay = new PairLayout(spatial);
        int n1 = kw.n1(), n2 = kw.n2(), block = lay.block();
        double[] k = new double[n1 * n2 * block];
        for (int e = 0; e < n1 * n2; e++) {
            for (int p = 0; p < lay.positions(); p++) {
                k[e * block + lay.diagonal(p)] = 1.0;
            }
        }
        double[] c1 = new double[kw.cov1().dim(0) * block];
        for (int i = 0; i < kw.cov1().dim(0); i++) {
            for (int p = 0; p < lay.positions(); p++) {
                c1[i * block + lay.diagonal(p)] = 1.0;
            }
        }
        Tensor cov1 = Tensor.of(c1, lay.covShape(kw.cov1().dim(0)));
        Tensor cov2 = kw.x1IsX2() ? cov1 : Tensor.of(delta(kw.cov2().dim(0), lay), lay.covShape(kw.cov2().dim(0)));
        Tensor nngp = Tensor.of(k, lay.kernelShape(n1, n2));
        Kernel c = kw.withArrays(nngp, Tensor.of(k.clone(), lay.kernelShape(n1, n2)), cov1, cov2, spatial).withChannels(channels);
        return List.of(c, kw);
    }

    private static double[] delta(int n, PairLayout lay) {
        double[] c = new double[n * lay.block()];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < lay.positions(); p++) {
                c[i * lay.block() + lay.diagonal(p)] = 1.0;
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return "constantInput(size: " + size + ", channels: " + channels + ")";
    }
}
