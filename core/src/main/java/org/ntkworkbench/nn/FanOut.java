package org.ntkworkbench.nn;

import org.ntkworkbench.tensor.Tensor;
import java.util.Collections;
import java.util.List;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;

/** Copies one input into a flow of {@code n} identical items (gradients of the copies add up). */
public final class FanOut implements Layer {
    private final int n;

    /** {@code n ≥ 1} copies. */
    public FanOut(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("fanOut count " + n + " must be positive");
        }
        this.n = n;
    }

    @Override
    public String word() {
        return "fanOut";
    }

    /** The {@code count} this was built with. */
    public int count() {
        return n;
    }

    private <T> List<T> copies(List<T> in) {
        if (in.size() != 1) {
            throw new IllegalArgumentException("fanOut takes one input but the flow has " + in.size() + " items");
        }
        return Collections.nCopies(n, in.get(0));
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        return copies(inputShapes);
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        return copies(inputs);
    }

    /** {@code n} copies of the input kernel. */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        return copies(in);
    }

    @Override
    public String toString() {
        return "fanOut(" + n + ")";
    }

    /** Copies the kernel. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    /** Copies the masks with the values. */
    @Override
    public List<Tensor> outputMasks(List<Tensor> masks) {
        return copies(masks);
    }
}
