package org.ntkworkbench.plugins.stylegan;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.CompositeLayer;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Layers;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code onFeatures(layer)}: applies an ordinary layer to the features of the style pair and passes the
 * style on, {@code [x, w] → [layer(x), w]}; the same as {@code parallel(layer, identity())} (so the
 * layer's parameters live under {@code <path>.0}), kernels alike.
 */
public final class OnFeatures extends CompositeLayer {
    private final Layer layer;

    /** Wraps {@code layer}. */
    public OnFeatures(Layer layer) {
        super(Layers.parallel(layer, Layers.identity()));
        this.layer = layer;
    }

    @Override
    public String word() {
        return "onFeatures";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        StylePairs.checkPair(word(), in);
        return super.outputShapes(in);
    }

    @Override
    public List<int[]> outputShapes(String path, List<int[]> in) {
        StylePairs.checkPair(word(), in);
        return super.outputShapes(path, in);
    }

    @Override
    public List<int[]> init(String path, List<int[]> in, long seed, Map<String, Tensor> params) {
        StylePairs.checkPair(word(), in);
        return super.init(path, in, seed, params);
    }

    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        StylePairs.checkPairKernels(word(), in);
        return super.kernels(in);
    }

    @Override
    public String toString() {
        return "onFeatures(" + layer + ")";
    }
}
