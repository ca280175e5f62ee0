package org.ntkworkbench.plugins.stylegan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Params;
import org.ntkworkbench.tensor.SeededRandom;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code noiseInjection(seed: 0, strengthStd: 1)}: StyleGAN's per-position noise with a learned
 * per-channel strength, {@code y[p, c] = x[p, c] + strengthStd · λ_c ξ[p]}.
 *
 * <p>The noise {@code ξ} (one N(0, 1) value per position, shared by the channels and by all examples) is
 * a <b>fixed buffer</b> drawn from {@code SeededRandom.derived(seed, "noiseInjection")} for the feature
 * map's spatial shape: not a parameter and not redrawn per call, so the network is a deterministic
 * function and its NTK is defined. The strength {@code λ (C)} is a parameter, stored as zeros (StyleGAN
 * initialises it to 0). Works on a feature map or on the style pair {@code [x, w]} (passing {@code w}).
 *
 * <p>Kernel (exact given the buffer): at initialisation λ = 0, so {@code Σ' = Σ}; the strength's gradient
 * {@code ∂y[p,c]/∂λ_c = strengthStd ξ[p]} adds {@code Θ' = Θ + strengthStd² ξ[p] ξ[q]} to every example pair.
 */
public final class NoiseInjection implements Layer {
    private final long seed;
    private final double strengthStd;

    /** Noise from the buffer of {@code seed}, strength scaled by {@code strengthStd}. */
    public NoiseInjection(long seed, double strengthStd) {
        this.seed = seed;
        this.strengthStd = strengthStd;
    }

    @Override
    public String word() {
        return "noiseInjection";
    }

    /** The fixed noise buffer {@code ξ} for a spatial shape (row-major positions). */
    public double[] noise(int[] spatial) {
        double[] xi = new double[PairLayout.positions(spatial)];
        SeededRandom.derived(seed, "noiseInjection").fillGaussian(xi);
        return xi;
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        StylePairs.checkFeaturesOrPair(word(), in);
        return in;
    }

    @Override
    public List<int[]> init(String path, List<int[]> in, long seed, Map<String, Tensor> params) {
        outputShapes(in);
        int[] x = in.get(0);
        params.put(Params.key(path, "strength"), Tensor.zeros(x[x.length - 1]));
        return in;
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        Var x = inputs.get(0);
        int[] shape = x.shape();
        int c = shape[shape.length - 1];
        int[] spatial = Arrays.copyOfRange(shape, 1, shape.length - 1);
        int[] bufShape = shape.clone();
        bufShape[0] = 1;
        bufShape[shape.length - 1] = 1;
        Var xi = Var.of(Tensor.of(noise(spatial), bufShape));
        Var lambda = ctx.param(Params.key(path, "strength"), c);
        List<Var> out = new ArrayList<>(inputs);
        out.set(0, x.add(xi.mul(lambda.scale(strengthStd))));
        return out;
    }

    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        if (in.size() == 2) {
            StylePairs.checkPairKernels(word(), in);
        } else if (in.size() != 1 || in.get(0).spatial().length < 1) {
            throw new IllegalArgumentException("noiseInjection needs a spatial kernel (or the style pair)");
        }
        Kernel k = in.get(0);
        List<Kernel> out = new ArrayList<>(in);
        if (k.ntk() != null) {
            PairLayout lay = k.layout();
            double[] xi = noise(k.spatial());
            int block = lay.block();
            double[] t = k.ntk().data().clone();
            double s2 = strengthStd * strengthStd;
            for (int e = 0; e < t.length / block; e++) {
                for (int m = 0; m < block; m++) {
                    t[e * block + m] += s2 * xi[lay.posA(m)] * xi[lay.posB(m)];
                }
            }
            out.set(0, k.withNtk(Tensor.of(t, k.ntk().shape())));
        }
        return out;
    }

    /** The rule on a lone feature kernel ({@link #kernels} with one item). */
    @Override
    public Kernel kernel(Kernel in) {
        return kernels(List.of(in)).get(0);
    }

    @Override
    public String toString() {
        return "noiseInjection(seed: " + seed + ", strengthStd: " + strengthStd + ")";
    }
}
