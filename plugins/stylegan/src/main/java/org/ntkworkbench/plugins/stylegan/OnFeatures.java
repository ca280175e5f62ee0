package org.ntkworkbench.plugins.stylegan;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Layers;
import org.ntkworkbench.nn.Parallel;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code onFeatures(layer)}: applies an ordinary layer to the features of the style pair and passes the
 * style on, {@code [x, w] → [layer(x), w]}; the same as {@code parallel(layer, identity())} (so the
 * layer's parameters live under {@code <path>.0}), kernels alike.
 */
public final class OnFeatures implements Layer {
    private final Layer layer;
    private final Parallel inner;

    /** Wraps {@code layer}. */
    public OnFeatures(Layer layer) {
        this.layer = layer;
        this.inner = Layers.parallel(layer, Layers.identity());
    }

    @Override
    public String word() {
        return "onFeatures";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        StylePairs.checkPair(word(), in);
        return inner.outputShapes(in);
    }

    @Override
    public List<int[]> outputShapes(String path, List<int[]> in) {
        StylePairs.checkPair(word(), in);
        return inner.outputShapes(path, in);
    }

    @Override
    public List<int[]> init(String path, List<int[]> in, long seed, Map<String, Tensor> params) {
        StylePairs.checkPair(word(), in);
        return inner.init(path, in, seed, params);
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        return inner.apply(ctx, path, inputs);
    }

    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        StylePairs.checkPairKernels(word(), in);
        return inner.kernels(in);
    }

    @Override
    public String toString() {
        return "onFeatures(" + layer + ")";
    }
}
