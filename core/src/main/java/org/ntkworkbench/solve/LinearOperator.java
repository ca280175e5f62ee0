package org.ntkworkbench.solve;

/**
 * A symmetric positive (semi-)definite {@code n × n} operator applied to {@code k} vectors at once:
 * what {@link ConjugateGradients} needs of a matrix (a kernel plus ridge, a Nyström system, ...), so
 * large matrices never have to be materialised in one array.
 */
public interface LinearOperator {
    /** The order {@code n}. */
    int size();

    /**
     * {@code out = A v} for {@code k} vectors: {@code v} and {@code out} are row-major {@code n × k}
     * ({@code out} is overwritten; it never aliases {@code v}).
     */
    void apply(double[] v, int k, double[] out);

    /** The operator of a dense row-major symmetric {@code n × n} matrix (tests, small problems). */
    static LinearOperator dense(double[] a, int n) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("dense operator: " + a.length + " values for n = " + n);
        }
        return new LinearOperator() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public void apply(double[] v, int k, double[] out) {
                org.ntkworkbench.tensor.Blas.gemm(false, false, n, k, n, 1.0, a, v, 0.0, out);
            }
        };
    }
}
