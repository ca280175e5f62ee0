package org.ntkworkbench.nn;

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
}
