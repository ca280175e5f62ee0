package org.ntkworkbench.kernel

import groovy.transform.CompileStatic
import java.util.function.DoubleUnaryOperator

/**
 * Independent reference integrals for the activation duals (test-only code).
 *
 * polar(): for positively homogeneous φ, ψ of degrees n, m (φ(λx) = λ^n φ(x), λ > 0) and
 * (u, v) = L z with z = r (cos θ, sin θ) standard normal in the plane,
 *   E[φ(u) ψ(v)] = E[r^{n+m}] (1/2π) ∫_0^{2π} φ(ℓ1(θ)) ψ(ℓ2(θ)) dθ,   E[r^{2k}] = 2^k k!,
 * and the angular integrand is a trigonometric polynomial between the zeros of ℓ1 and ℓ2, so
 * Gauss–Legendre on each piece is accurate to round-off, also for kinked φ (relu, abs, sign).
 */
@CompileStatic
class Oracles {

    /** Gauss–Legendre nodes and weights on [-1, 1] (Newton on P_n). */
    static List<double[]> legendre(int n) {
        double[] x = new double[n], w = new double[n]
        for (int i = 0; i < n; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5))
            double dp = 0
            for (int it = 0; it < 100; it++) {
                double p0 = 1, p1 = z
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k
                    p0 = p1; p1 = p2
                }
                dp = n * (z * p1 - p0) / (z * z - 1)
                double dz = p1 / dp
                z -= dz
                if (Math.abs(dz) < 1e-16) break
            }
            double p0 = 1, p1 = z
            for (int k = 2; k <= n; k++) {
                double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k
                p0 = p1; p1 = p2
            }
            dp = n * (z * p1 - p0) / (z * z - 1)
            x[i] = z
            w[i] = 2 / ((1 - z * z) * dp * dp)
        }
        return [x, w]
    }

    static final List<double[]> GL = legendre(40)

    /** E[φ(u) ψ(v)] for homogeneous φ, ψ with total degree 2k (even), (u, v) ~ N(0, [[a, c], [c, b]]), c = ρ√(ab). */
    static double polar(DoubleUnaryOperator phi, DoubleUnaryOperator psi, int totalDegree, double a, double b, double rho) {
        assert totalDegree % 2 == 0
        double la = Math.sqrt(a)
        // Parameterised by ρ so that ρ = ±1 is exactly singular (no square root of round-off).
        double beta = rho * Math.sqrt(b)
        double s2 = Math.sqrt(b) * Math.sqrt(Math.max(0, 1 - rho * rho))
        List<Double> cuts = [0d, Math.PI / 2, 3 * Math.PI / 2, 2 * Math.PI]
        // beta cos θ + s2 sin θ = R cos(θ − φ0) vanishes at θ = φ0 + π/2 + kπ.
        double t0 = Math.atan2(s2, beta)
        for (int k = -2; k <= 3; k++) {
            double t = t0 + Math.PI / 2 + k * Math.PI
            if (t > 0 && t < 2 * Math.PI) cuts << t
        }
        cuts.sort()
        double[] x = GL[0], w = GL[1]
        double integral = 0
        for (int p = 0; p + 1 < cuts.size(); p++) {
            double lo = cuts[p], hi = cuts[p + 1]
            if (hi - lo < 1e-15) continue
            double half = (hi - lo) / 2, mid = (hi + lo) / 2
            for (int i = 0; i < x.length; i++) {
                double th = mid + half * x[i]
                double l1 = la * Math.cos(th)
                double l2 = beta * Math.cos(th) + s2 * Math.sin(th)
                integral += half * w[i] * phi.applyAsDouble(l1) * psi.applyAsDouble(l2)
            }
        }
        int k = totalDegree.intdiv(2)
        double moment = 1
        for (int i = 1; i <= k; i++) moment *= 2 * i
        return moment * integral / (2 * Math.PI)
    }

    static double relu(double x) { x > 0 ? x : 0d }

    static double step(double x) { x > 0 ? 1d : 0d }

    // Statically compiled lambdas (not closures) for the heavy quadrature oracles.
    static final DoubleUnaryOperator TANH = (double x) -> Math.tanh(x)
    static final DoubleUnaryOperator TANH_DOT = (double x) -> { double t = Math.tanh(x); return 1 - t * t }
    static final DoubleUnaryOperator SIGMOID = (double x) -> 1 / (1 + Math.exp(-x))
    static final DoubleUnaryOperator SIGMOID_DOT = (double x) -> { double t = 1 / (1 + Math.exp(-x)); return t * (1 - t) }
}
