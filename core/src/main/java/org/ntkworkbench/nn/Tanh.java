package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** {@code φ(x) = tanh x}, {@code φ′ = 1 − tanh²}. */
public final class Tanh extends Activation {

    @Override
    public String word() {
        return "tanh";
    }

    /** tanh is odd. */
    @Override
    protected boolean odd() {
        return true;
    }

    @Override
    public double value(double x) {
        return Math.tanh(x);
    }

    @Override
    public double derivative(double x) {
        double t = Math.tanh(x);
        return 1 - t * t;
    }

    /** The kernel dual of this activation: {@code Dual.tanh()}. */
    @Override
    public Dual dual() {
        return Dual.tanh();
    }
}
