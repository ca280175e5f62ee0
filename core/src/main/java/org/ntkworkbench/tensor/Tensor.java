package org.ntkworkbench.tensor;

import java.util.Arrays;
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

    public static Tensor zeros(int... shape) {
        return new Tensor(new double[checkedSize(shape)], shape.clone());
    }

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

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int size() {
        return data.length;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

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

    public double get(int... index) {
        return data[flatIndex(index)];
    }

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

    /** Matrix product of rank-2 tensors through BLAS dgemm. */
    public Tensor matmul(Tensor other) {
        if (rank() != 2 || other.rank() != 2 || shape[1] != other.shape[0]) {
            throw new IllegalArgumentException("matmul of shapes " + shapeString() + " and " + other.shapeString());
        }
        int m = shape[0], k = shape[1], n = other.shape[1];
        double[] c = new double[m * n];
        Blas.gemm(false, false, m, n, k, 1.0, data, other.data, 0.0, c);
        return new Tensor(c, new int[] {m, n});
    }

    /** Transpose of a rank-2 tensor (a copy). */
    public Tensor transpose() {
        if (rank() != 2) {
            throw new IllegalStateException("transpose() of a tensor of shape " + shapeString());
        }
        int m = shape[0], n = shape[1];
        double[] t = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t[j * m + i] = data[i * n + j];
            }
        }
        return new Tensor(t, new int[] {n, m});
    }

    public double sum() {
        double s = 0;
        for (double v : data) {
            s += v;
        }
        return s;
    }

    public double maxAbs() {
        double m = 0;
        for (double v : data) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Override
    public String toString() {
        if (data.length <= 16) {
            return "Tensor" + shapeString() + Arrays.toString(data);
        }
        return "Tensor" + shapeString();
    }
}
