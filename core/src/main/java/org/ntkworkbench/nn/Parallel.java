package org.ntkworkbench.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.tensor.Tensor;

/**
 * Branches side by side: the input flow must have one item per branch; branch {@code i} (path
 * {@code <path>.i}) gets item {@code i}; the outputs of all branches are concatenated into the flow in
 * order.
 */
public final class Parallel implements Layer {
    private final List<Layer> branches;

    /** The given branches. */
    public Parallel(List<Layer> branches) {
        this.branches = List.copyOf(branches);
    }

    @Override
    public String word() {
        return "parallel";
    }

    /** The {@code branches} this was built with. */
    public List<Layer> branches() {
        return branches;
    }

    private void checkCount(int items) {
        if (items != branches.size()) {
            throw new IllegalArgumentException("parallel has " + branches.size() + " branches but the flow has "
                    + items + " items (use fanOut(" + branches.size() + ") before it)");
        }
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        return outputShapes("", inputShapes);
    }

    @Override
    public List<int[]> outputShapes(String path, List<int[]> inputShapes) {
        checkCount(inputShapes.size());
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            Layer b = branches.get(i);
            String p = Params.child(path, i);
            int[] in = inputShapes.get(i);
            out.addAll(Params.located(p, b, () -> b.outputShapes(p, List.of(in))));
        }
        return out;
    }

    @Override
    public List<int[]> init(String path, List<int[]> inputShapes, long seed, Map<String, Tensor> params) {
        checkCount(inputShapes.size());
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            Layer b = branches.get(i);
            String p = Params.child(path, i);
            int[] in = inputShapes.get(i);
            out.addAll(Params.located(p, b, () -> b.init(p, List.of(in), seed, params)));
        }
        return out;
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        checkCount(inputs.size());
        List<Var> out = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            Layer b = branches.get(i);
            String p = Params.child(path, i);
            Var in = inputs.get(i);
            out.addAll(Params.located(p, b, () -> b.apply(ctx, p, List.of(in))));
        }
        return out;
    }

    /** Branch {@code i}'s kernel rule on kernel {@code i}. */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        checkCount(in.size());
        List<Kernel> out = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            out.addAll(Masking.kernels(branches.get(i), List.of(in.get(i))));
        }
        return out;
    }

    @Override
    public String toString() {
        return branches.stream().map(Object::toString).collect(Collectors.joining(", ", "parallel(", ")"));
    }

    /** The weakest of the branches' requirements (neural-tangents' {@code &}). */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        SpatialDiagonal r = null;
        for (Layer b : branches) {
            r = r == null ? b.spatialDiagonal() : r.and(b.spatialDiagonal());
        }
        return r == null ? SpatialDiagonal.POINTWISE : r;
    }

    /** Branch {@code i}'s masked forward pass on item {@code i}. */
    @Override
    public MaskedFlow applyMasked(ApplyContext ctx, String path, MaskedFlow in) {
        checkCount(in.values().size());
        List<Var> values = new ArrayList<>();
        List<Tensor> masks = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            Layer b = branches.get(i);
            String p = Params.child(path, i);
            MaskedFlow item = new MaskedFlow(List.of(in.values().get(i)), java.util.Collections.singletonList(in.masks().get(i)));
            MaskedFlow out = Params.located(p, b, () -> Masking.apply(b, ctx, p, item));
            values.addAll(out.values());
            masks.addAll(out.masks());
        }
        return new MaskedFlow(values, masks);
    }

    /** The branches route their own masks ({@link #kernels}). */
    @Override
    public List<Kernel> maskedKernels(List<Kernel> in) {
        return kernels(in);
    }
}
