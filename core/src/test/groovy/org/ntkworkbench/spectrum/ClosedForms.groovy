package org.ntkworkbench.spectrum

import groovy.transform.CompileStatic

/**
 * Funk–Hecke eigenvalues derived by hand (no quadrature of ours involved), used as oracles.
 */
@CompileStatic
class ClosedForms {

    /**
     * exp(t) on S^{d−1}: μ_k = Γ(d/2) 2^{d/2−1} I_{k+d/2−1}(1), written with rising factorials only:
     * μ_k = 2^{−k} / Π_{j<k}(d/2+j) · Σ_m (1/4)^m / (m! (ν+1)_m), ν = k + d/2 − 1.
     */
    static double expSphere(int d, int k) {
        double pre = 1
        for (int j = 0; j < k; j++) pre *= 0.5d / (d / 2d + j)
        double nu = k + d / 2d - 1
        double term = 1, sum = 1
        for (int m = 1; m < 60; m++) {
            term *= 0.25d / (m * (nu + m))
            sum += term
        }
        pre * sum
    }

    /** ∫_0^π (π − θ) cos mθ dθ: π²/2 for m = 0, (1 − (−1)^m)/m² otherwise. */
    static double c(int m) {
        m == 0 ? Math.PI * Math.PI / 2 : (1 - (m % 2 == 0 ? 1 : -1)) / (double) (m * m)
    }

    /** ∫_0^π sin θ cos kθ dθ = (1 + (−1)^k)/(1 − k²) (0 for k = 1). */
    static double a(int k) {
        k == 1 ? 0 : (1 + (k % 2 == 0 ? 1 : -1)) / (1d - k * k)
    }

    /** ∫_0^π (π − θ) cos θ cos kθ dθ = (C_{k+1} + C_{|k−1|})/2. */
    static double b(int k) {
        (c(k + 1) + c(Math.abs(k - 1))) / 2
    }

    /** S¹: μ_k of κ0(cos θ) = (π − θ)/π is (1/π²)∫(π−θ)cos kθ. */
    static double kappa0Circle(int k) { (k == 0 ? Math.PI * Math.PI / 2 : c(k)) / (Math.PI * Math.PI) }

    /** S¹: μ_k of κ1 = (sin θ + (π−θ)cos θ)/π. */
    static double kappa1Circle(int k) { (a(k) + b(k)) / (Math.PI * Math.PI) }

    /** S¹: μ_k of the bias-free two-layer ReLU NTK t κ0 + κ1. */
    static double reluNtkCircle(int k) { (a(k) + 2 * b(k)) / (Math.PI * Math.PI) }

    /** P_n(0) for the Legendre polynomials (0 for odd n, (−1)^{n/2} (n−1)!!/n!! for even n). */
    static double legendreAtZero(int n) {
        if (n % 2 == 1) return 0
        double v = 1
        for (int j = 2; j <= n; j += 2) v *= -(j - 1) / (double) j
        v
    }

    /**
     * J_n = ∫_{−1}^{1} arcsin(t) P_n(t) dt = −π (P_{n+1}(0)² − P_{n−1}(0)²)/(2n+1) for n ≥ 1 (integration by
     * parts with (2n+1)P_n = P'_{n+1} − P'_{n−1} and ∫ P_m/√(1−t²) = π P_m(0)²), J_0 = 0.
     */
    static double arcsinLegendre(int n) {
        if (n == 0) return 0
        double hi = legendreAtZero(n + 1), lo = legendreAtZero(n - 1)
        -Math.PI * (hi * hi - lo * lo) / (2 * n + 1)
    }

    /** ∫_{−1}^{1} √(1−t²) P_k(t) dt = ∫ (1−t²)P_k/√(1−t²): Gauss–Chebyshev, exact for this degree. */
    static double sqrtLegendre(int k) {
        int m = k + 4
        double s = 0
        for (int i = 1; i <= m; i++) {
            double t = Math.cos((2 * i - 1) * Math.PI / (2 * m))
            s += (1 - t * t) * SpecialFunctions.gegenbauer(3, k, t)[k]
        }
        s * Math.PI / m
    }

    /** ∫ t P_k = 2/3 δ_{k1}; ∫ P_k = 2 δ_{k0}. */
    static double tLegendre(int k) { k == 1 ? 2d / 3 : 0 }

    /** ∫ t arcsin(t) P_k dt via t P_k = ((k+1)P_{k+1} + k P_{k−1})/(2k+1). */
    static double tArcsinLegendre(int k) {
        ((k + 1) * arcsinLegendre(k + 1) + (k == 0 ? 0 : k * arcsinLegendre(k - 1))) / (2 * k + 1)
    }

    /** S²: μ_k = (1/2)∫ κ P_k with κ0 = 1/2 + arcsin(t)/π. */
    static double kappa0Sphere2(int k) {
        0.5d * ((k == 0 ? 1d : 0d) + arcsinLegendre(k) / Math.PI)
    }

    /** S²: κ1 = √(1−t²)/π + t/2 + t arcsin(t)/π. */
    static double kappa1Sphere2(int k) {
        0.5d * (sqrtLegendre(k) / Math.PI + tLegendre(k) / 2 + tArcsinLegendre(k) / Math.PI)
    }

    /** S²: the ReLU NTK t κ0 + κ1 = √(1−t²)/π + t + 2 t arcsin(t)/π. */
    static double reluNtkSphere2(int k) {
        0.5d * (sqrtLegendre(k) / Math.PI + tLegendre(k) + 2 * tArcsinLegendre(k) / Math.PI)
    }
}
