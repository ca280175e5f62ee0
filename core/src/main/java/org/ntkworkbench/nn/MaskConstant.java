package org.ntkworkbench.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.Masks;
import org.ntkworkbench.tensor.Tensor;

/**
 * A model with input masking built in ({@link Layer#masked(double)}): its forward pass takes raw inputs, zeroes
 * every entry equal to the constant, masks the positions whose channels all equal it, runs the model's masked
 * forward pass ({@link Layer#applyMasked}) and zeroes the masked outputs (neural-tangents' {@code apply_fn} with
 * {@code mask_constant} followed by {@code unmask_fn}). Parameters, shapes and paths are the model's, so the
 * empirical and Monte Carlo kernels of this layer are those of the masked finite network.
 */
final class MaskConstant implements Layer {
    private final Layer model;
    private final double constant;

    MaskConstant(Layer model, double constant) {
        this.model = model;
        this.constant = constant;
    }

    @Override
    public String word() {
        return model.word();
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        return model.outputShapes(inputShapes);
    }

    @Override
    public List<int[]> outputShapes(String path, List<int[]> inputShapes) {
        return model.outputShapes(path, inputShapes);
    }

    @Override
    public List<int[]> init(String path, List<int[]> inputShapes, long seed, Map<String, Tensor> params) {
        return model.init(path, inputShapes, seed, params);
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        List<Var> values = new ArrayList<>();
        List<Tensor> masks = new ArrayList<>();
        for (Var x : inputs) {
            masks.add(Masks.of(x.value(), constant));
            // Entries equal to the constant become 0; a product with a 0/1 array keeps the input differentiable
            // (NaN · 0 is NaN, so a NaN constant replaces the value instead).
            Tensor z = Masks.zeroed(x.value(), constant);
            values.add(Double.isNaN(constant) ? Var.of(z) : Ops.mul(x, Var.of(keepEntries(x.value()))));
        }
        return Masking.unmasked(Masking.apply(model, ctx, path, new MaskedFlow(values, masks)));
    }

    private Tensor keepEntries(Tensor x) {
        double[] v = x.data(), k = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            k[i] = Masks.matches(v[i], constant) ? 0 : 1;
        }
        return Tensor.of(k, x.shape());
    }

    /**
     * The model's analytic kernel with this mask constant (every input form of {@link Layer#kernel(Tensor, Tensor)}
     * ends here).
     */
    @Override
    public Kernel kernel(List<Tensor> x1s, List<Tensor> x2s, KernelRequest request) {
        return model.kernel(x1s, x2s, request.withMaskConstant(constant));
    }

    /** Kernels carry no inputs to take masks from: use {@link #kernel(Tensor, Tensor)}. */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        throw new IllegalArgumentException("a model with maskConstant takes its masks from the inputs: compute its kernel from inputs");
    }

    @Override
    public SpatialDiagonal spatialDiagonal() {
        return model.spatialDiagonal();
    }

    @Override
    public String toString() {
        return model.toString();
    }
}
