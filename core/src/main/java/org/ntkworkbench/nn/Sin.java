package org.ntkworkbench.nn;

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
}
