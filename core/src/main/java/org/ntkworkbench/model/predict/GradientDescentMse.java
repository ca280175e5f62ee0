package org.ntkworkbench.model.predict;

import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Lapack;
import org.ntkworkbench.tensor.Tensor;

/**
 * Outputs of the linearised (infinitely wide) network trained by gradient descent on DESIGN.md's
 * {@code mse = (1/2n) Σ_i ‖f(x_i) − y_i‖²} with learning rate η, from the train NTK Θ.
 *
 * <p>Gradient flow {@code dθ/dt = −η ∇mse} gives {@code df/dt = −(η/n) Θ (f − y)} on the training
 * inputs and {@code d(f*)/dt = −(η/n) Θ_{*X} (f − y)} on test inputs, so with {@code Θ = V diag(λ) Vᵀ}:
 * <pre>
 *   f_t  = y + V e^{−ηλt/n} Vᵀ (f_0 − y),
 *   f*_t = f*_0 + Θ_{*X} V diag((1 − e^{−ηλt/n}) / λ) Vᵀ (y − f_0).
 * </pre>
 * Time t counts steps: t = N is N steps of size η in the continuous limit. {@link #discrete} gives the
 * exact outputs after N discrete GD steps of the linearised model, with {@code e^{−ηλt/n}} replaced by
 * {@code (1 − ηλ/n)^N}. (neural-tangents' gradient_descent_mse normalises by {@code y.size}, i.e. its
 * loss is the mean over all output entries; ours divides by the number of examples n only.)
 * Eigenvalues below zero by round-off are clamped to 0 as in neural-tangents; {@code (1 − e^{−cλ})/λ}
 * is evaluated as {@code −expm1(−cλ)/λ} and equals c at λ = 0. At {@code t = ∞} the test outputs are
 * the kernel regression {@code f*_0 + Θ_{*X} Θ⁻¹ (y − f_0)}, solved by {@link Cholesky}.
 */
public final class GradientDescentMse {
    private final Tensor ntk;
    private final Tensor y;
    private final int n;
    private final int outputs;
    private final double learningRate;
    private final Lapack.SymmetricEigen eigen;
    private final double[] lambda;

