package org.ntkworkbench.nn;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.tensor.Tensor;

/**
 * Multiplication by a constant (neural-tangents' {@code DotGeneral} with a constant {@code rhs} or {@code lhs}): a fixed,
 * non-trainable linear map of the inputs {@code (n, spatial…, C)}.
 *
 * <p><b>General form</b> (session 5; neural-tangents' arguments): {@code dotGeneral(rhs: T, dimensionNumbers: [[[ic…], [tc…]],
 * [[ib…], [tb…]]])} is {@code lax.dot_general(inputs, T, dimension_numbers)}: input axes {@code ic} contracted with T's
 * axes {@code tc}, input axes {@code ib} paired with T's axes {@code tb} as batch dimensions; {@code dotGeneral(lhs: T,
 * dimensionNumbers: [[[tc…], [ic…]], [[tb…], [ib…]]])} is {@code lax.dot_general(T, inputs, …)} (T on the left, so its axes
 * come first in each pair, as in jax). Input axes count as numpy does on the batch ({@code 0} = examples, {@code 1 … d}
 * spatial, {@code d + 1} or {@code −1} = channels); T's on T. Several contracting axes and several batch axes are allowed.
 * The output axes are jax's (batch pairs, then the free axes of the left operand, then those of the right one) with the
 * example axis moved first and the channel axis last (this workbench's layout; neural-tangents tracks those two axes
 * instead of moving them). Refused in one line: the channel axis in {@code dimensionNumbers} (the kernel treats the
 * channels as infinitely many; neural-tangents refuses it too) and the example axis (the kernel treats each example
 * separately; a constant per example is {@code aggregate()}'s per-example pattern).
 *
 * <p><b>Short forms</b> (earlier sessions, kept): {@code dotGeneral(rhs: c)}: every entry times the number c.
 * {@code dotGeneral(rhs: v, axis: a)}: spatial axis a contracted with the vector v (the axis is removed).
 * {@code dotGeneral(rhs: M, axis: a)}: spatial axis a contracted with the first axis of the matrix M ({@code size × m}); the
 * result axis of size m stays in place (the general form {@code dimensionNumbers: [[[a], [0]], [[], []]]} puts it last,
 * as jax does).
 *
 * <p><b>Kernel.</b> A fixed linear map R of positions, so exactly {@code Σ′ = R Σ Rᵀ} on every pair of examples
 * (Θ and the covariances alike; {@link PairAxes#mapPositions}); for a number {@code c²Σ}, which keeps the
 * diagonal layout. <b>Masks</b> (neural-tangents' {@code mask_fn}, {@code ~dot(~mask)}): an output position is masked
 * when every input position it reads with a non-zero weight is masked.
 * <p>The map of a nonlinearity's outputs is not Gaussian, and the next nonlinearity's kernel assumes Gaussian inputs:
 * put a dense or conv layer in between ({@link Serial} refuses that order, as neural-tangents does; see docs/math-notes.md).
 */
public final class DotGeneral extends UnaryLayer {
    private final Tensor rhs;
    private final int axis;
    /** The general form: {@code true} when the constant is the left operand; {@code dims} null for the short forms. */
    private final boolean lhs;
    private final int[][][] dims;

    private DotGeneral(Tensor constant, boolean lhs, int[][][] dims) {
        checkConstant(constant, lhs ? "lhs" : "rhs");
        this.rhs = constant;
        this.axis = 0;
        this.lhs = lhs;
        this.dims = dims;
        if (dims.length != 2 || dims[0].length != 2 || dims[1].length != 2) {
            throw new IllegalArgumentException("dotGeneral dimensionNumbers: needs [[[lhs contracting...], [rhs contracting...]], "
                    + "[[lhs batch...], [rhs batch...]]]");
        }
    }

    /**
     * The general form, neural-tangents' {@code DotGeneral(lhs= | rhs=, dimension_numbers=)}: {@code constant} on the left
     * ({@code lhs = true}) or right of the inputs; {@code dims = [[lhsContracting, rhsContracting], [lhsBatch, rhsBatch]]}.
     */
    public static DotGeneral general(Tensor constant, boolean lhs, int[][][] dims) {
        return new DotGeneral(constant, lhs, dims);
    }

