package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** GELU, exact form {@code φ(x) = x Φ(x) = (x/2)(1 + erf(x/√2))}, {@code φ′(x) = Φ(x) + x ϕ(x)}. */
public final class Gelu extends Activation {

    @Override
    public String word() {
        return "gelu";
    }

    @Override
    public double value(double x) {
        return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    @Override
    public double derivative(double x) {
        return 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /** The kernel dual of this activation: {@code Dual.gelu()}. */
    @Override
    public Dual dual() {
        return Dual.gelu();
    }
}
