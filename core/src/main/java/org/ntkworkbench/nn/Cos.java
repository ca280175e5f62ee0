package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** {@code φ(x) = cos x}. */
public final class Cos extends Activation {

    @Override
    public String word() {
        return "cos";
    }

    @Override
    public double value(double x) {
        return Math.cos(x);
    }

    @Override
    public double derivative(double x) {
        return -Math.sin(x);
    }

    /** The kernel dual of this activation: {@code Dual.cos()}. */
    @Override
    public Dual dual() {
        return Dual.cos();
    }
}
