package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.KernelRules;

import org.ntkworkbench.autodiff.Var;

/** Row-major flattening of each example: {@code (n, …)} to {@code (n, ∏…)}. */
public final class Flatten extends UnaryLayer {

    @Override
    public String word() {
        return "flatten";
    }

    @Override
    public int[] outputShape(int[] in) {
        int s = 1;
        for (int d : in) {
            s *= d;
        }
        return new int[] {s};
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        return x.reshape(x.dim(0), x.value().size() / Math.max(1, x.dim(0)));
    }

    @Override
    public String toString() {
        return "flatten()";
    }

    /**
     * The mean over the diagonal position pairs ({@link KernelRules#flatten}): the next layer's
     * {@code 1/√(positions·channels)} scaling turns the sum over flattened features into that mean.
     */
    @Override
    public Kernel kernel(Kernel in) {
        return KernelRules.flatten(in);
    }

    /** The mean over same-position pairs: the diagonal is all it reads. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.DIAGONAL_READOUT;
    }
}
