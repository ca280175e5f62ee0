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
}
