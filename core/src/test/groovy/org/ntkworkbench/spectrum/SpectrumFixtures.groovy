package org.ntkworkbench.spectrum

import groovy.transform.CompileStatic
import java.util.function.DoubleUnaryOperator
import org.ntkworkbench.tensor.Blas
import org.ntkworkbench.tensor.SeededRandom

/** Shared test data: points on spheres, Gram matrices and the arc-cosine kernels. */
@CompileStatic
class SpectrumFixtures {

    /** κ0(t) = (π − arccos t)/π. */
    static final DoubleUnaryOperator KAPPA0 = SpectrumFixtures.&kappa0 as DoubleUnaryOperator
    /** κ1(t) = (√(1−t²) + (π − arccos t) t)/π. */
    static final DoubleUnaryOperator KAPPA1 = SpectrumFixtures.&kappa1 as DoubleUnaryOperator
    /** Bias-free two-layer ReLU NTK t·κ0(t) + κ1(t). */
    static final DoubleUnaryOperator RELU_NTK = SpectrumFixtures.&reluNtk as DoubleUnaryOperator

    static double kappa0(double t) { (Math.PI - Math.acos(clamp(t))) / Math.PI }

    static double kappa1(double t) {
        double c = clamp(t)
        (Math.sqrt(1 - c * c) + (Math.PI - Math.acos(c)) * c) / Math.PI
    }

    static double reluNtk(double t) { t * kappa0(t) + kappa1(t) }

    static double clamp(double t) { Math.max(-1d, Math.min(1d, t)) }

    /** n points uniform on S^{d−1}, row-major (n, d). */
    static double[] spherePoints(int n, int d, long seed) {
        def rng = SeededRandom.derived(seed, "sphere-points")
        double[] x = new double[n * d]
        rng.fillGaussian(x)
        for (int i = 0; i < n; i++) {
            double s = 0
            for (int j = 0; j < d; j++) s += x[i * d + j] * x[i * d + j]
            s = Math.sqrt(s)
            for (int j = 0; j < d; j++) x[i * d + j] /= s
        }
        x
    }

    /** K/n with K_ij = κ(⟨x_i, x_j⟩), symmetric to the last bit. */
    static double[] gramOverN(double[] x, int n, int d, DoubleUnaryOperator kappa) {
        double[] g = new double[n * n]
        Blas.syrk(false, n, d, 1.0d, x, 0.0d, g)
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = kappa.applyAsDouble(clamp(g[i * n + j])) / n
                g[i * n + j] = v
                g[j * n + i] = v
            }
        }
        g
    }

    /** Q diag(λ) Qᵀ for a random orthogonal Q. */
    static double[] withSpectrum(double[] lambda, long seed) {
        int n = lambda.length
        double[][] q = RotationInvariance.randomRotation(SeededRandom.derived(seed, "orthogonal"), n)
        double[] a = new double[n * n]
        double[] ql = new double[n * n]
        double[] qf = new double[n * n]
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            qf[i * n + j] = q[j][i]          // columns of Q are the rows of q
            ql[i * n + j] = q[j][i] * lambda[j]
        }
        Blas.gemm(false, true, n, n, n, 1.0d, ql, qf, 0.0d, a)
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) {
            double s = 0.5d * (a[i * n + j] + a[j * n + i]); a[i * n + j] = s; a[j * n + i] = s
        }
        a
    }

    /** max_j ‖A v_j − λ_j v_j‖ for the pairs in e, A dense. */
    static double maxResidual(double[] a, int n, EigenDecomposition e) {
        double worst = 0
        for (int j = 0; j < e.count(); j++) {
            double[] v = e.vector(j)
            double[] av = new double[n]
            Blas.gemv(false, n, n, 1.0d, a, v, 0.0d, av)
            double r = 0
            for (int i = 0; i < n; i++) { double dv = av[i] - e.values()[j] * v[i]; r += dv * dv }
            worst = Math.max(worst, Math.sqrt(r))
        }
        worst
    }

    /** y_j = (D + u uᵀ) v_j for a block of vectors (rows). */
    static void diagPlusRank1(double[] dg, double[] u, double[] v, int count, double[] out) {
        int n = dg.length
        for (int j = 0; j < count; j++) {
            double s = 0
            for (int i = 0; i < n; i++) s += u[i] * v[j * n + i]
            for (int i = 0; i < n; i++) out[j * n + i] = dg[i] * v[j * n + i] + s * u[i]
        }
    }

    /** 1 + Σ u_i²/(d_i − λ). */
    static double secular(double[] dg, double[] u, double lam) {
        double s = 1
        for (int i = 0; i < dg.length; i++) s += u[i] * u[i] / (dg[i] - lam)
        s
    }

    /** Gaussian (n, p) features with column j scaled by (j+1)^-1.5 / sqrt(n). */
    static double[] decayingFeatures(int n, int p, long seed) {
        double[] f = new double[n * p]
        SeededRandom.derived(seed, 'features').fillGaussian(f)
        double[] scale = new double[p]
        for (int j = 0; j < p; j++) scale[j] = Math.pow(j + 1, -1.5d) / Math.sqrt(n)
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) f[i * p + j] *= scale[j]
        f
    }

    /** max |VᵀV − I|. */
    static double orthonormalityError(EigenDecomposition e) {
        int k = e.count(), n = e.n()
        double[] g = new double[k * k]
        Blas.gemm(true, false, k, k, n, 1.0d, e.vectors(), e.vectors(), 0.0d, g)
        double worst = 0
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) worst = Math.max(worst, Math.abs(g[i * k + j] - (i == j ? 1 : 0)))
        worst
    }
}
