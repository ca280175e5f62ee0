package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** Absolute value {@code φ(x) = |x|}, {@code φ′(x) = sign(x)}. */
public final class Abs extends Activation {

    @Override
    public String word() {
        return "abs";
    }

    @Override
    public double value(double x) {
        return Math.abs(x);
    }

    @Override
    public double derivative(double x) {
        return Math.signum(x);
    }

    /** The kernel dual of this activation: {@code Dual.abs()}. */
    @Override
    public Dual dual() {
        return Dual.abs();
    }
}
