package org.ntkworkbench.plugins.spark;

/**
 * Jacobi-preconditioned conjugate gradients for {@code (K + shift·I) X = B} with several right-hand
 * sides at once: every iteration applies the operator to all of them in one call (one Spark job),
 * each column keeps its own step sizes, and a column stops moving once its relative residual
 * {@code ‖b − A x‖ / ‖b‖} is below {@code tol}. Vectors are rows of {@code (count, n)} arrays.
 */
final class ConjugateGradients {
    private ConjugateGradients() {}

    /** {@code out = A V} for {@code count} vectors. */
    interface Operator {
        void apply(double[] v, int count, double[] out);
    }

    /**
     * @param diag the diagonal of K (the preconditioner is {@code diag + shift})
     * @return X, {@code (count, n)}
     * @throws IllegalStateException when some column has not converged after {@code maxIter} iterations
     */
    static double[] solve(Operator a, double[] diag, double shift, double[] b, int count, int n, double tol, int maxIter) {
        double[] x = new double[count * n], r = b.clone(), z = new double[count * n], p = new double[count * n];
        double[] ap = new double[count * n];
        double[] rz = new double[count], bnorm = new double[count];
        boolean[] done = new boolean[count];
        for (int c = 0; c < count; c++) {
            bnorm[c] = Math.sqrt(dot(b, b, c, n));
            done[c] = bnorm[c] == 0;
        }
        precondition(r, diag, shift, z);
        System.arraycopy(z, 0, p, 0, z.length);
        for (int c = 0; c < count; c++) {
            rz[c] = dot(r, z, c, n);
        }
        double worst = 0;
        for (int it = 0; it < maxIter; it++) {
            if (allDone(done)) {
                return x;
            }
            a.apply(p, count, ap);
            worst = 0;
            for (int c = 0; c < count; c++) {
                if (done[c]) {
                    continue;
                }
                double pap = dot(p, ap, c, n);
                if (!(pap > 0)) {
                    throw new IllegalStateException("conjugate gradients: the kernel matrix is not positive definite (pᵀAp = " + pap
                            + "); raise --diag-reg");
                }
                double alpha = rz[c] / pap;
                for (int i = c * n; i < (c + 1) * n; i++) {
                    x[i] += alpha * p[i];
                    r[i] -= alpha * ap[i];
                }
                double rel = Math.sqrt(dot(r, r, c, n)) / bnorm[c];
                worst = Math.max(worst, rel);
                if (rel <= tol) {
                    done[c] = true;
                }
            }
            precondition(r, diag, shift, z);
            for (int c = 0; c < count; c++) {
                if (done[c]) {
                    continue;
                }
                double rzNew = dot(r, z, c, n);
                double beta = rzNew / rz[c];
                rz[c] = rzNew;
                for (int i = c * n; i < (c + 1) * n; i++) {
                    p[i] = z[i] + beta * p[i];
                }
            }
        }
        if (allDone(done)) {
            return x;
        }
        throw new IllegalStateException("conjugate gradients did not converge in " + maxIter + " iterations (relative residual "
                + worst + " > " + tol + "); raise --diag-reg");
    }

    private static boolean allDone(boolean[] done) {
        for (boolean d : done) {
            if (!d) {
                return false;
            }
        }
        return true;
    }

    private static void precondition(double[] r, double[] diag, double shift, double[] z) {
        int n = diag.length;
        for (int i = 0; i < r.length; i++) {
            double m = diag[i % n] + shift;
            z[i] = m > 0 ? r[i] / m : r[i];
        }
    }

    private static double dot(double[] a, double[] b, int c, int n) {
        double s = 0;
        for (int i = c * n; i < (c + 1) * n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