    private static void checkConstant(Tensor c, String name) {
        if (c == null) {
            throw new IllegalArgumentException("dotGeneral " + name + ": needs a number or an array");
        }
        for (double v : c.data()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("dotGeneral " + name + ": " + v + " is not a finite number");
            }
        }
    }

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
        this.lhs = false;
        this.dims = null;
    }

    @Override
    public String word() {
        return "dotGeneral";
    }

    /** The spatial axis (0-based among the spatial axes) for per-example input {@code in}. */
    private int spatialAxis(int[] in) {
        return Layers.spatialAxis("dotGeneral", "contract", axis, in);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1) {
            throw new IllegalArgumentException("dotGeneral needs inputs with a channel axis, got " + Arrays.toString(in));
        }
        if (dims != null) {
            int[] sp = plan(Arrays.copyOf(in, in.length - 1)).outSpatial;
            int[] out = Arrays.copyOf(sp, sp.length + 1);
            out[sp.length] = in[in.length - 1];
            return out;
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

    /** The general form's map of positions and output spatial shape for inputs of spatial shape {@code spatial}. */
    private record Plan(double[] r, int[] outSpatial) {}

    private Plan plan(int[] spatial) {
        int d = spatial.length, nd = d + 2, nt = rhs.rank();
        int[] inC = canon(dims[0][lhs ? 1 : 0], nd, "input"), tC = canon(dims[0][lhs ? 0 : 1], nt, "constant");
        int[] inB = canon(dims[1][lhs ? 1 : 0], nd, "input"), tB = canon(dims[1][lhs ? 0 : 1], nt, "constant");
        if (inC.length != tC.length || inB.length != tB.length) {
            throw new IllegalArgumentException("dotGeneral dimensionNumbers: " + this.dimsLiteral() + " pairs " + inC.length + " input with "
                    + tC.length + " constant contracting axes and " + inB.length + " with " + tB.length + " batch axes; they must pair up");
        }
        // role of every input axis (0 examples, d + 1 channels) and constant axis: -1 free, 0..c-1 contracted k, 1000 + k batch k
        int[] inRole = new int[nd], tRole = new int[nt];
        Arrays.fill(inRole, -1);
        Arrays.fill(tRole, -1);
        for (int k = 0; k < inC.length + inB.length; k++) {
            boolean batch = k >= inC.length;
            int kk = batch ? k - inC.length : k;
            int ia = batch ? inB[kk] : inC[kk], ta = batch ? tB[kk] : tC[kk];
            if (ia == nd - 1) {
                throw new IllegalArgumentException("dotGeneral: input axis " + ia + " is the channel axis; the kernel treats the channels as "
                        + "infinitely many, so contract or pair spatial axes only (neural-tangents refuses it too)");
            }
            if (ia == 0) {
                throw new IllegalArgumentException("dotGeneral: input axis 0 is the example axis; the kernel treats examples separately "
                        + "(for a constant per example use aggregate() with a per-example pattern)");
            }
            if (inRole[ia] != -1 || tRole[ta] != -1) {
                throw new IllegalArgumentException("dotGeneral dimensionNumbers: " + dimsLiteral() + " names an axis twice");
            }
            if (spatial[ia - 1] != rhs.dim(ta)) {
                throw new IllegalArgumentException("dotGeneral: input axis " + ia + " of size " + spatial[ia - 1] + " is paired with axis "
                        + ta + " of size " + rhs.dim(ta) + " of the constant " + rhs.shapeString());
            }
            inRole[ia] = batch ? 1000 + kk : kk;
            tRole[ta] = batch ? 1000 + kk : kk;
        }
        // output axes: batch pairs, then the left operand's free axes, then the right one's (jax), examples and channels taken out
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (int k = 0; k < inB.length; k++) {
            out.add(new int[] {0, k, spatial[inB[k] - 1]});
        }
        java.util.List<int[]> inFree = new java.util.ArrayList<>(), tFree = new java.util.ArrayList<>();
        for (int a = 1; a <= d; a++) {
            if (inRole[a] == -1) {
                inFree.add(new int[] {1, a, spatial[a - 1]});
            }
        }
        for (int t = 0; t < nt; t++) {
            if (tRole[t] == -1) {
                tFree.add(new int[] {2, t, rhs.dim(t)});
            }
        }
        out.addAll(lhs ? tFree : inFree);
        out.addAll(lhs ? inFree : tFree);
        int[] outSpatial = out.stream().mapToInt(o -> o[2]).toArray();
        int[] ks = new int[inC.length];
        for (int k = 0; k < ks.length; k++) {
            ks[k] = spatial[inC[k] - 1];
        }
        int qo = PairLayout.positions(outSpatial), qi = PairLayout.positions(spatial), qk = PairLayout.positions(ks);
        double[] r = new double[qo * qi], tv = rhs.data();
        int[] oi = new int[outSpatial.length], ki = new int[ks.length], ii = new int[d], ti = new int[nt];
        for (int o = 0; o < qo; o++) {
            PairLayout.unravel(o, outSpatial, oi);
            for (int m = 0; m < out.size(); m++) {
                int[] ax = out.get(m);
                if (ax[0] == 0) {
                    ii[inB[ax[1]] - 1] = oi[m];
                    ti[tB[ax[1]]] = oi[m];
                } else if (ax[0] == 1) {
                    ii[ax[1] - 1] = oi[m];
                } else {
                    ti[ax[1]] = oi[m];
                }
            }
            for (int c = 0; c < qk; c++) {
                PairLayout.unravel(c, ks, ki);
                for (int k = 0; k < ks.length; k++) {
                    ii[inC[k] - 1] = ki[k];
                    ti[tC[k]] = ki[k];
                }
                int i = 0, t = 0;
                for (int a = 0; a < d; a++) {
                    i = i * spatial[a] + ii[a];
                }
                for (int a = 0; a < nt; a++) {
                    t = t * rhs.dim(a) + ti[a];
                }
                r[o * qi + i] += tv[t];
            }
        }
        return new Plan(r, outSpatial);
    }

    /** Axes {@code a} canonicalised for rank {@code rank} (negative from the end), checked in range. */
    private int[] canon(int[] a, int rank, String whose) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            int v = a[i] < 0 ? a[i] + rank : a[i];
            if (v < 0 || v >= rank) {
                throw new IllegalArgumentException("dotGeneral dimensionNumbers: axis " + a[i] + " is not an axis of the " + whose
                        + " (rank " + rank + (whose.equals("input") ? ", examples and channels included" : "") + ")");
            }
            out[i] = v;
        }
        return out;
    }

    private String dimsLiteral() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 2; i++) {
            b.append(i > 0 ? ", " : "").append('[');
            for (int j = 0; j < 2; j++) {
                b.append(j > 0 ? ", " : "").append(Arrays.toString(dims[i][j]));
            }
            b.append(']');
        }
        return b.append(']').toString();
    }

    /** The map of flattened positions for input spatial shape {@code spatial}. */
    private double[] map(int[] spatial) {
        if (dims != null) {
            return plan(spatial).r();
        }
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
        if (dims != null) {
            return plan(spatial).outSpatial();
        }
        int[] in = Arrays.copyOf(spatial, spatial.length + 1);
        int[] out = outputShape(in);
        return Arrays.copyOf(out, out.length - 1);
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] s = x.shape();
        if (rhs.rank() == 0 && dims == null) {
            return x.scale(rhs.data()[0]);
        }
        int[] spatial = Arrays.copyOfRange(s, 1, s.length - 1);
        int[] outSpatial = outSpatial(spatial);
        return PositionMaps.apply(x, map(spatial), outSpatial);
    }

    /** {@code R Σ Rᵀ} on every pair of examples; a number c gives {@code c² Σ} on any layout. */
    @Override
    public Kernel kernel(Kernel in) {
        if (rhs.rank() == 0 && dims == null) {
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
        return rhs.rank() == 0 && dims == null ? SpatialDiagonal.POINTWISE : SpatialDiagonal.NEEDS_ALL_PAIRS;
    }

    /** neural-tangents' {@code ~dot(~mask)}: an output position is masked when every position it reads (weight ≠ 0) is. */
    @Override
    public Tensor outputMask(Tensor mask) {
        int[] spatial = Arrays.copyOfRange(mask.shape(), 1, mask.rank());
        if (spatial.length == 0) {
            if (rhs.rank() == 0 && dims == null) {
                return rhs.data()[0] == 0 ? org.ntkworkbench.kernel.Masks.mapped(mask, new double[1], new int[0]).reshape(mask.shape()) : mask;
            }
            throw new IllegalArgumentException("dotGeneral needs spatial axes; got dense (n, C) inputs");
        }
        return org.ntkworkbench.kernel.Masks.mapped(mask, map(spatial), outSpatial(spatial));
    }

    @Override
    public String toString() {
        if (dims != null) {
            return "dotGeneral(" + (lhs ? "lhs: " : "rhs: ") + PositionMaps.literal(rhs) + ", dimensionNumbers: " + dimsLiteral() + ")";
        }
        return "dotGeneral(rhs: " + PositionMaps.literal(rhs) + (rhs.rank() == 0 ? "" : ", axis: " + axis) + ")";
    }
}
