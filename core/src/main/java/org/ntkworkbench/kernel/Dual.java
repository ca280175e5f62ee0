package org.ntkworkbench.kernel;

import java.util.function.DoubleUnaryOperator;

/**
 * The dual of an elementwise activation φ: the maps of a pre-activation covariance to the
 * post-activation kernels,
 * <pre>
 *   T(Σ)  = E[φ(u) φ(v)],   T'(Σ) = E[φ'(u) φ'(v)],   (u, v) ~ N(0, [[Σ11, Σ12], [Σ12, Σ22]]),
 * </pre>
 * and the NTK rule of an activation layer, {@code nngp' = T(Σ)}, {@code ntk' = T'(Σ) ⊙ ntk}, applied
 * entrywise across a {@link Kernel} (for spatial kernels the variances of a position pair are the
 * diagonal entries {@code cov1[i, p, p]} and {@code cov2[j, q, q]}).
 *
 * <p>Design: one interface, two implementations. {@link PairwiseDual} holds a closed form as a small
 * pure function of {@code (Σ11, Σ22, Σ12)} (relu, leakyRelu, abs, erf, gelu, sin, cos, rbf, sign,
 * monomial, rectifiedMonomial); {@link QuadratureDual} holds any closure φ (with φ' given or by
 * central differences) and integrates by Gauss–Hermite quadrature through the Hermite (Mehler)
 * expansion, so a kernel of n examples costs O(n) one-dimensional quadratures plus O(K) per pair.
 * The static factories below are the vocabulary; DSL words map one-to-one onto them.
 */
public interface Dual {

    /** A short name, e.g. {@code relu} or {@code leakyRelu(0.1)}. */
    String name();

    /** {@code T(Σ) = E[φ(u)φ(v)]} for variances {@code v1, v2} and covariance {@code c}. */
    double t(double v1, double v2, double c);

    /** {@code T'(Σ) = E[φ'(u)φ'(v)]} for variances {@code v1, v2} and covariance {@code c}. */
    double tDot(double v1, double v2, double c);

    /**
     * The kernel after the activation layer: {@code nngp' = T(nngp)}, {@code ntk' = T'(nngp) ⊙ ntk},
     * {@code cov1' = T(cov1)}, {@code cov2' = T(cov2)} (position-pair wise for spatial kernels).
     */
    Kernel apply(Kernel k);

    // ---- closed forms -------------------------------------------------------------------

    /**
     * ReLU, arc-cosine kernels of order 1 and 0: with {@code ρ = Σ12/√(Σ11Σ22)}, {@code θ = arccos ρ},
     * {@code T = √(Σ11Σ22) (sin θ + (π − θ) cos θ) / (2π)}, {@code T' = (π − θ) / (2π)}.
     */
    static Dual relu() {
        return new PairwiseDual("relu", ClosedForms::relu, ClosedForms::reluRow);
    }

    /**
     * Leaky ReLU {@code φ(x) = x} for {@code x > 0}, {@code α x} otherwise. Writing
     * {@code φ = relu(x) − α relu(−x)} and using {@code E[relu(u)relu(−v)] = T_relu(Σ) − Σ12/2}:
     * {@code T = (1 − α)² T_relu + α Σ12}, {@code T' = (1 − α)² T'_relu + α}.
     */
    static Dual leakyRelu(double alpha) {
        return new PairwiseDual("leakyRelu(" + alpha + ")", (a, b, c, out) -> ClosedForms.abRelu(alpha, a, b, c, out),
                (a, varB, b0, len, nngp, ntk, off) -> ClosedForms.abReluRow(alpha, a, varB, b0, len, nngp, ntk, off));
    }

    /** {@code |x|}: leaky ReLU with {@code α = −1}: {@code T = 4 T_relu − Σ12}, {@code T' = 4 T'_relu − 1}. */
    static Dual abs() {
        return new PairwiseDual("abs", (a, b, c, out) -> ClosedForms.abRelu(-1.0, a, b, c, out),
                (a, varB, b0, len, nngp, ntk, off) -> ClosedForms.abReluRow(-1.0, a, varB, b0, len, nngp, ntk, off));
    }

    /**
     * erf, the arcsine kernel: {@code T = (2/π) asin(2Σ12 / √((1 + 2Σ11)(1 + 2Σ22)))},
     * {@code T' = (4/π) / √((1 + 2Σ11)(1 + 2Σ22) − 4Σ12²)}.
     */
    static Dual erf() {
        return new PairwiseDual("erf", ClosedForms::erf, ClosedForms::erfRow);
    }

