package org.ntkworkbench.spectrum;

import java.util.function.DoubleUnaryOperator;
import org.ntkworkbench.tensor.SeededRandom;

/**
 * Checks that a kernel K(x, x') on S^{d−1} is a dot-product kernel, i.e. K(Qx, Qx') = κ(⟨x, x'⟩) for
 * all rotations Q, before its spectrum is computed with Funk–Hecke.
 */
public final class RotationInvariance {
    private RotationInvariance() {}

    /** A kernel on pairs of points of S^{d−1} (unit vectors of length d). */
    @FunctionalInterface
    public interface SphereKernel {
        /** K(x, y). */
        double value(double[] x, double[] y);
    }

    /**
     * Draws {@code pairs} random pairs (x, x') uniform on S^{d−1} and a random rotation Q per pair,
     * and requires |K(Qx, Qx') − κ(⟨x, x'⟩)| ≤ tol · (1 + |κ(⟨x, x'⟩)|). Throws
     * IllegalArgumentException naming the first failing pair otherwise.
     */
    public static void check(SphereKernel kernel, DoubleUnaryOperator kappa, int d, int pairs, long seed, double tol) {
        SpecialFunctions.requireDimension(d);
        SeededRandom rng = SeededRandom.derived(seed, "rotation-invariance");
        for (int i = 0; i < pairs; i++) {
            double[] x = randomUnit(rng, d);
            double[] y = randomUnit(rng, d);
            double t = Math.max(-1, Math.min(1, dot(x, y)));
            double[][] q = randomRotation(rng, d);
            double kq = kernel.value(apply(q, x), apply(q, y));
            double kt = kappa.applyAsDouble(t);
            if (!(Math.abs(kq - kt) <= tol * (1 + Math.abs(kt)))) {
                throw new IllegalArgumentException(String.format(
                        "kernel is not rotation-invariant on S^%d: K(Qx, Qx') = %.12g but kappa(<x,x'>) = %.12g at <x,x'> = %.6f (pair %d, tol %.1e)",
                        d - 1, kq, kt, t, i, tol));
            }
        }
    }

    /**
     * Checks a kernel against its own profile κ(t) = K(e₁, t e₁ + √(1−t²) e₂) (see
     * {@link #check(SphereKernel, DoubleUnaryOperator, int, int, long, double)}) and returns that
     * profile, ready for {@link FunkHecke}.
     */
    public static DoubleUnaryOperator checkAndExtract(SphereKernel kernel, int d, int pairs, long seed, double tol) {
        SpecialFunctions.requireDimension(d);
        DoubleUnaryOperator kappa = t -> {
            double[] e1 = new double[d];
            double[] u = new double[d];
            e1[0] = 1;
            u[0] = t;
            u[1] = Math.sqrt(Math.max(0, 1 - t * t));
            return kernel.value(e1, u);
        };
        check(kernel, kappa, d, pairs, seed, tol);
        return kappa;
    }

    static double[] randomUnit(SeededRandom rng, int d) {
        double[] v = new double[d];
        double norm;
        do {
            rng.fillGaussian(v);
            norm = Math.sqrt(dot(v, v));
        } while (norm == 0);
        for (int i = 0; i < d; i++) {
            v[i] /= norm;
        }
        return v;
    }

    /** A Haar-random orthogonal matrix: Gram–Schmidt on a Gaussian matrix (rows). */
    static double[][] randomRotation(SeededRandom rng, int d) {
        double[][] q = new double[d][];
        for (int i = 0; i < d; i++) {
            double[] v = new double[d];
            double norm;
            do {
                rng.fillGaussian(v);
                for (int pass = 0; pass < 2; pass++) {
                    for (int j = 0; j < i; j++) {
                        double c = dot(v, q[j]);
                        for (int l = 0; l < d; l++) {
                            v[l] -= c * q[j][l];
                        }
                    }
                }
                norm = Math.sqrt(dot(v, v));
            } while (norm < 1e-8);
            for (int l = 0; l < d; l++) {
                v[l] /= norm;
            }
            q[i] = v;
        }
        return q;
    }

    static double[] apply(double[][] q, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < q.length; i++) {
            y[i] = dot(q[i], x);
        }
        return y;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
