package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/**
 * GELU. Exact form (default) {@code φ(x) = x Φ(x) = (x/2)(1 + erf(x/√2))}, {@code φ′(x) = Φ(x) + x ϕ(x)},
 * kernel in closed form ({@link Dual#gelu()}). With {@code approximate: true} the tanh form of
 * Hendrycks and Gimpel, {@code φ(x) = (x/2)(1 + tanh(√(2/π)(x + 0.044715 x³)))}; its kernel is the
 * dual of <em>that</em> function by Gauss–Hermite quadrature ({@link Dual#elementwise}), so the
 * infinite-width limit is the one of the finite network that is run. (neural-tangents keeps the exact
 * GELU kernel for its {@code approximate=True}; the two differ by about 1e−4 relative.)
 */
public final class Gelu extends Activation {
    private static final double K = Math.sqrt(2 / Math.PI);
    private static final double C3 = 0.044715;
    private final boolean approximate;

    /** The exact GELU. */
    public Gelu() {
        this(false);
    }

    /** The exact GELU, or the tanh approximation when {@code approximate}. */
    public Gelu(boolean approximate) {
        this.approximate = approximate;
    }

    /** True for the tanh approximation. */
    public boolean approximate() {
        return approximate;
    }

    @Override
    public String word() {
        return "gelu";
    }

    @Override
    public double value(double x) {
        if (approximate) {
            return 0.5 * x * (1 + Math.tanh(K * (x + C3 * x * x * x)));
        }
        return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    @Override
    public double derivative(double x) {
        if (approximate) {
            double t = Math.tanh(K * (x + C3 * x * x * x));
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * C3 * x * x);
        }
        return 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    @Override
    public String toString() {
        return approximate ? "gelu(approximate: true)" : "gelu()";
    }

    /** {@code Dual.gelu()} (closed form), or the quadrature dual of the tanh form. */
    @Override
    public Dual dual() {
        return approximate ? Dual.elementwise("gelu(approximate)", this::value, this::derivative) : Dual.gelu();
    }
}
