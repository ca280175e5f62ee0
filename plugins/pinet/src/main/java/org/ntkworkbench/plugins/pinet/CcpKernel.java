package org.ntkworkbench.plugins.pinet;

/**
 * Infinite-width NNGP and NTK of the CCP polynomial net of Wu et al. (2022) on the unit sphere, as
 * functions of ρ = ⟨x, x'⟩.
 *
 * <p>Model (no bias, all weights N(0, 1), width m, ReLU σ): y₁ = σ(W₁x), yₙ = σ(Wₙx) ⊙ yₙ₋₁ + yₙ₋₁,
 * f(x) = √(2/m) wᵀ y_N. Each unit is a product of independent factors a₁ = σ(w₁·x) and
 * aₙ = σ(wₙ·x) + 1, so with u, v standard normals of correlation ρ:
 * <ul>
 *   <li>A = E[σ(u)σ(v)] = κ₁(ρ)/2,</li>
 *   <li>B = E[(σ(u)+1)(σ(v)+1)] = κ₁(ρ)/2 + √(2/π) + 1,</li>
 *   <li>C = ρ E[σ'(u)σ'(v)] = ρ κ₀(ρ)/2,</li>
 * </ul>
 * NNGP Σ = 2 A B^{N−1} and NTK Θ = Σ + 2 (C B^{N−1} + (N−1) A C B^{N−2}) (one term per weight matrix,
 * by the product rule); κ₀(ρ) = (π − arccos ρ)/π, κ₁(ρ) = (√(1−ρ²) + (π − arccos ρ) ρ)/π.
 */
public record CcpKernel(int degree) {

    public CcpKernel {
        if (degree < 1) {
            throw new IllegalArgumentException("ccp: degree must be at least 1, got " + degree);
        }
    }

    /** Arc-cosine kernel of order 0. */
    public static double kappa0(double rho) {
        return (Math.PI - Math.acos(clamp(rho))) / Math.PI;
    }

    /** Arc-cosine kernel of order 1. */
    public static double kappa1(double rho) {
        double r = clamp(rho);
        return (Math.sqrt(Math.max(0, 1 - r * r)) + (Math.PI - Math.acos(r)) * r) / Math.PI;
    }

    private static double clamp(double rho) {
        if (!(rho >= -1 - 1e-12 && rho <= 1 + 1e-12)) {
            throw new IllegalArgumentException("ccp kernel: ⟨x, x'⟩ = " + rho + " is outside [-1, 1]; inputs must be unit vectors");
        }
        return Math.max(-1, Math.min(1, rho));
    }

    /** NNGP Σ(ρ) of one output. */
    public double nngp(double rho) {
        double a = kappa1(rho) / 2;
        double b = a + Math.sqrt(2 / Math.PI) + 1;
        return 2 * a * Math.pow(b, degree - 1);
    }

    /** NTK Θ(ρ) of one output. */
    public double ntk(double rho) {
        double a = kappa1(rho) / 2;
        double b = a + Math.sqrt(2 / Math.PI) + 1;
        double c = rho * kappa0(rho) / 2;
        double sigma = 2 * a * Math.pow(b, degree - 1);
        double rest = c * Math.pow(b, degree - 1) + (degree - 1) * a * c * Math.pow(b, degree - 2);
        return sigma + 2 * rest;
    }
}