    /**
     * GELU {@code φ(x) = x Φ(x)} (exact, not the tanh approximation); the closed form of
     * neural-tangents ({@code stax.Gelu}), with {@code δ² = (1 + Σ11)(1 + Σ22) − Σ12²}.
     */
    static Dual gelu() {
        return new PairwiseDual("gelu", ClosedForms::gelu);
    }

    /** sin: {@code T = e^{−(Σ11+Σ22)/2} sinh Σ12}, {@code T' = e^{−(Σ11+Σ22)/2} cosh Σ12}. */
    static Dual sin() {
        return new PairwiseDual("sin", ClosedForms::sin);
    }

    /** cos: {@code T = e^{−(Σ11+Σ22)/2} cosh Σ12}, {@code T' = e^{−(Σ11+Σ22)/2} sinh Σ12}. */
    static Dual cos() {
        return new PairwiseDual("cos", ClosedForms::cos);
    }

    /**
     * {@code φ(x) = exp(−γ x²)}: with {@code D = (1 + 2γΣ11)(1 + 2γΣ22) − 4γ²Σ12²},
     * {@code T = D^{−1/2}}, {@code T' = 4γ² Σ12 D^{−3/2}}.
     */
    static Dual rbf(double gamma) {
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("rbf gamma must be positive, got " + gamma);
        }
        return new PairwiseDual("rbf(" + gamma + ")", (a, b, c, out) -> ClosedForms.rbf(gamma, a, b, c, out));
    }

    /**
     * sign: {@code T = (2/π) asin ρ}; {@code T' = 0} (the derivative vanishes almost everywhere, as in
     * neural-tangents, so a sign layer stops the NTK of the layers below it).
     */
    static Dual sign() {
        return new PairwiseDual("sign", ClosedForms::sign);
    }

    /**
     * {@code φ(x) = x^n}, {@code n ≥ 0}: {@code T = (Σ11Σ22)^{n/2} Σ_k c_{n,k}² k! ρ^k} with the
     * Hermite coefficients {@code x^n = Σ_k c_{n,k} He_k(x)}, {@code c_{n,k} = n! / (k! ((n−k)/2)! 2^{(n−k)/2})}
     * ({@code n − k} even); {@code T' = n² T_{n−1}}.
     */
    static Dual monomial(int degree) {
        return ClosedForms.monomial(degree);
    }

    /**
     * {@code φ(x) = max(x, 0)^n}, {@code n ≥ 0} (n = 0 is the step with φ(0) = 0): the arc-cosine
     * kernel of order n (Cho and Saul 2009), {@code T = (Σ11Σ22)^{n/2} J_n(θ) / (2π)} with
     * {@code J_n(θ) = A_n(cos θ) sin θ + (π − θ) B_n(cos θ)}; {@code T' = n² T_{n−1}}. The polynomials
     * follow from Price's theorem {@code dF_n/dρ = n² F_{n−1}} and {@code F_n(1) = (2n−1)!!/2}.
     */
    static Dual rectifiedMonomial(int degree) {
        return ClosedForms.rectifiedMonomial(degree);
    }

    // ---- quadrature ---------------------------------------------------------------------

    /** tanh by quadrature ({@code φ' = 1 − tanh²}). */
    static Dual tanh() {
        return new QuadratureDual("tanh", Math::tanh, x -> {
            double t = Math.tanh(x);
            return 1 - t * t;
        });
    }

    /** The logistic sigmoid {@code 1/(1 + e^{−x})} by quadrature ({@code φ' = σ(1 − σ)}). */
    static Dual sigmoid() {
        return new QuadratureDual("sigmoid", ClosedForms::sigmoid, x -> {
            double s = ClosedForms.sigmoid(x);
            return s * (1 - s);
        });
    }

    /** Any smooth φ with its derivative, by Gauss–Hermite quadrature. */
    static Dual elementwise(String name, DoubleUnaryOperator phi, DoubleUnaryOperator phiPrime) {
        return new QuadratureDual(name, phi, phiPrime);
    }

    /** Any smooth φ by Gauss–Hermite quadrature, φ' by central differences. */
    static Dual elementwise(String name, DoubleUnaryOperator phi) {
        return new QuadratureDual(name, phi, null);
    }
}