    /** Prepares the eigendecomposition of the train-train NTK {@code (n, n)}; {@code y} is {@code (n)} or {@code (n, k)}. */
    public GradientDescentMse(Tensor ntkTrainTrain, Tensor yTrain, double learningRate) {
        this.n = ntkTrainTrain.dim(0);
        this.outputs = GaussianProcess.outputs(yTrain, n);
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        KernelChecks.requireFinite("targets y", yTrain.reshape(n, outputs), n, outputs);
        this.ntk = ntkTrainTrain;
        this.y = yTrain.reshape(n, outputs);
        this.learningRate = learningRate;
        this.eigen = KernelChecks.psdEigen("ntk train-train", ntkTrainTrain);
        this.lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = Math.max(0.0, eigen.values()[i]);
        }
    }

    /** Largest stable learning rate of discrete GD on this loss: {@code 2n / λ_max(Θ)}. */
    public static double maxStableLearningRate(Tensor ntkTrainTrain) {
        int n = ntkTrainTrain.dim(0);
        double[] w = KernelChecks.psdEigen("ntk train-train", ntkTrainTrain).values();
        return 2.0 * n / w[n - 1];
    }

    /** Eigenvalues of the train NTK, ascending (negative round-off clamped to 0). */
    public double[] eigenvalues() {
        return lambda.clone();
    }

    /** Training outputs {@code (n, k)} at time t (continuous), from initial outputs {@code f0Train}. */
    public Tensor train(double t, Tensor f0Train) {
        return trainOutputs(t, f0Train, false);
    }

    /** Training outputs after {@code steps} discrete GD steps of the linearised model. */
    public Tensor trainDiscrete(int steps, Tensor f0Train) {
        return trainOutputs(steps, f0Train, true);
    }

    /** Test outputs {@code (m, k)} at time t (continuous; ∞ allowed). */
    public Tensor test(double t, Tensor f0Train, Tensor f0Test, Tensor ntkTestTrain) {
        return testOutputs(t, f0Train, f0Test, ntkTestTrain, false);
    }

    /** Test outputs after {@code steps} discrete GD steps of the linearised model. */
    public Tensor testDiscrete(int steps, Tensor f0Train, Tensor f0Test, Tensor ntkTestTrain) {
        return testOutputs(steps, f0Train, f0Test, ntkTestTrain, true);
    }

    /** Residual factor {@code g(λ)}: {@code e^{−ηλt/n}} or {@code (1 − ηλ/n)^t}. */
    double decay(double lam, double t, boolean discrete) {
        if (t == Double.POSITIVE_INFINITY) {
            return lam > 0 ? 0.0 : 1.0;
        }
        double x = learningRate * lam / n;
        return discrete ? Math.pow(1 - x, t) : Math.exp(-x * t);
    }

    /** {@code (1 − g(λ)) / λ}, stable at λ → 0 (limit ηt/n). */
    double gain(double lam, double t, boolean discrete) {
        double x = learningRate * lam / n;
        if (lam == 0) {
            return learningRate * t / n;
        }
        if (discrete && x < 1) {
            return -Math.expm1(t * Math.log1p(-x)) / lam;
        }
        if (discrete) {
            return (1 - Math.pow(1 - x, t)) / lam;
        }
        return -Math.expm1(-x * t) / lam;
    }

    private Tensor trainOutputs(double t, Tensor f0Train, boolean discrete) {
        double[] f0 = checkedOutputs("f0 train", f0Train, n);
        if (t == Double.POSITIVE_INFINITY) {
            return y.copy();
        }
        // r0 = f0 − y; f_t = y + V diag(g) Vᵀ r0.
        double[] r = new double[n * outputs];
        for (int e = 0; e < r.length; e++) {
            r[e] = f0[e] - y.data()[e];
        }
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = decay(lambda[i], t, discrete);
        }
        double[] out = spectralApply(g, r);
        for (int e = 0; e < out.length; e++) {
            out[e] += y.data()[e];
        }
        return Tensor.of(out, n, outputs);
    }

    private Tensor testOutputs(double t, Tensor f0Train, Tensor f0Test, Tensor ntkTestTrain, boolean discrete) {
        double[] f0 = checkedOutputs("f0 train", f0Train, n);
        int m = ntkTestTrain.dim(0);
        KernelChecks.requireFinite("ntk test-train", ntkTestTrain, m, n);
        double[] f0t = checkedOutputs("f0 test", f0Test, m);
        double[] r = new double[n * outputs];
        for (int e = 0; e < r.length; e++) {
            r[e] = y.data()[e] - f0[e];
        }
        double[] coef;
        if (t == Double.POSITIVE_INFINITY) {
            coef = Cholesky.of("ntk train-train", ntk).solve(r, outputs);
        } else {
            double[] h = new double[n];
            for (int i = 0; i < n; i++) {
                h[i] = gain(lambda[i], t, discrete);
            }
            coef = spectralApply(h, r);
        }
        double[] out = f0t.clone();
        Blas.gemm(false, false, m, outputs, n, 1.0, ntkTestTrain.data(), coef, 1.0, out);
        return Tensor.of(out, m, outputs);
    }

    /** {@code V diag(d) Vᵀ r} for {@code r} of shape {@code (n, k)}. */
    double[] spectralApply(double[] d, double[] r) {
        double[] v = eigen.vectors();
        double[] proj = new double[n * outputs];
        Blas.gemm(true, false, n, outputs, n, 1.0, v, r, 0.0, proj);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < outputs; c++) {
                proj[i * outputs + c] *= d[i];
            }
        }
        double[] out = new double[n * outputs];
        Blas.gemm(false, false, n, outputs, n, 1.0, v, proj, 0.0, out);
        return out;
    }

    /** The eigenvectors (columns of a row-major {@code (n, n)} array) of the train NTK. */
    double[] vectors() {
        return eigen.vectors();
    }

    private double[] checkedOutputs(String what, Tensor f, int rows) {
        Tensor g = f.reshape(rows, f.size() / Math.max(rows, 1));
        KernelChecks.requireFinite(what, g, rows, outputs);
        return g.data();
    }
}
