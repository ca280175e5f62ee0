package org.ntkworkbench.nn;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.tensor.Tensor;

/**
 * Multiplication by a constant (neural-tangents' {@code DotGeneral} with a constant {@code rhs}): a fixed,
 * non-trainable linear map of the inputs {@code (n, spatial…, C)}. {@code dotGeneral(rhs: c)}: every entry times
 * the number c. {@code dotGeneral(rhs: v, axis: a)}: spatial axis a contracted with the vector v (the axis is
 * removed: {@code out[…] = Σ_i v[i] x[…, i, …]}, e.g. {@code [1, -1]} subtracts two rows). {@code dotGeneral(rhs: M,
 * axis: a)}: spatial axis a contracted with the first axis of the matrix M ({@code size × m}); the result axis
 * of size m stays in place ({@code out[…, j, …] = Σ_i x[…, i, …] M[i, j]}; neural-tangents moves it last, which
 * a following {@code transpose} would undo). {@code axis} counts as numpy does with the example axis 0
 * ({@code 1 … d} or negative, −2 = the last spatial axis). The example and channel axes cannot be contracted:
 * the kernel treats the channels as infinitely many and each example separately (neural-tangents refuses
 * these in its kernel too). neural-tangents' {@code lhs} form is the same map with M transposed.
 *
 * <p><b>Kernel.</b> A fixed linear map R of positions, so exactly {@code Σ′ = R Σ Rᵀ} on every pair of examples
 * (Θ and the covariances alike; {@link PairAxes#mapPositions}); for a number {@code c²Σ}, which keeps the
 * diagonal layout.
 * <p>The map of a nonlinearity's outputs is not Gaussian, and the next nonlinearity's kernel assumes Gaussian inputs:
 * put a dense or conv layer in between ({@link Serial} refuses that order, as neural-tangents does; see docs/math-notes.md).
 */
public final class DotGeneral extends UnaryLayer {
    private final Tensor rhs;
    private final int axis;

    /** Multiplication by {@code rhs} (rank 0, 1 or 2) along numpy axis {@code axis} (ignored for a number). */
    public DotGeneral(Tensor rhs, int axis) {
        if (rhs == null || rhs.rank() > 2) {
            throw new IllegalArgumentException("dotGeneral rhs: needs a number, a vector or a matrix, got "
                    + (rhs == null ? "nothing" : rhs.shapeString()));
        }
        for (double v : rhs.data()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("dotGeneral rhs: " + v + " is not a finite number");
            }
        }
        if (rhs.rank() > 0 && axis == 0) {
            throw new IllegalArgumentException("dotGeneral: axis 0 is the example axis; the kernel treats examples separately, "
                    + "so contract a spatial axis (1 ... d, or -2 for the last one)");
        }
        this.rhs = rhs;
        this.axis = axis;
    }

    @Override
    public String word() {
        return "dotGeneral";
    }

    /** The spatial axis (0-based among the spatial axes) for per-example input {@code in}. */
    private int spatialAxis(int[] in) {
        int d = in.length - 1;
        int a = axis < 0 ? axis + d + 2 : axis;
        if (a == d + 1) {
            throw new IllegalArgumentException("dotGeneral: axis " + axis + " is the channel axis; the kernel treats the channels "
                    + "as infinitely many, so contract a spatial axis");
        }
        if (a < 1 || a > d) {
            throw new IllegalArgumentException("dotGeneral: axis " + axis + " is not a spatial axis of inputs "
                    + Arrays.toString(in) + " (spatial axes 1 ... " + d + ", or negative from -2)");
        }
        return a - 1;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1) {
            throw new IllegalArgumentException("dotGeneral needs inputs with a channel axis, got " + Arrays.toString(in));
        }
        if (rhs.rank() == 0) {
            return in.clone();
        }
        int a = spatialAxis(in);
        if (rhs.dim(0) != in[a]) {
            throw new IllegalArgumentException("dotGeneral rhs " + rhs.shapeString() + " does not contract axis " + axis + " of size "
                    + in[a] + " (inputs " + Arrays.toString(in) + ")");
        }
        if (rhs.rank() == 2) {
            int[] out = in.clone();
            out[a] = rhs.dim(1);
            return out;
        }
        int[] out = new int[in.length - 1];
        for (int i = 0, k = 0; i < in.length; i++) {
            if (i != a) {
                out[k++] = in[i];
            }
        }
        return out;
    }

    /** The map of flattened positions for input spatial shape {@code spatial}. */
    private double[] map(int[] spatial) {
        if (rhs.rank() == 0) {
            int q = PairLayout.positions(spatial);
            double[] r = new double[q * q];
            for (int p = 0; p < q; p++) {
                r[p * q + p] = rhs.data()[0];
            }
            return r;
        }
        int[] in = Arrays.copyOf(spatial, spatial.length + 1);
        int a = spatialAxis(in);
        int m = rhs.rank() == 2 ? rhs.dim(1) : 1;
        int size = spatial[a];
        double[][] maps = new double[spatial.length][];
        maps[a] = new double[m * size];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < size; i++) {
                maps[a][j * size + i] = rhs.data()[i * m + j];
            }
        }
        int[] sizes = spatial.clone();
        sizes[a] = m;
        // A vector's axis of size 1 is then dropped: the flattened positions are the same.
        return PairAxes.positionMap(spatial, sizes, maps);
    }

    private int[] outSpatial(int[] spatial) {
        int[] in = Arrays.copyOf(spatial, spatial.length + 1);
        int[] out = outputShape(in);
        return Arrays.copyOf(out, out.length - 1);
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] s = x.shape();
        if (rhs.rank() == 0) {
            return x.scale(rhs.data()[0]);
        }
        int[] spatial = Arrays.copyOfRange(s, 1, s.length - 1);
        int[] outSpatial = outSpatial(spatial);
        return PositionMaps.apply(x, map(spatial), outSpatial);
    }

    /** {@code R Σ Rᵀ} on every pair of examples; a number c gives {@code c² Σ} on any layout. */
    @Override
    public Kernel kernel(Kernel in) {
        if (rhs.rank() == 0) {
            double c2 = rhs.data()[0] * rhs.data()[0];
            Tensor cov1 = in.cov1().mul(c2);
            return in.withArrays(in.nngp().mul(c2), in.ntk() == null ? null : in.ntk().mul(c2), cov1,
                    in.cov2() == in.cov1() ? cov1 : in.cov2().mul(c2));
        }
        int[] outSpatial = outSpatial(in.spatial());
        return PairAxes.mapPositions(in, map(in.spatial()), outSpatial, "dotGeneral");
    }

    /** A number scales each position on its own (any layout); a vector or matrix mixes positions. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return rhs.rank() == 0 ? SpatialDiagonal.POINTWISE : SpatialDiagonal.NEEDS_ALL_PAIRS;
    }

    @Override
    public String toString() {
        return "dotGeneral(rhs: " + PositionMaps.literal(rhs) + (rhs.rank() == 0 ? "" : ", axis: " + axis) + ")";
    }
}
