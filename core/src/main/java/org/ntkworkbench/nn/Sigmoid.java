package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** Logistic sigmoid {@code φ(x) = 1/(1 + e^{−x})}, {@code φ′ = φ(1 − φ)}. */
public final class Sigmoid extends Activation {

    @Override
    public String word() {
        return "sigmoid";
    }

    @Override
    public double value(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    @Override
    public double derivative(double x) {
        double s = value(x);
        return s * (1 - s);
    }

    /** The kernel dual of this activation: {@code Dual.sigmoid()}. */
    @Override
    public Dual dual() {
        return Dual.sigmoid();
    }
}
