package org.ntkworkbench.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * An n-dimensional array of {@code double}, row-major (C order), examples on the first axis.
 *
 * <p>A tensor owns a flat {@code double[]} and a shape. Operations return new tensors unless their
 * name ends in {@code InPlace}; {@link #reshape} shares the data (a view). Matrix products go to the
 * native BLAS through {@link Blas}.
 */
public final class Tensor {
    private final double[] data;
    private final int[] shape;

    private Tensor(double[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps {@code data} (not copied) with the given shape. */
    public static Tensor of(double[] data, int... shape) {
        long size = sizeOf(shape);
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " values but got " + data.length);
        }
        return new Tensor(data, shape.clone());
    }

    /** A rank-2 tensor copied from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int n = rows.length, d = n == 0 ? 0 : rows[0].length;
        double[] a = new double[n * d];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has length " + rows[i].length + ", expected " + d);
            }
            System.arraycopy(rows[i], 0, a, i * d, d);
        }
        return new Tensor(a, new int[] {n, d});
    }

    /** A rank-1 tensor holding a copy of {@code values}. */
    public static Tensor vector(double... values) {
        return new Tensor(values.clone(), new int[] {values.length});
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(double value) {
        return new Tensor(new double[] {value}, new int[0]);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        return new Tensor(new double[checkedSize(shape)], shape.clone());
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(double value, int... shape) {
        double[] a = new double[checkedSize(shape)];
        Arrays.fill(a, value);
        return new Tensor(a, shape.clone());
    }

    /** Standard normal draws; the same seed gives the same bits on every run and thread count. */
    public static Tensor randn(long seed, int... shape) {
        double[] a = new double[checkedSize(shape)];
        new SeededRandom(seed).fillGaussian(a);
        return new Tensor(a, shape.clone());
    }

    /** Uniform draws on [lo, hi); deterministic for a seed. */
    public static Tensor uniform(long seed, double lo, double hi, int... shape) {
        double[] a = new double[checkedSize(shape)];
        new SeededRandom(seed).fillUniform(a, lo, hi);
        return new Tensor(a, shape.clone());
    }

    static long sizeOf(int[] shape) {
        long s = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            s *= d;
        }
        return s;
    }

    private static int checkedSize(int[] shape) {
        long s = sizeOf(shape);
        if (s > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + s
                    + " elements, more than one Java array can hold; use a memory-mapped kernel instead");
        }
        return (int) s;
    }

    /** The flat row-major storage (not a copy). */
    public double[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of axes. */
    public int rank() {
        return shape.length;
    }

    /** Length of {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** The shape as {@code [d0, d1, …]}, for messages. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** True when both shapes are equal. */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    int flatIndex(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " into shape " + shapeString());
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of shape " + shapeString());
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    /** The element at a full index. */
    public double get(int... index) {
        return data[flatIndex(index)];
    }

    /** Sets the element at a full index (mutates this tensor). */
    public void set(double value, int... index) {
        data[flatIndex(index)] = value;
    }

    /** Scalar value of a tensor with one element. */
    public double item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() of a tensor of shape " + shapeString());
        }
        return data[0];
    }

    /** A view with a new shape over the same data; one dimension may be -1 (inferred). */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("more than one -1 in reshape " + Arrays.toString(newShape));
                }
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || data.length % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + shapeString() + " to " + Arrays.toString(newShape));
            }
            s[infer] = (int) (data.length / known);
        }
        if (sizeOf(s) != data.length) {
            throw new IllegalArgumentException("cannot reshape " + shapeString() + " to " + Arrays.toString(newShape));
        }
        return new Tensor(data, s);
    }

    /** A deep copy (data and shape). */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** Elementwise function into a new tensor. */
    public Tensor map(DoubleUnaryOperator f) {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(data[i]);
        }
        return new Tensor(out, shape.clone());
    }

    /** Row {@code i} of a rank-2 tensor, copied. */
    public double[] row(int i) {
        if (rank() != 2) {
            throw new IllegalStateException("row() of a tensor of shape " + shapeString());
        }
        return Arrays.copyOfRange(data, i * shape[1], (i + 1) * shape[1]);
    }

    /** Rows of a rank-2 tensor as a {@code double[][]}, copied. */
    public double[][] toArray2d() {
        double[][] rows = new double[dim(0)][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = row(i);
        }
        return rows;
    }

    /** Sum of all elements. */
    public double sum() {
        double s = 0;
        for (double v : data) {
            s += v;
        }
        return s;
    }

    /** Largest absolute value ({@code 0} for an empty tensor). */
    public double maxAbs() {
        double m = 0;
        for (double v : data) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    // ------------------------------------------------------------------ elementwise, broadcasting

    /**
     * The NumPy broadcast of two shapes: aligned from the right, each pair of dimensions must be equal
     * or contain a 1; throws {@link IllegalArgumentException} naming both shapes otherwise.
     */
    public static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("cannot broadcast shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b));
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides of {@code shape} (row-major) as seen from the broadcast shape {@code out}: 0 on broadcast axes. */
    private static int[] broadcastStrides(int[] shape, int[] out) {
        int[] strides = new int[out.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            int o = i + out.length - shape.length;
            strides[o] = shape[i] == 1 ? 0 : stride;
            stride *= shape[i];
        }
        return strides;
    }

    /** The four arithmetic operations, with loops specialised per operation for the common same-shape case. */
    private enum Arith implements DoubleBinaryOperator {
        ADD, SUB, MUL, DIV;

        @Override
        public double applyAsDouble(double x, double y) {
            return switch (this) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
            };
        }

        void sameShape(double[] a, double[] b, double[] out) {
            switch (this) {
                case ADD -> { for (int i = 0; i < out.length; i++) out[i] = a[i] + b[i]; }
                case SUB -> { for (int i = 0; i < out.length; i++) out[i] = a[i] - b[i]; }
                case MUL -> { for (int i = 0; i < out.length; i++) out[i] = a[i] * b[i]; }
                case DIV -> { for (int i = 0; i < out.length; i++) out[i] = a[i] / b[i]; }
            }
        }
    }

    private static Tensor broadcast(Tensor a, Tensor b, DoubleBinaryOperator op) {
        if (Arrays.equals(a.shape, b.shape)) {
            double[] out = new double[a.data.length];
            if (op instanceof Arith arith) {
                arith.sameShape(a.data, b.data, out);
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] = op.applyAsDouble(a.data[i], b.data[i]);
                }
            }
            return new Tensor(out, a.shape.clone());
        }
        int[] outShape = broadcastShape(a.shape, b.shape);
        double[] out = new double[checkedSize(outShape)];
        if (out.length == 0) {
            return new Tensor(out, outShape);
        }
        int rank = outShape.length;
        int[] sa = broadcastStrides(a.shape, outShape);
        int[] sb = broadcastStrides(b.shape, outShape);
        int inner = rank == 0 ? 1 : outShape[rank - 1];
        int ia = rank == 0 ? 0 : sa[rank - 1];
        int ib = rank == 0 ? 0 : sb[rank - 1];
        int[] counter = new int[Math.max(0, rank - 1)];
        int offA = 0, offB = 0;
        for (int pos = 0; pos < out.length; pos += inner) {
            for (int j = 0; j < inner; j++) {
                out[pos + j] = op.applyAsDouble(a.data[offA + j * ia], b.data[offB + j * ib]);
            }
            // Odometer over the outer axes.
            for (int ax = rank - 2; ax >= 0; ax--) {
                counter[ax]++;
                offA += sa[ax];
                offB += sb[ax];
                if (counter[ax] < outShape[ax]) {
                    break;
                }
                offA -= sa[ax] * outShape[ax];
                offB -= sb[ax] * outShape[ax];
                counter[ax] = 0;
            }
        }
        return new Tensor(out, outShape);
    }

    /** Elementwise {@code this + other} with NumPy broadcasting. */
    public Tensor add(Tensor other) {
        return broadcast(this, other, Arith.ADD);
    }

    /** Elementwise {@code this − other} with NumPy broadcasting. */
    public Tensor sub(Tensor other) {
        return broadcast(this, other, Arith.SUB);
    }

    /** Elementwise (Hadamard) {@code this ⊙ other} with NumPy broadcasting. */
    public Tensor mul(Tensor other) {
        return broadcast(this, other, Arith.MUL);
    }

    /** Elementwise {@code this / other} with NumPy broadcasting. */
    public Tensor div(Tensor other) {
        return broadcast(this, other, Arith.DIV);
    }

    /** {@code this + c} elementwise. */
    public Tensor add(double c) {
        return map(x -> x + c);
    }

    /** {@code this − c} elementwise. */
    public Tensor sub(double c) {
        return map(x -> x - c);
    }

    /** {@code c · this}. */
    public Tensor mul(double c) {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = c * data[i];
        }
        return new Tensor(out, shape.clone());
    }

    /** {@code this / c} elementwise. */
    public Tensor div(double c) {
        return map(x -> x / c);
    }

    /** {@code −this}. */
    public Tensor neg() {
        return mul(-1.0);
    }

    /** Elementwise binary function of two tensors of broadcast-compatible shapes. */
    public Tensor zipWith(Tensor other, DoubleBinaryOperator f) {
        return broadcast(this, other, f);
    }

    /** Groovy operator {@code +}. */
    public Tensor plus(Tensor other) {
        return add(other);
    }

    /** Groovy operator {@code +}. */
    public Tensor plus(double c) {
        return add(c);
    }

    /** Groovy operator {@code -}. */
    public Tensor minus(Tensor other) {
        return sub(other);
    }

    /** Groovy operator {@code -}. */
    public Tensor minus(double c) {
        return sub(c);
    }

    /** Groovy operator {@code *} (elementwise). */
    public Tensor multiply(Tensor other) {
        return mul(other);
    }

    /** Groovy operator {@code *}. */
    public Tensor multiply(double c) {
        return mul(c);
    }

    /** Groovy unary {@code -}. */
    public Tensor negative() {
        return neg();
    }

    // ------------------------------------------------------------------ reductions

    /**
     * Sums this tensor down to {@code target}, the adjoint of broadcasting {@code target} to this
     * shape: axes where {@code target} has 1 (or that it lacks on the left) are summed.
     */
    public Tensor sumTo(int... target) {
        if (Arrays.equals(target, shape)) {
            return copy();
        }
        int[] check = broadcastShape(target, shape);
        if (!Arrays.equals(check, shape)) {
            throw new IllegalArgumentException("cannot sum shape " + shapeString() + " to " + Arrays.toString(target));
        }
        double[] out = new double[checkedSize(target)];
        int rank = shape.length;
        if (data.length == 0) {
            return new Tensor(out, target.clone());
        }
        int[] st = broadcastStrides(target, shape);
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int it = rank == 0 ? 0 : st[rank - 1];
        int[] counter = new int[Math.max(0, rank - 1)];
        int off = 0;
        for (int pos = 0; pos < data.length; pos += inner) {
            if (it == 0) {
                double s = 0;
                for (int j = 0; j < inner; j++) {
                    s += data[pos + j];
                }
                out[off] += s;
            } else {
                for (int j = 0; j < inner; j++) {
                    out[off + j] += data[pos + j];
                }
            }
            for (int ax = rank - 2; ax >= 0; ax--) {
                counter[ax]++;
                off += st[ax];
                if (counter[ax] < shape[ax]) {
                    break;
                }
                off -= st[ax] * shape[ax];
                counter[ax] = 0;
            }
        }
        return new Tensor(out, target.clone());
    }

    /** Broadcasts this tensor to {@code target} (copying). */
    public Tensor broadcastTo(int... target) {
        int[] check = broadcastShape(shape, target);
        if (!Arrays.equals(check, target)) {
            throw new IllegalArgumentException("cannot broadcast shape " + shapeString() + " to " + Arrays.toString(target));
        }
        return broadcast(this, zeros(target), Double::sum);
    }

    /** Normalises possibly negative axes and rejects duplicates and out-of-range values. */
    public int[] normalizeAxes(int... axes) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[shape.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + shape.length : axes[i];
            if (a < 0 || a >= shape.length || seen[a]) {
                throw new IllegalArgumentException("bad axes " + Arrays.toString(axes) + " for shape " + shapeString());
            }
            seen[a] = true;
            out[i] = a;
        }
        return out;
    }

    /** Shape with the given (normalised) axes set to 1 ({@code keepDims}) or removed. */
    private int[] reducedShape(int[] axes, boolean keepDims) {
        boolean[] red = new boolean[shape.length];
        for (int a : axes) {
            red[a] = true;
        }
        int[] kept = shape.clone();
        int count = 0;
        for (int i = 0; i < shape.length; i++) {
            if (red[i]) {
                kept[i] = 1;
            } else {
                count++;
            }
        }
        if (keepDims) {
            return kept;
        }
        int[] out = new int[count];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!red[i]) {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    /** Sum over {@code axes} (negative axes count from the end); {@code keepDims} keeps them as size 1. */
    public Tensor sum(int[] axes, boolean keepDims) {
        int[] ax = normalizeAxes(axes);
        Tensor kept = sumTo(reducedShape(ax, true));
        return keepDims ? kept : kept.reshape(reducedShape(ax, false));
    }

    /** Sum over {@code axes}, removing them. */
    public Tensor sum(int... axes) {
        return sum(axes, false);
    }

    /** Mean over {@code axes}; {@code keepDims} keeps them as size 1. */
    public Tensor mean(int[] axes, boolean keepDims) {
        int[] ax = normalizeAxes(axes);
        long count = 1;
        for (int a : ax) {
            count *= shape[a];
        }
        return sum(ax, keepDims).mul(1.0 / count);
    }

    /** Mean over {@code axes}, removing them. */
    public Tensor mean(int... axes) {
        return mean(axes, false);
    }

    /** Mean of all elements. */
    public double mean() {
        return sum() / data.length;
    }

    // ------------------------------------------------------------------ slicing, concatenation, permutation

    /** The rows (entries along axis 0) with the given indices, in that order (copied). */
    public Tensor rows(int... indices) {
        if (rank() == 0) {
            throw new IllegalArgumentException("rows() of a scalar");
        }
        int inner = shape[0] == 0 ? 0 : data.length / shape[0];
        double[] out = new double[indices.length * inner];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= shape[0]) {
                throw new IndexOutOfBoundsException("row " + indices[i] + " of shape " + shapeString());
            }
            System.arraycopy(data, indices[i] * inner, out, i * inner, inner);
        }
        int[] s = shape.clone();
        s[0] = indices.length;
        return new Tensor(out, s);
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive) along axis 0 (copied). (Named apart from
     * {@link #rows(int...)} so that {@code rows(4, 0)} can only mean the index list.)
     */
    public Tensor rowRange(int from, int to) {
        return slice(0, from, to);
    }

    /** Entries {@code from} (inclusive) to {@code to} (exclusive) along {@code axis} (copied). */
    public Tensor slice(int axis, int from, int to) {
        int ax = normalizeAxes(axis)[0];
        if (from < 0 || to > shape[ax] || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of axis " + ax + " of shape " + shapeString());
        }
        int outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = ax + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int len = (to - from) * inner;
        double[] out = new double[outer * len];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(data, (o * shape[ax] + from) * inner, out, o * len, len);
        }
        int[] s = shape.clone();
        s[ax] = to - from;
        return new Tensor(out, s);
    }

    /** Concatenation along {@code axis}; all other dimensions must agree. */
    public static Tensor concat(int axis, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat of no tensors");
        }
        Tensor first = parts.get(0);
        int ax = first.normalizeAxes(axis)[0];
        int[] outShape = first.shape.clone();
        outShape[ax] = 0;
        for (Tensor t : parts) {
            boolean ok = t.rank() == first.rank();
            for (int i = 0; ok && i < outShape.length; i++) {
                ok = i == ax || t.shape[i] == first.shape[i];
            }
            if (!ok) {
                throw new IllegalArgumentException("cannot concatenate shapes " + first.shapeString() + " and "
                        + t.shapeString() + " along axis " + axis);
            }
            outShape[ax] += t.shape[ax];
        }
        int outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= outShape[i];
        }
        int inner = 1;
        for (int i = ax + 1; i < outShape.length; i++) {
            inner *= outShape[i];
        }
        double[] out = new double[checkedSize(outShape)];
        int rowLen = outShape[ax] * inner;
        int offset = 0;
        for (Tensor t : parts) {
            int len = t.shape[ax] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(t.data, o * len, out, o * rowLen + offset, len);
            }
            offset += len;
        }
        return new Tensor(out, outShape);
    }

    /** Concatenation along {@code axis}. */
    public static Tensor concat(int axis, Tensor... parts) {
        return concat(axis, Arrays.asList(parts));
    }

    /** General axis permutation: result axis {@code i} is this tensor's axis {@code axes[i]} (a copy). */
    public Tensor permute(int... axes) {
        if (axes.length != shape.length) {
            throw new IllegalArgumentException("permutation " + Arrays.toString(axes) + " for shape " + shapeString());
        }
        int[] ax = normalizeAxes(axes);
        int rank = shape.length;
        int[] outShape = new int[rank];
        int[] inStrides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            inStrides[i] = stride;
            stride *= shape[i];
        }
        int[] srcStride = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[ax[i]];
            srcStride[i] = inStrides[ax[i]];
        }
        double[] out = new double[data.length];
        if (out.length == 0 || rank == 0) {
            System.arraycopy(data, 0, out, 0, data.length);
            return new Tensor(out, outShape);
        }
        int inner = outShape[rank - 1];
        int is = srcStride[rank - 1];
        int[] counter = new int[rank - 1];
        int off = 0;
        for (int pos = 0; pos < out.length; pos += inner) {
            for (int j = 0; j < inner; j++) {
                out[pos + j] = data[off + j * is];
            }
            for (int a = rank - 2; a >= 0; a--) {
                counter[a]++;
                off += srcStride[a];
                if (counter[a] < outShape[a]) {
                    break;
                }
                off -= srcStride[a] * outShape[a];
                counter[a] = 0;
            }
        }
        return new Tensor(out, outShape);
    }

    /** Swaps the last two axes (matrix transpose, batched over leading axes); a copy. */
    public Tensor transposeLast2() {
        if (rank() < 2) {
            throw new IllegalArgumentException("transposeLast2() of a tensor of shape " + shapeString());
        }
        int[] axes = new int[rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        axes[axes.length - 2] = axes.length - 1;
        axes[axes.length - 1] = axes.length - 2;
        return permute(axes);
    }

    /** Transpose of a rank-2 tensor (a copy). */
    public Tensor transpose() {
        if (rank() != 2) {
            throw new IllegalStateException("transpose() of a tensor of shape " + shapeString());
        }
        return transposeLast2();
    }

    // ------------------------------------------------------------------ products

    /**
     * Matrix product through BLAS dgemm. {@code this} is {@code (B…, m, k)}; {@code other} is either
     * {@code (k, n)} (shared by every batch entry: one gemm on {@code (B·m, k)}) or {@code (B…, k, n)}
     * with the same batch dimensions (one gemm per batch entry). The result is {@code (B…, m, n)}.
     */
    public Tensor matmul(Tensor other) {
        if (rank() < 2 || other.rank() < 2) {
            throw new IllegalArgumentException("matmul of shapes " + shapeString() + " and " + other.shapeString());
        }
        int m = shape[rank() - 2], k = shape[rank() - 1];
        int k2 = other.shape[other.rank() - 2], n = other.shape[other.rank() - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul of shapes " + shapeString() + " and " + other.shapeString());
        }
        int[] outShape = shape.clone();
        outShape[outShape.length - 1] = n;
        double[] c = new double[checkedSize(outShape)];
        int batch = (int) sizeOf(Arrays.copyOf(shape, rank() - 2));
        if (other.rank() == 2) {
            Blas.gemm(false, false, batch * m, n, k, 1.0, data, other.data, 0.0, c);
        } else {
            if (other.rank() != rank() || !Arrays.equals(Arrays.copyOf(shape, rank() - 2), Arrays.copyOf(other.shape, rank() - 2))) {
                throw new IllegalArgumentException("matmul of shapes " + shapeString() + " and " + other.shapeString()
                        + ": batch dimensions differ");
            }
            for (int bi = 0; bi < batch; bi++) {
                Blas.gemm(false, false, m, n, k, 1.0, data, bi * m * k, other.data, bi * k * n, 0.0, c, bi * m * n);
            }
        }
        return new Tensor(c, outShape);
    }

    // ------------------------------------------------------------------ per-example gathers (im2col)

    /**
     * Per-example gather: this tensor is {@code (n, …)} with {@code S} values per example; the result is
     * {@code (n, outPerExample…)} with {@code out[e, j] = this[e, index[j]]} over the flattened
     * per-example values, and 0 where {@code index[j] < 0} (zero padding). This is im2col when
     * {@code index} lists the receptive fields.
     */
    public Tensor gatherPerExample(int[] index, int... outPerExample) {
        if (sizeOf(outPerExample) != index.length) {
            throw new IllegalArgumentException("gather of " + index.length + " indices into shape " + Arrays.toString(outPerExample));
        }
        int n = shape[0];
        int s = n == 0 ? 0 : data.length / n;
        int q = index.length;
        double[] out = new double[checkedSize(new int[] {n, q})];
        for (int e = 0; e < n; e++) {
            int base = e * s, ob = e * q;
            for (int j = 0; j < q; j++) {
                int src = index[j];
                if (src >= 0) {
                    out[ob + j] = data[base + src];
                }
            }
        }
        int[] os = new int[outPerExample.length + 1];
        os[0] = n;
        System.arraycopy(outPerExample, 0, os, 1, outPerExample.length);
        return new Tensor(out, os);
    }

    /**
     * The adjoint of {@link #gatherPerExample}: this tensor is {@code (n, q…)} with {@code q} values per
     * example; the result is {@code (n, targetPerExample…)} with {@code out[e, index[j]] += this[e, j]}.
     */
    public Tensor scatterAddPerExample(int[] index, int... targetPerExample) {
        int n = shape[0];
        int q = index.length;
        if ((long) n * q != data.length) {
            throw new IllegalArgumentException("scatter of shape " + shapeString() + " with " + q + " indices");
        }
        int s = checkedSize(targetPerExample);
        double[] out = new double[checkedSize(new int[] {n, s})];
        for (int e = 0; e < n; e++) {
            int base = e * s, ib = e * q;
            for (int j = 0; j < q; j++) {
                int dst = index[j];
                if (dst >= 0) {
                    out[base + dst] += data[ib + j];
                }
            }
        }
        int[] os = new int[targetPerExample.length + 1];
        os[0] = n;
        System.arraycopy(targetPerExample, 0, os, 1, targetPerExample.length);
        return new Tensor(out, os);
    }

    /** Sum of elementwise products (Frobenius inner product) of two tensors of the same size. */
    public double dot(Tensor other) {
        if (other.data.length != data.length) {
            throw new IllegalArgumentException("dot of shapes " + shapeString() + " and " + other.shapeString());
        }
        double s = 0;
        for (int i = 0; i < data.length; i++) {
            s += data[i] * other.data[i];
        }
        return s;
    }

    /** Euclidean (Frobenius) norm. */
    public double norm() {
        return Math.sqrt(dot(this));
    }

    /** True when shapes are equal and every element is bitwise equal. */
    public boolean bitwiseEquals(Tensor other) {
        if (!sameShape(other)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (Double.doubleToRawLongBits(data[i]) != Double.doubleToRawLongBits(other.data[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        if (data.length <= 16) {
            return "Tensor" + shapeString() + Arrays.toString(data);
        }
        return "Tensor" + shapeString();
    }
}
