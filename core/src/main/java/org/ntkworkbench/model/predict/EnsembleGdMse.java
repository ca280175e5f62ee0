package org.ntkworkbench.model.predict;

import org.ntkworkbench.kernel.Symmetry;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * Mean and covariance over random initialisations (the infinite ensemble) of infinitely wide networks
 * trained by gradient descent on DESIGN.md's mse, NTK parameterization — neural-tangents'
 * {@code gradient_descent_mse_ensemble} (Lee et al. 2019, eq. 16), with our loss normalisation 1/n.
 *
 * <p>At initialisation f_0 ~ GP(0, K) with K the NNGP. The dynamics kernel D is the NTK Θ
 * ({@link Mode#NTK}: all layers trained) or the NNGP K ({@link Mode#NNGP}: only the readout trained).
 * Linearised training maps {@code f*_t = f*_0 + A_t (y − f_0)} with
 * {@code A_t = D_{*X} V diag((1 − e^{−ηλt/n}) / λ) Vᵀ} ({@code D = V diag(λ) Vᵀ}), hence
 * <pre>
 *   mean_t = A_t y,
 *   cov_t  = K_{**} − A_t K_{X*} − K_{*X} A_tᵀ + A_t K_{XX} A_tᵀ,
 * </pre>
 * and on the training inputs ({@code A_t = I − V e^{−ηλt/n} Vᵀ}) {@code cov_t = (I − A_t) K (I − A_t)ᵀ}.
 * At t = 0 this is the prior; at t = ∞ with D = K it is the exact GP posterior.
 */
public final class EnsembleGdMse {

    /** Which kernel drives the dynamics. */
    public enum Mode {
        /** All layers trained: dynamics by the NTK. */
        NTK,
        /** Only the last layer trained: dynamics by the NNGP (the t → ∞ limit is the Bayesian posterior). */
        NNGP
    }

    /** Mean {@code (m, k)} and covariance {@code (m, m)} of the ensemble's outputs. */
    public record Gaussian(Tensor mean, Tensor covariance) {}

    private final Tensor dynamics;
    private final Tensor nngp;
    private final Tensor y;
    private final int n;
    private final int outputs;
    private final Mode mode;
    private final GradientDescentMse gd;

    /**
     * @param ntkTrainTrain  Θ on the training inputs (ignored, may be null, in NNGP mode)
     * @param nngpTrainTrain K on the training inputs
     * @param yTrain         targets {@code (n)} or {@code (n, k)}
     */
    public EnsembleGdMse(Tensor ntkTrainTrain, Tensor nngpTrainTrain, Tensor yTrain, double learningRate, Mode mode) {
        this.n = nngpTrainTrain.dim(0);
        this.outputs = GaussianProcess.outputs(yTrain, n);
        this.mode = mode;
        this.nngp = nngpTrainTrain;
        KernelChecks.requireFinite("nngp train-train", nngpTrainTrain, n, n);
        this.dynamics = mode == Mode.NTK ? ntkTrainTrain : nngpTrainTrain;
        this.y = yTrain.reshape(n, outputs);
        this.gd = new GradientDescentMse(dynamics, yTrain, learningRate);
    }

    /** The ensemble on the training inputs at time t. */
    public Gaussian train(double t) {
        // A = I − V diag(g) Vᵀ, I − A = V diag(g) Vᵀ.
        double[] g = new double[n];
        double[] lam = gd.eigenvalues();
        for (int i = 0; i < n; i++) {
            g[i] = gd.decay(lam[i], t, false);
        }
        double[] iMinusA = spectralMatrix(g);
        double[] a = iMinusA.clone();
        for (int e = 0; e < a.length; e++) {
            a[e] = -a[e];
        }
        for (int i = 0; i < n; i++) {
            a[i * n + i] += 1;
        }
        double[] mean = new double[n * outputs];
        Blas.gemm(false, false, n, outputs, n, 1.0, a, y.data(), 0.0, mean);
        double[] tmp = new double[n * n];
        Blas.gemm(false, false, n, n, n, 1.0, iMinusA, nngp.data(), 0.0, tmp);
        double[] cov = new double[n * n];
        Blas.gemm(false, true, n, n, n, 1.0, tmp, iMinusA, 0.0, cov);
        Symmetry.averageInPlace(cov, n);
        return new Gaussian(Tensor.of(mean, n, outputs), Tensor.of(cov, n, n));
    }

    /**
     * The ensemble on test inputs at time t (∞ allowed). {@code dynamicsTestTrain} is Θ_{*X} in NTK mode
     * and K_{*X} in NNGP mode; {@code nngpTestTest} may be null (mean only).
     */
    public Gaussian test(double t, Tensor dynamicsTestTrain, Tensor nngpTestTrain, Tensor nngpTestTest) {
        int m = nngpTestTrain.dim(0);
        KernelChecks.requireFinite(mode == Mode.NTK ? "ntk test-train" : "nngp test-train", dynamicsTestTrain, m, n);
        KernelChecks.requireFinite("nngp test-train", nngpTestTrain, m, n);
        double[] inner;
        if (t == Double.POSITIVE_INFINITY) {
            double[] eye = new double[n * n];
            for (int i = 0; i < n; i++) {
                eye[i * n + i] = 1;
            }
            inner = Cholesky.of(mode == Mode.NTK ? "ntk train-train" : "nngp train-train", dynamics).solve(eye, n);
        } else {
            double[] h = new double[n];
            double[] lam = gd.eigenvalues();
            for (int i = 0; i < n; i++) {
                h[i] = gd.gain(lam[i], t, false);
            }
            inner = spectralMatrix(h);
        }
        double[] a = new double[m * n];
        Blas.gemm(false, false, m, n, n, 1.0, dynamicsTestTrain.data(), inner, 0.0, a);
        double[] mean = new double[m * outputs];
        Blas.gemm(false, false, m, outputs, n, 1.0, a, y.data(), 0.0, mean);
        Tensor cov = null;
        if (nngpTestTest != null) {
            KernelChecks.requireFinite("nngp test-test", nngpTestTest, m, m);
            double[] c = nngpTestTest.data().clone();
            double[] kStar = nngpTestTrain.data();
            Blas.gemm(false, true, m, m, n, -1.0, a, kStar, 1.0, c);
            Blas.gemm(false, true, m, m, n, -1.0, kStar, a, 1.0, c);
            double[] ak = new double[m * n];
            Blas.gemm(false, false, m, n, n, 1.0, a, nngp.data(), 0.0, ak);
            Blas.gemm(false, true, m, m, n, 1.0, ak, a, 1.0, c);
            Symmetry.averageInPlace(c, m);
            cov = Tensor.of(c, m, m);
        }
        return new Gaussian(Tensor.of(mean, m, outputs), cov);
    }

    /** {@code V diag(d) Vᵀ} as a row-major {@code (n, n)} array. */
    private double[] spectralMatrix(double[] d) {
        double[] v = gd.vectors();
        double[] vd = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                vd[i * n + j] = v[i * n + j] * d[j];
            }
        }
        double[] out = new double[n * n];
        Blas.gemm(false, true, n, n, n, 1.0, vd, v, 0.0, out);
        return out;
    }
}
