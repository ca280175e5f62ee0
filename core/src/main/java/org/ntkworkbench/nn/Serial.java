package org.ntkworkbench.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.tensor.Tensor;

/** Composition: the flow passes through the children in order; child {@code i} has path {@code <path>.i}. */
public final class Serial implements Layer {
    private final List<Layer> layers;

    /** The composition {@code layers[last] ∘ … ∘ layers[0]}. */
    public Serial(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    @Override
    public String word() {
        return "serial";
    }

    /** The children in order. */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        return outputShapes("", inputShapes);
    }

    @Override
    public List<int[]> outputShapes(String path, List<int[]> inputShapes) {
        List<int[]> s = inputShapes;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String p = Params.child(path, i);
            List<int[]> in = s;
            s = Params.located(p, l, () -> l.outputShapes(p, in));
        }
        return s;
    }

    @Override
    public List<int[]> init(String path, List<int[]> inputShapes, long seed, Map<String, Tensor> params) {
        List<int[]> s = inputShapes;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String p = Params.child(path, i);
            List<int[]> in = s;
            s = Params.located(p, l, () -> l.init(p, in, seed, params));
        }
        return s;
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        List<Var> v = inputs;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String p = Params.child(path, i);
            List<Var> in = v;
            v = Params.located(p, l, () -> l.apply(ctx, p, in));
        }
        return v;
    }

    /** The children's kernel rules composed in order. */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        List<Kernel> k = in;
        for (Layer l : layers) {
            k = l.kernels(k);
        }
        return k;
    }

    @Override
    public Kernel kernel(Kernel in) {
        List<Kernel> out = kernels(List.of(in));
        if (out.size() != 1) {
            throw new IllegalArgumentException("serial ends with " + out.size() + " kernels, not one");
        }
        return out.get(0);
    }

    @Override
    public String toString() {
        return layers.stream().map(Object::toString).collect(Collectors.joining(", ", "serial(", ")"));
    }

    static List<Layer> copies(Layer layer, int n) {
        List<Layer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(layer);
        }
        return l;
    }
}
