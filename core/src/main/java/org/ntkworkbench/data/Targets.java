package org.ntkworkbench.data;

import java.util.function.ToDoubleFunction;
import org.ntkworkbench.tensor.Tensor;

/**
 * Target functions y = f(x) of one example x (its row, flattened), and their evaluation over a data set.
 * Any {@code ToDoubleFunction<double[]>} is a target (Groovy closures {@code { x -> ... }} coerce to it).
 */
public final class Targets {
    private Targets() {
    }

    /** f(x) for every example (first axis) of {@code x}, each flattened to a vector; shape (n, 1). */
    public static Tensor evaluate(ToDoubleFunction<double[]> f, Tensor x) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("inputs need an example axis, got shape " + x.shapeString());
        }
        int n = x.dim(0);
        int width = n == 0 ? 0 : x.size() / n;
        double[] data = x.data();
        double[] y = new double[n];
        double[] row = new double[width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, i * width, row, 0, width);
            y[i] = f.applyAsDouble(row);
        }
        return Tensor.of(y, n, 1);
    }

    /** The zonal polynomial x ↦ P_k^{(d)}(⟨x, ζ⟩) for a unit vector ζ of length d. */
    public static ToDoubleFunction<double[]> gegenbauer(int k, double[] zeta) {
        return new GegenbauerSum(zeta.length, new int[] {k}, new double[] {1.0}, new double[][] {zeta});
    }

    /** Σ_i c_i P_{k_i}^{(d)}(⟨x, ζ_i⟩) along independent random unit ζ_i (see {@link GegenbauerSum}). */
    public static GegenbauerSum gegenbauerSum(int d, int[] degrees, double[] coefficients, long seed) {
        return GegenbauerSum.random(d, degrees, coefficients, seed);
    }

    /** The angle θ ∈ (−π, π] of a point (x₀, x₁) of the plane. */
    public static double angle(double[] x) {
        if (x.length != 2) {
            throw new IllegalArgumentException("a circle target needs points (cos θ, sin θ) of length 2, got length " + x.length);
        }
        return Math.atan2(x[1], x[0]);
    }

    /** The Fourier mode cos(kθ) on the circle, for points (cos θ, sin θ). */
    public static ToDoubleFunction<double[]> fourier(int k) {
        return fourier(k, 1.0, 0.0);
    }

    /** The Fourier mode A cos(kθ + φ) on the circle, for points (cos θ, sin θ). */
    public static ToDoubleFunction<double[]> fourier(int k, double amplitude, double phase) {
        return x -> amplitude * Math.cos(k * angle(x) + phase);
    }

    /** Σ_i A_i cos(k_i θ + φ_i) on the circle, for points (cos θ, sin θ). */
    public static ToDoubleFunction<double[]> fourierSeries(int[] frequencies, double[] amplitudes, double[] phases) {
        if (frequencies.length != amplitudes.length || frequencies.length != phases.length) {
            throw new IllegalArgumentException(frequencies.length + " frequencies, " + amplitudes.length + " amplitudes and "
                    + phases.length + " phases: need one of each per mode");
        }
        int[] k = frequencies.clone();
        double[] a = amplitudes.clone();
        double[] p = phases.clone();
        return x -> {
            double theta = angle(x);
            double s = 0;
            for (int i = 0; i < k.length; i++) {
                s += a[i] * Math.cos(k[i] * theta + p[i]);
            }
            return s;
        };
    }

    /**
     * The polynomial c₀ + c₁ t + c₂ t² + ... of the first coordinate t = x[0] (1-D inputs), by Horner's
     * rule. Wu et al.'s extrapolation target x³ + x² − 5x + 5 is {@code polynomial(5, -5, 1, 1)}.
     */
    public static ToDoubleFunction<double[]> polynomial(double... coefficients) {
        double[] c = coefficients.clone();
        return x -> {
            double t = x[0];
            double s = 0;
            for (int i = c.length - 1; i >= 0; i--) {
                s = s * t + c[i];
            }
            return s;
        };
    }

    /** cos(ω x[0]) on 1-D inputs (e.g. Wu et al.'s cos 2x). */
    public static ToDoubleFunction<double[]> cosine(double omega) {
        return x -> Math.cos(omega * x[0]);
    }
}
