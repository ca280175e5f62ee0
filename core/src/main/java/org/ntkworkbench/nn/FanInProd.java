package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.KernelRules;

import java.util.List;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;

/** Elementwise (Hadamard) product of all items of the flow (equal shapes). */
public final class FanInProd implements Layer {

    @Override
    public String word() {
        return "fanInProd";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        return List.of(FanInSum.sameShapes(word(), inputShapes));
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        FanInSum.sameShapes(word(), FanInSum.perExample(inputs));
        Var s = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            s = s.mul(inputs.get(i));
        }
        return List.of(s);
    }

    /** Hadamard products with the product rule for Θ ({@link KernelRules#fanInProd}). */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        return List.of(KernelRules.fanInProd(in));
    }

    @Override
    public String toString() {
        return "fanInProd()";
    }

    /** Entrywise products of the branches. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }
}
