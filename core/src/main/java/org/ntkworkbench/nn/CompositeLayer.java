package org.ntkworkbench.nn;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.tensor.Tensor;

/**
 * A layer that is a composition of other layers (blocks and presets such as a style block or a
 * synthesis network): its shapes, parameters, forward pass and kernel rule are those of the inner
 * layer, so finite and infinite-width behaviour cannot drift apart; a subclass adds its DSL word, its
 * description and any input checks. Parameter keys are the inner layer's under this layer's path.
 */
public abstract class CompositeLayer implements Layer {
    private final Layer inner;

    protected CompositeLayer(Layer inner) {
        this.inner = inner;
    }

    /** The composition this layer stands for. */
    protected Layer inner() {
        return inner;
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        return inner.outputShapes(in);
    }

    @Override
    public List<int[]> outputShapes(String path, List<int[]> in) {
        return inner.outputShapes(path, in);
    }

    @Override
    public List<int[]> init(String path, List<int[]> in, long seed, Map<String, Tensor> params) {
        return inner.init(path, in, seed, params);
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        return inner.apply(ctx, path, inputs);
    }

    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        return inner.kernels(in);
    }

    @Override
    public Kernel kernel(Kernel in) {
        return inner.kernel(in);
    }

    /** The inner composition's requirement. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return inner.spatialDiagonal();
    }

    @Override
    public List<Tensor> outputMasks(List<Tensor> masks) {
        return inner.outputMasks(masks);
    }

    @Override
    public MaskedFlow applyMasked(ApplyContext ctx, String path, MaskedFlow in) {
        return inner.applyMasked(ctx, path, in);
    }

    @Override
    public List<Kernel> maskedKernels(List<Kernel> in) {
        return inner.maskedKernels(in);
    }
}
