package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** Gaussian bump {@code φ(x) = exp(−γx²)}, {@code φ′(x) = −2γx exp(−γx²)}. */
public final class Rbf extends Activation {
    private final double gamma;

    /** With width parameter {@code gamma}. */
    public Rbf(double gamma) {
        this.gamma = gamma;
    }

    /** The {@code gamma} this was built with. */
    public double gamma() {
        return gamma;
    }

    @Override
    public String word() {
        return "rbf";
    }

    @Override
    public double value(double x) {
        return Math.exp(-gamma * x * x);
    }

    @Override
    public double derivative(double x) {
        return -2 * gamma * x * Math.exp(-gamma * x * x);
    }

    @Override
    public String toString() {
        return "rbf(" + gamma + ")";
    }

    /** The kernel dual of this activation: {@code Dual.rbf(gamma)}. */
    @Override
    public Dual dual() {
        return Dual.rbf(gamma);
    }
}
