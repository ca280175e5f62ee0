package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** Sign {@code φ(x) = sgn(x)} (0 at 0); its derivative is 0 almost everywhere. */
public final class Sign extends Activation {

    @Override
    public String word() {
        return "sign";
    }

    /** sign is odd. */
    @Override
    protected boolean odd() {
        return true;
    }

    @Override
    public double value(double x) {
        return Math.signum(x);
    }

    @Override
    public double derivative(double x) {
        return 0.0;
    }

    /** The kernel dual of this activation: {@code Dual.sign()}. */
    @Override
    public Dual dual() {
        return Dual.sign();
    }
}
