package org.ntkworkbench.model.predict;

import org.ntkworkbench.kernel.Symmetry;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * Kernel regression / Gaussian-process posterior with any kernel (the NNGP for the Bayesian posterior
 * of the infinite network, the NTK for the trained network's t → ∞ mean):
 * <pre>
 *   mean = K_{*X} (K_{XX} + σ² I)⁻¹ y,     cov = K_{**} − K_{*X} (K_{XX} + σ² I)⁻¹ K_{X*}.
 * </pre>
 * Solved through {@link Cholesky} (jitter policy and reporting there). {@code y} is {@code (n)} or
 * {@code (n, outputs)}; the kernel is shared by all outputs (kernels are per output unit).
 */
public final class GaussianProcess {
    private GaussianProcess() {}

    /**
     * Posterior mean {@code (m, outputs)}, covariance {@code (m, m)} (null if {@code kTestTest} is null)
     * and the Cholesky used.
     */
    public record Posterior(Tensor mean, Tensor covariance, Cholesky cholesky) {}

    /** The posterior with observation noise variance {@code noise} (0 for interpolation). */
    public static Posterior posterior(Tensor kTrainTrain, Tensor kTestTrain, Tensor kTestTest, Tensor y, double noise) {
        int n = kTrainTrain.dim(0);
        int outputs = outputs(y, n);
        int m = kTestTrain.dim(0);
        KernelChecks.requireFinite("kernel test-train", kTestTrain, m, n);
        KernelChecks.requireFinite("targets y", y.reshape(n, outputs), n, outputs);
        Tensor k = kTrainTrain;
        if (noise != 0) {
            if (!(noise > 0)) {
                throw new IllegalArgumentException("noise variance must be >= 0, got " + noise);
            }
            double[] a = kTrainTrain.data().clone();
            for (int i = 0; i < n; i++) {
                a[i * n + i] += noise;
            }
            k = Tensor.of(a, n, n);
        }
        Cholesky chol = Cholesky.of("kernel train-train", k);
        double[] alpha = chol.solve(y.data(), outputs);
        double[] mean = new double[m * outputs];
        Blas.gemm(false, false, m, outputs, n, 1.0, kTestTrain.data(), alpha, 0.0, mean);
        Tensor cov = null;
        if (kTestTest != null) {
            KernelChecks.requireFinite("kernel test-test", kTestTest, m, m);
            // K_{*X} K⁻¹ K_{X*}: solve K W = K_{X*} (n × m), then K_{*X} W.
            double[] w = chol.solve(kTestTrain.transpose().data(), m);
            double[] c = kTestTest.data().clone();
            Blas.gemm(false, false, m, m, n, -1.0, kTestTrain.data(), w, 1.0, c);
            Symmetry.averageInPlace(c, m);
            cov = Tensor.of(c, m, m);
        }
        return new Posterior(Tensor.of(mean, m, outputs), cov, chol);
    }

    static int outputs(Tensor y, int n) {
        if (y.dim(0) != n || y.rank() > 2 || y.rank() < 1) {
            throw new IllegalArgumentException("targets y have shape " + y.shapeString() + ", expected [" + n + "] or [" + n + ", k]");
        }
        return y.rank() == 1 ? 1 : y.dim(1);
    }
}
