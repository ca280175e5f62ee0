package org.ntkworkbench.model.predict;

import org.ntkworkbench.tensor.Lapack;
import org.ntkworkbench.tensor.Tensor;

/**
 * Cholesky factor {@code K + jitter·I = L Lᵀ} of a kernel matrix, with the jitter that was needed.
 *
 * <p>Policy: check finiteness and symmetry; try {@code jitter = 0}; if that fails, check positive
 * semi-definiteness by eigenvalues (a genuinely indefinite kernel is an error, reported with its
 * index, never hidden by jitter); then try {@code jitter = 1e−12·mean(diag)} growing ×10 up to
 * {@code 1e−2·mean(diag)}. {@link #report()} says what was used.
 *
 * @param factor   row-major lower-triangular {@code L}
 * @param jitter   the diagonal value added (0 if none was needed)
 * @param attempts number of factorisations tried
 */
public record Cholesky(String what, double[] factor, int n, double jitter, int attempts) {

    /** Factor the square kernel {@code k}; {@code what} names it in messages (e.g. "ntk train-train"). */
    public static Cholesky of(String what, Tensor k) {
        int n = k.dim(0);
        KernelChecks.requireFinite(what, k, n, n);
        KernelChecks.requireSymmetric(what, k);
        double[] a = k.data();
        int attempts = 1;
        try {
            return new Cholesky(what, Lapack.potrf(a, n), n, 0.0, attempts);
        } catch (Lapack.LapackException notPd) {
            KernelChecks.psdEigen(what, k);
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += a[i * n + i];
        }
        mean = Math.max(mean / n, Double.MIN_NORMAL);
        double[] b = a.clone();
        for (double rel = 1e-12; rel <= 1.0001e-2; rel *= 10) {
            double jitter = rel * mean;
            for (int i = 0; i < n; i++) {
                b[i * n + i] = a[i * n + i] + jitter;
            }
            attempts++;
            try {
                return new Cholesky(what, Lapack.potrf(b, n), n, jitter, attempts);
            } catch (Lapack.LapackException stillNot) {
                // grow the jitter
            }
        }
        throw new IllegalArgumentException(what + " (n = " + n + ") could not be factored even with jitter 1e-2 x mean diagonal "
                + mean + " after " + attempts + " attempts");
    }

    /** {@code X = (K + jitter I)⁻¹ B} for a row-major {@code (n, nrhs)} right-hand side. */
    public double[] solve(double[] b, int nrhs) {
        return Lapack.potrs(factor, n, b, nrhs);
    }

    /** One line: which matrix, its size, the jitter used and the number of attempts. */
    public String report() {
        return "Cholesky of " + what + " (n = " + n + "): " + (jitter == 0 ? "no jitter needed"
                : "jitter " + jitter + " on the diagonal after " + attempts + " attempts");
    }
}
