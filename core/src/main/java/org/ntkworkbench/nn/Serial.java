package org.ntkworkbench.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.DiagonalChain;
import org.ntkworkbench.kernel.DiagonalStep;
import org.ntkworkbench.kernel.EntrywiseChain;
import org.ntkworkbench.kernel.EntrywiseRule;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.Symmetry;
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

    /**
     * The children's kernel rules composed in order. Runs of two or more consecutive layers with an
     * {@linkplain Layer#entrywiseKernelRule() entrywise rule} (dense, activations, identity; nested
     * serials and repeats are looked through) acting on a dense kernel are evaluated as one fused pass
     * ({@link EntrywiseChain#apply}): the same numbers as layer by layer, without their intermediate
     * {@code n1×n2} arrays.
     */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        List<Layer> flat = flattened();
        List<Kernel> k = in;
        int i = 0;
        while (i < flat.size()) {
            // Masked kernels go layer by layer: each layer states its output mask (Layer#maskedKernels).
            boolean masked = Masking.anyMasked(k);
            int end = !masked && k.size() == 1 && k.get(0).spatial().length == 0 ? entrywiseRunEnd(flat, i) : i;
            if (end - i >= 2) {
                Gaussianity after = gaussianityAfter(flat, i, end, k.get(0).gaussianity());
                k = List.of(EntrywiseChain.apply(k.get(0), rules(flat, i, end)).withGaussianity(after));
                i = end;
            } else {
                k = masked ? flat.get(i).maskedKernels(k) : flat.get(i).kernels(k);
                i++;
            }
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

    /**
     * {@link Layer#kernel(Tensor, Tensor)}; when the network starts with entrywise layers on dense inputs
     * {@code (n, d)}, that leading run goes straight from the Gram matrix through
     * {@link EntrywiseChain#fromInputs} (the Gram array becomes the NNGP in place, the zero input NTK
     * is never stored); a kernel of x1 with itself is then symmetric to the last bit by construction.
     */
    @Override
    public Kernel kernel(Tensor x1, Tensor x2, boolean computeNtk, Boolean diagonalSpatial) {
        List<Layer> flat = flattened();
        if (x1.rank() > 2 && diagonalLayout(x1, diagonalSpatial)) {
            int readout = diagonalRunEnd(flat);
            if (readout > 0) {
                List<DiagonalStep> steps = new ArrayList<>();
                for (Layer l : flat.subList(0, readout)) {
                    steps.addAll(l.diagonalSteps());
                }
                Gaussianity after = gaussianityAfter(flat, 0, readout, Gaussianity.INPUTS);
                Kernel k = Params.located("", this, () -> DiagonalChain.fromInputs(x1, x2, steps, computeNtk)).withGaussianity(after);
                return rest(flat, readout, k, x1, x2);
            }
        }
        int end = entrywiseRunEnd(flat, 0);
        boolean dense = x1.rank() == 2 && (x2 == null || (x2.rank() == 2 && x2.dim(1) == x1.dim(1)));
        if (end == 0 || !dense || !computeNtk) {
            return Layer.super.kernel(x1, x2, computeNtk, diagonalSpatial);
        }
        Gaussianity after = gaussianityAfter(flat, 0, end, Gaussianity.INPUTS);
        Kernel k = Params.located("", this, () -> EntrywiseChain.fromInputs(x1, x2, rules(flat, 0, end))).withGaussianity(after);
        if (end == flat.size()) {
            return k;
        }
        return rest(flat, end, k, x1, x2);
    }

    /**
     * {@link #kernel(Tensor, Tensor, boolean, Boolean) kernel(x1, x2, true, null)} handed to {@code sink} in blocks of
     * rows in order ({@link EntrywiseChain#streamFromInputs}: the same bits, without the two {@code n1×n2} output
     * arrays) when the whole model is one fused entrywise pass on dense inputs — the same test as {@code kernel}'s;
     * false (and nothing computed) otherwise, for the caller to compute the kernel in memory.
     */
    public boolean streamKernel(Tensor x1, Tensor x2, EntrywiseChain.RowSink sink) throws java.io.IOException {
        List<Layer> flat = flattened();
        int end = entrywiseRunEnd(flat, 0);
        boolean dense = x1.rank() == 2 && (x2 == null || (x2.rank() == 2 && x2.dim(1) == x1.dim(1)));
        if (end == 0 || end != flat.size() || !dense) {
            return false;
        }
        try {
            Params.located("", this, () -> {
                try {
                    EntrywiseChain.streamFromInputs(x1, x2, rules(flat, 0, end), sink);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return null;
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return true;
    }

    /** The layers from {@code from} on applied to {@code k}, made symmetric for a kernel of x1 with itself. */
    private Kernel rest(List<Layer> flat, int from, Kernel k, Tensor x1, Tensor x2) {
        Serial rest = new Serial(flat.subList(from, flat.size()));
        List<Kernel> out = Params.located("", this, () -> rest.kernels(List.of(k)));
        if (out.size() != 1) {
            throw new IllegalArgumentException("expected one output kernel but the flow has " + out.size() + " items");
        }
        return Symmetry.forInputs(out.get(0), x1, x2);
    }

    /**
     * The one place that decides whether this model's kernel of spatial inputs goes through the fused diagonal
     * pass ({@link DiagonalChain}): true when it starts with layers that all have a
     * {@linkplain Layer#diagonalSteps() diagonal step form}, up to and including a flatten readout. The pass
     * then runs when the diagonal layout is chosen ({@link #diagonalLayout}); its memory is that of the dense
     * {@code (n1, n2)} output, not of the position pairs (the kernel service plans with this).
     */
    public boolean fusesDiagonalReadout() {
        return diagonalRunEnd(flattened()) > 0;
    }

    /**
     * The end (exclusive) of the leading run of layers with diagonal step forms that ends with a readout, or
     * 0 when the model does not start with such a run.
     */
    private static int diagonalRunEnd(List<Layer> flat) {
        for (int i = 0; i < flat.size(); i++) {
            List<DiagonalStep> steps = flat.get(i).diagonalSteps();
            if (steps == null) {
                return 0;
            }
            if (steps.stream().anyMatch(st -> st instanceof DiagonalStep.MeanReadout)) {
                return steps.get(steps.size() - 1) instanceof DiagonalStep.MeanReadout ? i + 1 : 0;
            }
        }
        return 0;
    }

    /**
     * The {@link Gaussianity} after the layers {@code from} (inclusive) to {@code to} (exclusive) that a fused
     * pass runs without their kernel rules: each layer's own {@link Layer#gaussianityAfter} in order (which
     * refuses, in one line, an activation on a non-Gaussian input, as the layer-by-layer path does).
     */
    private static Gaussianity gaussianityAfter(List<Layer> flat, int from, int to, Gaussianity in) {
        Gaussianity g = in;
        for (int i = from; i < to; i++) {
            g = flat.get(i).gaussianityAfter(g);
        }
        return g;
    }

    /** The children with nested serials and repeats expanded in place (the same composition). */
    List<Layer> flattened() {
        List<Layer> flat = new ArrayList<>();
        for (Layer l : layers) {
            if (l instanceof Serial s) {
                flat.addAll(s.flattened());
            } else if (l instanceof Repeat r) {
                for (int c = 0; c < r.count(); c++) {
                    flat.addAll(new Serial(List.of(r.layer())).flattened());
                }
            } else {
                flat.add(l);
            }
        }
        return flat;
    }

    /** The end (exclusive) of the run of layers with entrywise rules starting at {@code from}. */
    private static int entrywiseRunEnd(List<Layer> flat, int from) {
        int end = from;
        while (end < flat.size() && flat.get(end).entrywiseKernelRule() != null) {
            end++;
        }
        return end;
    }

    private static List<EntrywiseRule> rules(List<Layer> flat, int from, int to) {
        List<EntrywiseRule> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(flat.get(i).entrywiseKernelRule());
        }
        return r;
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

    /** The children's requirements composed in order (POINTWISE is the neutral element). */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        SpatialDiagonal r = SpatialDiagonal.POINTWISE;
        for (Layer l : layers) {
            r = r.then(l.spatialDiagonal());
        }
        return r;
    }

    /** The children's masked forward passes in order. */
    @Override
    public MaskedFlow applyMasked(ApplyContext ctx, String path, MaskedFlow inputs) {
        MaskedFlow v = inputs;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String p = Params.child(path, i);
            MaskedFlow in = v;
            v = Params.located(p, l, () -> Masking.apply(l, ctx, p, in));
        }
        return v;
    }

    /** The children route their own masks ({@link #kernels}). */
    @Override
    public List<Kernel> maskedKernels(List<Kernel> in) {
        return kernels(in);
    }
}
