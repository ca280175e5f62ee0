package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** Leaky ReLU {@code φ(x) = x} for {@code x > 0}, {@code αx} otherwise. */
public final class LeakyRelu extends Activation {
    private final double alpha;

    /** With negative slope {@code alpha}. */
    public LeakyRelu(double alpha) {
        this.alpha = alpha;
    }

    /** The {@code alpha} this was built with. */
    public double alpha() {
        return alpha;
    }

    @Override
    public String word() {
        return "leakyRelu";
    }

    /** Slope 1 on both sides: the identity. */
    @Override
    protected boolean linear() {
        return alpha == 1;
    }

    @Override
    public double value(double x) {
        return x > 0 ? x : alpha * x;
    }

    @Override
    public double derivative(double x) {
        return x > 0 ? 1.0 : alpha;
    }

    @Override
    public String toString() {
        return "leakyRelu(" + alpha + ")";
    }

    /** The kernel dual of this activation: {@code Dual.leakyRelu(alpha)}. */
    @Override
    public Dual dual() {
        return Dual.leakyRelu(alpha);
    }
}
