package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Kernel;

import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.tensor.SeededRandom;
import org.ntkworkbench.tensor.Tensor;

/**
 * Inverted dropout: in training mode each entry is kept with probability {@code 1 − rate} and scaled
 * by {@code 1/(1 − rate)} (the mask is drawn from {@code SeededRandom.derived(ctx.seed(), path)});
 * in evaluation mode the identity.
 */
public final class Dropout extends UnaryLayer {
    private final double rate;

    /** Dropout dropping a fraction {@code rate} in [0, 1). */
    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate " + rate + " must be in [0, 1)");
        }
        this.rate = rate;
    }

    @Override
    public String word() {
        return "dropout";
    }

    /** The {@code rate} this was built with. */
    public double rate() {
        return rate;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        if (!ctx.training() || rate == 0) {
            return x;
        }
        double keep = 1 - rate;
        Tensor mask = Tensor.zeros(x.shape());
        double[] m = mask.data();
        SeededRandom rng = SeededRandom.derived(ctx.seed(), path);
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() < keep ? 1.0 / keep : 0.0;
        }
        return x.mul(Var.of(mask));
    }

    @Override
    public String toString() {
        return "dropout(" + rate + ")";
    }

    /** The kernel of the evaluation-mode network: the identity (as neural-tangents in test mode). */
    @Override
    public Kernel kernel(Kernel in) {
        return in;
    }

    /** The identity rule in entrywise form (evaluation mode), for fused serial kernels. */
    @Override
    public org.ntkworkbench.kernel.EntrywiseRule entrywiseKernelRule() {
        return org.ntkworkbench.kernel.EntrywiseRule.identity();
    }

    /** The identity at evaluation time. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }
}
