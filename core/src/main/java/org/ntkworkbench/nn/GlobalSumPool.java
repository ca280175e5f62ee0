package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Masks;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.kernel.Kernel;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;

/** Sum over all spatial axes: {@code (n, spatial…, C)} to {@code (n, C)}. */
public final class GlobalSumPool extends UnaryLayer {

    @Override
    public String word() {
        return "globalSumPool";
    }

    static int[] channelsOnly(int[] in) {
        if (in.length < 2) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(in) + " has no spatial axis to pool");
        }
        return new int[] {in[in.length - 1]};
    }

    static int[] spatialAxes(int rank) {
        int[] axes = new int[rank - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }

    @Override
    public int[] outputShape(int[] in) {
        return channelsOnly(in);
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        outputShape(Arrays.copyOfRange(x.shape(), 1, x.rank()));
        return Ops.sum(x, spatialAxes(x.rank()), false);
    }

    @Override
    public String toString() {
        return "globalSumPool()";
    }

    /** The sum over all position pairs ({@link #rule}). */
    @Override
    public Kernel kernel(Kernel in) {
        if (in.spatial().length == 0) {
            throw new IllegalArgumentException("globalSumPool needs a spatial kernel, got a dense one");
        }
        return rule(in);
    }

    /** The sum over all position pairs. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.FULL_READOUT;
    }

    /** The rule: the sum over all position pairs, giving a dense kernel (refused on the diagonal layout). */
    public static Kernel rule(Kernel k) {
        PairAxes.requireFullSpatial(k, "globalSumPool");
        int block = k.layout().block();
        return PairAxes.reduce(k, (blockValues, off) -> {
            double s = 0;
            for (int m = 0; m < block; m++) {
                s += blockValues[off + m];
            }
            return s;
        });
    }

    /** A readout: an example is masked only when all its positions are. */
    @Override
    public Tensor outputMask(Tensor mask) {
        return Masks.allPositions(mask);
    }
}
