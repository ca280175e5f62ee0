package org.ntkworkbench.nn;

import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;

/** The identity layer: output = input; its kernel rule is the identity too. */
public final class Identity extends UnaryLayer {

    @Override
    public String word() {
        return "identity";
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        return x;
    }

    /** The kernels are unchanged. */
    @Override
    public Kernel kernel(Kernel in) {
        return in;
    }

    @Override
    public String toString() {
        return "identity()";
    }

    /** The identity rule in entrywise form, for fused serial kernels. */
    @Override
    public org.ntkworkbench.kernel.EntrywiseRule entrywiseKernelRule() {
        return org.ntkworkbench.kernel.EntrywiseRule.identity();
    }

    /** Unchanged kernels. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    /** Entrywise (per position): a masked position stays masked. */
    @Override
    public Tensor outputMask(Tensor mask) {
        return mask;
    }
}
