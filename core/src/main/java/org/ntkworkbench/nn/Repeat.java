package org.ntkworkbench.nn;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code layer} applied {@code n} times in sequence, each time with its own parameters: the same as
 * {@code serial(layer, …, layer)} ({@code n} copies, paths {@code <path>.0 … <path>.(n−1)}).
 */
public final class Repeat implements Layer {
    private final Layer layer;
    private final int n;
    private final Serial serial;

    /** {@code layer} repeated {@code n ≥ 0} times. */
    public Repeat(Layer layer, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("repeat count " + n + " must be >= 0");
        }
        this.layer = layer;
        this.n = n;
        this.serial = new Serial(Serial.copies(layer, n));
    }

    @Override
    public String word() {
        return "repeat";
    }

    /** The {@code layer} this was built with. */
    public Layer layer() {
        return layer;
    }

    /** The {@code count} this was built with. */
    public int count() {
        return n;
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        return serial.outputShapes(inputShapes);
    }

    @Override
    public List<int[]> outputShapes(String path, List<int[]> inputShapes) {
        return serial.outputShapes(path, inputShapes);
    }

    @Override
    public List<int[]> init(String path, List<int[]> inputShapes, long seed, Map<String, Tensor> params) {
        return serial.init(path, inputShapes, seed, params);
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        return serial.apply(ctx, path, inputs);
    }

    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        return serial.kernels(in);
    }

    @Override
    public Kernel kernel(Kernel in) {
        return serial.kernel(in);
    }

    /** As the equivalent serial (fused from the inputs when the repeated layers allow it). */
    @Override
    public Kernel kernel(Tensor x1, Tensor x2, boolean computeNtk, Boolean diagonalSpatial) {
        return serial.kernel(x1, x2, computeNtk, diagonalSpatial);
    }

    @Override
    public String toString() {
        return "repeat(" + layer + ", " + n + ")";
    }

    /** The requirement of the n copies in series. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return serial.spatialDiagonal();
    }

    @Override
    public MaskedFlow applyMasked(ApplyContext ctx, String path, MaskedFlow in) {
        return serial.applyMasked(ctx, path, in);
    }

    @Override
    public List<Kernel> maskedKernels(List<Kernel> in) {
        return serial.maskedKernels(in);
    }
}
