package org.ntkworkbench.spectrum;

import java.util.function.DoubleUnaryOperator;

/**
 * Funk–Hecke eigenvalues of a dot-product kernel on S^{d−1}:
 * μ_k = c_d ∫_{−1}^{1} κ(t) P_k^{(d)}(t) (1−t²)^{(d−3)/2} dt, c_d = Γ(d/2)/(√π Γ((d−1)/2)),
 * computed as E[κ(t) P_k(t)] under the sphere rules of {@link QuadratureRule#sphereTheta}: t = cos θ
 * makes arc-cosine terms (√(1−t²), arccos t) smooth, and graded panels at θ = 0, π resolve the
 * remaining algebraic endpoint singularities of deep compositions. Two rules with different panels
 * and orders are evaluated; the finer one is returned, and the error estimate is their difference
 * plus the rounding floor 8ε Σ_i |w_i κ(t_i)| (about 2e-15 · max|μ| for bounded κ): the quadrature is
 * accurate to about 1e-10 relative or that absolute floor, whichever is larger, so the relative
 * accuracy is 1e-8 or better wherever μ_k ≥ 1e-7 · max|μ|.
 */
public final class FunkHecke {
    private FunkHecke() {}

    /** μ_0 … μ_K of κ on S^{d−1} with the default pair of rules (see class doc). */
    public static SphereSpectrum spectrum(DoubleUnaryOperator kappa, int d, int maxDegree) {
        if (maxDegree < 0) {
            throw new IllegalArgumentException("maxDegree must be >= 0, got " + maxDegree);
        }
        // Panels resolve both the oscillation of P_k (about k/π half-waves) and, for large d, the weight
        // sin^{d−2}θ, a bump of width ≈ 1/√d around π/2 (panel width ≤ 2/√d).
        int panels = Math.max(8 + (maxDegree + 3) / 4, (int) Math.ceil(Math.PI * Math.sqrt(d) / 2));
        QuadratureRule coarse = QuadratureRule.sphereTheta(d, panels, 20, 12);
        QuadratureRule fine = QuadratureRule.sphereTheta(d, panels + panels / 2 + 1, 30, 16);
        double[] a = eigenvalues(kappa, d, maxDegree, coarse);
        double[] b = eigenvalues(kappa, d, maxDegree, fine);
        double floor = 8 * Math.ulp(1.0) * fine.integrate(t -> Math.abs(kappa.applyAsDouble(t)));
        double[] err = new double[maxDegree + 1];
        double[] mult = new double[maxDegree + 1];
        for (int k = 0; k <= maxDegree; k++) {
            err[k] = Math.abs(a[k] - b[k]) + floor;
            mult[k] = SpecialFunctions.multiplicity(d, k);
        }
        return new SphereSpectrum(d, b, mult, err);
    }

    /** μ_0 … μ_K of κ with a given sphere rule (weights summing to 1 for the uniform measure on S^{d−1}). */
    public static double[] eigenvalues(DoubleUnaryOperator kappa, int d, int maxDegree, QuadratureRule rule) {
        double[] mu = new double[maxDegree + 1];
        double[] p = new double[maxDegree + 1];
        double[] t = rule.nodes();
        double[] w = rule.weights();
        for (int i = 0; i < t.length; i++) {
            double f = kappa.applyAsDouble(t[i]);
            if (!Double.isFinite(f)) {
                throw new IllegalArgumentException("kernel function is not finite at t=" + t[i] + ": " + f);
            }
            double wf = w[i] * f;
            SpecialFunctions.gegenbauerNearEnds(d, maxDegree, t[i], rule.complements()[i], p, 0);
            for (int k = 0; k <= maxDegree; k++) {
                mu[k] += wf * p[k];
            }
        }
        return mu;
    }
}
