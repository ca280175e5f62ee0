package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** Monomial {@code φ(x) = x^k}, {@code φ′(x) = k x^{k−1}} (integer {@code k ≥ 0}). */
public final class Monomial extends Activation {
    private final int degree;

    /** Of degree {@code degree ≥ 0}. */
    public Monomial(int degree) {
        if (degree < 0) {
            throw new IllegalArgumentException("monomial degree " + degree + " must be >= 0");
        }
        this.degree = degree;
    }

    /** The {@code degree} this was built with. */
    public int degree() {
        return degree;
    }

    static double pow(double x, int k) {
        double r = 1;
        for (int i = 0; i < k; i++) {
            r *= x;
        }
        return r;
    }

    @Override
    public String word() {
        return "monomial";
    }

    /** x^k is odd for odd k. */
    @Override
    protected boolean odd() {
        return degree % 2 == 1;
    }

    /** Degree 1: φ(x) = x. */
    @Override
    protected boolean linear() {
        return degree == 1;
    }

    @Override
    public double value(double x) {
        return pow(x, degree);
    }

    @Override
    public double derivative(double x) {
        return degree == 0 ? 0.0 : degree * pow(x, degree - 1);
    }

    @Override
    public String toString() {
        return "monomial(" + degree + ")";
    }

    /** The kernel dual of this activation: {@code Dual.monomial(degree)}. */
    @Override
    public Dual dual() {
        return Dual.monomial(degree);
    }
}
