package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.KernelRules;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;

/**
 * Normalisation over the last (feature/channel) axis without learned parameters:
 * {@code y = (x − mean(x)) / √(var(x) + ε)} with the biased variance and {@code ε = 1e−12}
 * (neural-tangents' {@code LayerNorm} defaults).
 */
public final class LayerNorm extends UnaryLayer {
    /** The variance floor ε. */
    public static final double EPS = 1e-12;

    @Override
    public String word() {
        return "layerNorm";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(in) + " has no feature axis");
        }
        return in.clone();
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] last = {x.rank() - 1};
        Var centred = x.sub(Ops.mean(x, last, true));
        Var variance = Ops.mean(centred.mul(centred), last, true);
        Var invStd = Ops.map(variance, "rsqrt", v -> 1.0 / Math.sqrt(v + EPS),
                v -> -0.5 / ((v + EPS) * Math.sqrt(v + EPS)));
        return centred.mul(invStd);
    }

    @Override
    public String toString() {
        return "layerNorm()";
    }

    /** Division by the paired variances ({@link KernelRules#layerNorm}, ε as in the forward pass). */
    @Override
    public Kernel kernel(Kernel in) {
        return KernelRules.layerNorm(in, EPS);
    }

    /** Each pair divided by the variances of its two positions. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }
}
