package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** {@code φ(x) = sin x}. */
public final class Sin extends Activation {

    @Override
    public String word() {
        return "sin";
    }

    @Override
    public double value(double x) {
        return Math.sin(x);
    }

    @Override
    public double derivative(double x) {
        return Math.cos(x);
    }

    /** The kernel dual of this activation: {@code Dual.sin()}. */
    @Override
    public Dual dual() {
        return Dual.sin();
    }
}
