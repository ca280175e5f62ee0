package org.ntkworkbench.plugins.stylegan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Dense;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.LeakyRelu;
import org.ntkworkbench.nn.Parameterization;
import org.ntkworkbench.nn.Serial;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code mappingNetwork(depth: 2, width: 64, alpha: 0.2, normalize: true, wStd: 1, bStd: 0)}: StyleGAN's
 * MLP from the latent {@code z} to the style {@code w}:
 * {@code w = (φ ∘ dense_L ∘ … ∘ φ ∘ dense_1)(pixelNorm(z))}, {@code φ = leakyRelu(alpha)}, NTK
 * parameterization. Its parameters are those of the inner layers: {@code <path>.<i>/W}, {@code /b} with
 * {@code i} the index in {@code [pixelNorm,] dense, φ, dense, φ, …}.
 *
 * <p>On one flow item it maps {@code z → w}; on a style pair {@code [x, z]} it maps the style item and
 * passes the features on. Kernel: the composition of the inner rules (exact limits: pixel norm of the
 * parameter-free latent, dense, leaky ReLU's arc-cosine dual).
 */
public final class MappingNetwork implements Layer {
    private final int depth;
    private final int width;
    private final double alpha;
    private final boolean normalize;
    private final Serial inner;

    /** A mapping network of {@code depth} dense layers of {@code width} units. */
    public MappingNetwork(int depth, int width, double alpha, boolean normalize, double wStd, double bStd) {
        if (depth < 1 || width < 1) {
            throw new IllegalArgumentException("mappingNetwork depth " + depth + " and width " + width + " must be positive");
        }
        this.depth = depth;
        this.width = width;
        this.alpha = alpha;
        this.normalize = normalize;
        List<Layer> layers = new ArrayList<>();
        if (normalize) {
            layers.add(new PixelNorm(1e-8));
        }
        for (int l = 0; l < depth; l++) {
            layers.add(new Dense(width, wStd, bStd, Parameterization.NTK));
            layers.add(new LeakyRelu(alpha));
        }
        this.inner = new Serial(layers);
    }

    /** The style dimension {@code D} (= width). */
    public int width() {
        return width;
    }

    @Override
    public String word() {
        return "mappingNetwork";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        if (in.size() == 1) {
            return inner.outputShapes(in);
        }
        StylePairs.checkPair(word(), in);
        return List.of(in.get(0), inner.outputShapes(List.of(in.get(1))).get(0));
    }

    @Override
    public List<int[]> init(String path, List<int[]> in, long seed, Map<String, Tensor> params) {
        if (in.size() == 1) {
            return inner.init(path, in, seed, params);
        }
        StylePairs.checkPair(word(), in);
        return List.of(in.get(0), inner.init(path, List.of(in.get(1)), seed, params).get(0));
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        if (inputs.size() == 1) {
            return inner.apply(ctx, path, inputs);
        }
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("mappingNetwork takes z or the pair [x, z], the flow has " + inputs.size() + " items");
        }
        return List.of(inputs.get(0), inner.apply(ctx, path, List.of(inputs.get(1))).get(0));
    }

    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        if (in.size() == 1) {
            return inner.kernels(in);
        }
        StylePairs.checkPairKernels(word(), in);
        return List.of(in.get(0), inner.kernels(List.of(in.get(1))).get(0));
    }

    @Override
    public String toString() {
        return "mappingNetwork(depth: " + depth + ", width: " + width + ", alpha: " + alpha + ", normalize: " + normalize + ")";
    }
}
