package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.kernel.Kernel;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;

/** Mean over all spatial axes: {@code (n, spatial…, C)} to {@code (n, C)}. */
public final class GlobalAvgPool extends UnaryLayer {

    @Override
    public String word() {
        return "globalAvgPool";
    }

    @Override
    public int[] outputShape(int[] in) {
        return GlobalSumPool.channelsOnly(in);
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        outputShape(Arrays.copyOfRange(x.shape(), 1, x.rank()));
        return Ops.mean(x, GlobalSumPool.spatialAxes(x.rank()), false);
    }

    @Override
    public String toString() {
        return "globalAvgPool()";
    }

    /** The mean over all position pairs ({@link #rule}). */
    @Override
    public Kernel kernel(Kernel in) {
        if (in.spatial().length == 0) {
            throw new IllegalArgumentException("globalAvgPool needs a spatial kernel, got a dense one");
        }
        return rule(in);
    }

    /** The mean over all position pairs. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.FULL_READOUT;
    }

    /** The rule: the mean over all position pairs, giving a dense kernel (refused on the diagonal layout). */
    public static Kernel rule(Kernel k) {
        PairAxes.requireFullSpatial(k, "globalAvgPool");
        int block = k.layout().block();
        double norm = 1.0 / block;
        return PairAxes.reduce(k, (blockValues, off) -> {
            double s = 0;
            for (int m = 0; m < block; m++) {
                s += blockValues[off + m];
            }
            return s * norm;
        });
    }
}
