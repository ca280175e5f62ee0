package org.ntkworkbench.solve;

import java.util.Locale;

/**
 * Preconditioned conjugate gradients for {@code A X = B} with {@code k} right-hand sides that share
 * one blocked operator product per iteration ({@code A} applied to all {@code k} directions at once, so
 * a kernel streamed from disk or recomputed is passed over once per iteration, not {@code k} times).
 * Each column keeps its own step lengths, i.e. this is {@code k} independent CG recurrences (no block
 * Krylov coupling, which is fragile when columns become dependent) and gives the same iterates as
 * {@code k} separate runs.
 *
 * <p>Stopping rule: every column's relative residual {@code ‖b − A x‖ / ‖b‖} (the recurrence's
 * residual, re-checked against an explicit {@code b − A x} at the end) is at most {@code tolerance},
 * or {@code maxIterations} is reached (then {@link Result#converged()} is false).
 */
public final class ConjugateGradients {
    private ConjugateGradients() {}

    /** Applies an approximate inverse {@code z = M⁻¹ r} to {@code k} vectors ({@code n × k}, row-major). */
    @FunctionalInterface
    public interface Preconditioner {
        /** {@code out = M⁻¹ r}; {@code out} is overwritten and never aliases {@code r}. */
        void apply(double[] r, int k, double[] out);

        /** No preconditioning. */
        Preconditioner IDENTITY = (r, k, out) -> System.arraycopy(r, 0, out, 0, r.length);
    }

    /**
     * The solution and how it was reached.
     *
     * @param x                 the solution, row-major {@code n × k}
     * @param iterations        operator products in the iteration (the final check adds one)
     * @param relativeResidual  the largest explicit {@code ‖b − A x‖ / ‖b‖} over the columns
     * @param converged         true when every column met the tolerance
     */
    public record Result(double[] x, int iterations, double relativeResidual, boolean converged) {}

    /**
     * Solves {@code A X = B} from {@code X = 0}.
     *
     * @param b row-major {@code n × k} right-hand sides (not modified)
     */
    public static Result solve(LinearOperator a, double[] b, int k, Preconditioner m, double tolerance, int maxIterations,
                               ProgressBar progress) {
        int n = a.size();
        if (b.length != (long) n * k) {
            throw new IllegalArgumentException("conjugate gradients: right-hand side of " + b.length + " values, expected "
                    + n + " x " + k);
        }
        if (!(tolerance > 0) || maxIterations < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "conjugate gradients: tolerance %g must be positive and max iterations %d at least 1", tolerance, maxIterations));
        }
        double[] x = new double[n * k];
        double[] r = b.clone();
        double[] z = new double[n * k];
        m.apply(r, k, z);
        double[] p = z.clone();
        double[] ap = new double[n * k];
        double[] bNorm = columnNorms(b, n, k);
        double[] rz = columnDots(r, z, n, k);
        boolean[] done = new boolean[k];
        progress.start("conjugate gradients", maxIterations);
        int it = 0;
        while (it < maxIterations) {
            if (allBelow(r, bNorm, n, k, tolerance, done)) {
                break;
            }
            a.apply(p, k, ap);
            it++;
            double[] pap = columnDots(p, ap, n, k);
            double[] alpha = new double[k];
            for (int c = 0; c < k; c++) {
                alpha[c] = done[c] || pap[c] <= 0 ? 0 : rz[c] / pap[c];
            }
            for (int i = 0; i < n; i++) {
                int row = i * k;
                for (int c = 0; c < k; c++) {
                    x[row + c] += alpha[c] * p[row + c];
                    r[row + c] -= alpha[c] * ap[row + c];
                }
            }
            m.apply(r, k, z);
            double[] rzNew = columnDots(r, z, n, k);
            for (int i = 0; i < n; i++) {
                int row = i * k;
                for (int c = 0; c < k; c++) {
                    double beta = done[c] || rz[c] == 0 ? 0 : rzNew[c] / rz[c];
                    p[row + c] = done[c] ? 0 : z[row + c] + beta * p[row + c];
                }
            }
            rz = rzNew;
            progress.update(it);
        }
        boolean converged = allBelow(r, bNorm, n, k, tolerance, done);
        // The recurrence's residual drifts from the true one in floating point: measure the real one.
        a.apply(x, k, ap);
        double worst = 0;
        double[] num = new double[k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double d = b[i * k + c] - ap[i * k + c];
                num[c] += d * d;
            }
        }
        for (int c = 0; c < k; c++) {
            double rel = bNorm[c] == 0 ? Math.sqrt(num[c]) : Math.sqrt(num[c]) / bNorm[c];
            worst = Math.max(worst, rel);
        }
        progress.update(maxIterations);
        return new Result(x, it, worst, converged);
    }

    private static boolean allBelow(double[] r, double[] bNorm, int n, int k, double tol, boolean[] done) {
        double[] rn = columnNorms(r, n, k);
        boolean all = true;
        for (int c = 0; c < k; c++) {
            done[c] = rn[c] <= tol * bNorm[c];
            all &= done[c];
        }
        return all;
    }

    static double[] columnNorms(double[] v, int n, int k) {
        double[] s = columnDots(v, v, n, k);
        for (int c = 0; c < k; c++) {
            s[c] = Math.sqrt(s[c]);
        }
        return s;
    }

    static double[] columnDots(double[] u, double[] v, int n, int k) {
        double[] s = new double[k];
        for (int i = 0; i < n; i++) {
            int row = i * k;
            for (int c = 0; c < k; c++) {
                s[c] += u[row + c] * v[row + c];
            }
        }
        return s;
    }
}
