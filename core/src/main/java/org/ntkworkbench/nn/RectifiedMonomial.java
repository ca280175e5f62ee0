package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** Rectified monomial {@code φ(x) = max(x, 0)^k} (degree 0: the step {@code 1[x > 0]}), {@code φ′(x) = k x^{k−1} 1[x > 0]}. */
public final class RectifiedMonomial extends Activation {
    private final int degree;

    /** Of degree {@code degree ≥ 0}. */
    public RectifiedMonomial(int degree) {
        if (degree < 0) {
            throw new IllegalArgumentException("rectifiedMonomial degree " + degree + " must be >= 0");
        }
        this.degree = degree;
    }

    /** The {@code degree} this was built with. */
    public int degree() {
        return degree;
    }

    @Override
    public String word() {
        return "rectifiedMonomial";
    }

    @Override
    public double value(double x) {
        return x > 0 ? Monomial.pow(x, degree) : 0.0;
    }

    @Override
    public double derivative(double x) {
        return x > 0 && degree > 0 ? degree * Monomial.pow(x, degree - 1) : 0.0;
    }

    @Override
    public String toString() {
        return "rectifiedMonomial(" + degree + ")";
    }

    /** The kernel dual of this activation: {@code Dual.rectifiedMonomial(degree)}. */
    @Override
    public Dual dual() {
        return Dual.rectifiedMonomial(degree);
    }
}
