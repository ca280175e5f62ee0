package org.ntkworkbench.spectrum;

import org.ntkworkbench.tensor.Blas;

/**
 * A symmetric linear operator A on ℝⁿ applied to a block of vectors at once, so that iterative
 * eigensolvers can use dense matrices (one gemm per block) and implicit operators such as NTK–vector
 * products alike.
 *
 * <p>Block layout: {@code count} vectors of length n stored one after another, vector j in
 * {@code [j·n, (j+1)·n)}, i.e. a row-major {@code (count, n)} array whose rows are the vectors.
 */
public interface SymmetricOperator {

    /** n, the dimension of the space. */
    int size();

    /**
     * {@code out_j = A v_j} for the {@code count} vectors in {@code vectors} (layout above);
     * {@code out} has the same layout and is overwritten. {@code vectors} must not be modified.
     */
    void apply(double[] vectors, int count, double[] out);

    /**
     * A dense symmetric {@code n×n} matrix (row-major). It is copied once into native memory, so later
     * changes to {@code a} are not seen. A block is applied with one gemm, {@code OUT = V A}
     * (= (A Vᵀ)ᵀ by symmetry).
     */
    static SymmetricOperator dense(double[] a, int n) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("dense operator: " + a.length + " values for an " + n + "x" + n + " matrix");
        }
        Blas.NativeMatrix resident = Blas.NativeMatrix.of(a, n, n);
        return new SymmetricOperator() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public void apply(double[] vectors, int count, double[] out) {
                Blas.gemm(count, 1.0, vectors, resident, 0.0, out);
            }
        };
    }

    /**
     * The Gram operator A = F Fᵀ of a row-major feature matrix F {@code (n, p)} (e.g. an empirical NTK
     * J Jᵀ from a Jacobian, or random features), never formed: a block is applied as (V F) Fᵀ with two
     * gemms, O(n p count) work and memory, so n can be far beyond what a dense n×n array holds.
     */
    static SymmetricOperator gram(double[] features, int n, int p) {
        if (features.length != (long) n * p) {
            throw new IllegalArgumentException("gram operator: " + features.length + " values for a " + n + "x" + p + " feature matrix");
        }
        return new SymmetricOperator() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public void apply(double[] vectors, int count, double[] out) {
                double[] vf = new double[count * p];
                Blas.gemm(false, false, count, p, n, 1.0, vectors, features, 0.0, vf);
                Blas.gemm(false, true, count, n, p, 1.0, vf, features, 0.0, out);
            }
        };
    }

    /**
     * The kernel matrix K_il = κ(⟨x_i, x_l⟩) of n points (row-major (n, d)) divided by {@code scale}
     * (e.g. n for K/n), never stored: each application recomputes it in blocks of {@code blockRows}
     * rows (one gemm for the dot products of a block, then κ, then one gemm with the vectors). Memory
     * O(blockRows · n), work O(n² (d + cost of κ)) per application.
     */
    static SymmetricOperator dotProductKernel(double[] points, int n, int d, java.util.function.DoubleUnaryOperator kappa,
                                              double scale, int blockRows) {
        if (points.length != (long) n * d || blockRows < 1 || !(scale > 0)) {
            throw new IllegalArgumentException("kernel operator: need points of shape (" + n + ", " + d + "), blockRows >= 1, scale > 0; got "
                    + points.length + " values, blockRows=" + blockRows + ", scale=" + scale);
        }
        return new SymmetricOperator() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public void apply(double[] vectors, int count, double[] out) {
                int rows = Math.min(blockRows, n);
                double[] block = new double[rows * n];
                double[] part = new double[count * rows];
                for (int r0 = 0; r0 < n; r0 += rows) {
                    int r = Math.min(rows, n - r0);
                    // Dot products of rows r0..r0+r with all points, then κ/scale.
                    Blas.gemm(false, true, r, n, d, 1.0, points, r0 * d, points, 0, 0.0, block, 0);
                    for (int i = 0; i < r * n; i++) {
                        block[i] = kappa.applyAsDouble(Math.max(-1, Math.min(1, block[i]))) / scale;
                    }
                    // part (count × r) = V (count × n) · blockᵀ (n × r)
                    Blas.gemm(false, true, count, r, n, 1.0, vectors, 0, block, 0, 0.0, part, 0);
                    for (int j = 0; j < count; j++) {
                        System.arraycopy(part, j * r, out, j * n + r0, r);
                    }
                }
            }
        };
    }
}
