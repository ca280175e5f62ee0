package org.ntkworkbench.train;

import org.ntkworkbench.model.predict.KernelChecks;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Lapack;
import org.ntkworkbench.tensor.Tensor;

/**
 * The training residual of the network linearised around its initialisation with train NTK Θ
 * {@code (n, n)}, under full-batch GD on DESIGN.md's mse = (1/2n) Σ (f − y)²: each update is
 * r ← (I − η_t Θ/n) r, so with Θ = V diag(λ) Vᵀ
 * <pre>  r_t = V diag(Π_{s<t} (1 − η_s λ/n)) Vᵀ r_0, </pre>
 * exact for the linearised model with any learning-rate schedule (constant: (1 − ηλ/n)^t). Eigenvalues
 * below zero by round-off are clamped to 0.
 */
public final class LinearisedResiduals {
    private final int n;
    private final double[] lambda;
    private final double[] vectors; // row-major (n, n), columns are eigenvectors

    /** Prepares the eigendecomposition of the symmetric positive semi-definite {@code ntk} {@code (n, n)}. */
    public LinearisedResiduals(Tensor ntk) {
        if (ntk.rank() != 2 || ntk.dim(0) != ntk.dim(1)) {
            throw new IllegalArgumentException("linearised residuals need a square train NTK (n, n), got " + ntk.shapeString());
        }
        this.n = ntk.dim(0);
        Lapack.SymmetricEigen e = KernelChecks.psdEigen("ntk train-train", ntk);
        this.lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = Math.max(0, e.values()[i]);
        }
        this.vectors = e.vectors();
    }

    /** Eigenvalues of Θ, ascending, clamped at 0. */
    public double[] eigenvalues() {
        return lambda.clone();
    }

    /**
     * The residuals r_t at the ascending integer {@code steps} ({@code [step][point]}), from r_0 under the
     * learning-rate {@code schedule}.
     */
    public double[][] at(double[] r0, double[] steps, LearningRateSchedule schedule) {
        if (r0.length != n) {
            throw new IllegalArgumentException("initial residual of length " + r0.length + " for an NTK of " + n + " points");
        }
        double[] c = new double[n];
        Blas.gemv(true, n, n, 1.0, vectors, r0, 0.0, c); // c = Vᵀ r0
        double[] g = new double[n];
        java.util.Arrays.fill(g, 1.0);
        double[][] out = new double[steps.length][];
        long t = 0;
        double[] scaled = new double[n];
        for (int s = 0; s < steps.length; s++) {
            long target = Math.round(steps[s]);
            if (target < t) {
                throw new IllegalArgumentException("steps must be ascending, got " + target + " after " + t);
            }
            for (; t < target; t++) {
                double rate = schedule.rate(t);
                for (int i = 0; i < n; i++) {
                    g[i] *= 1 - rate * lambda[i] / n;
                }
            }
            for (int i = 0; i < n; i++) {
                scaled[i] = g[i] * c[i];
            }
            out[s] = new double[n];
            Blas.gemv(false, n, n, 1.0, vectors, scaled, 0.0, out[s]);
        }
        return out;
    }
}
