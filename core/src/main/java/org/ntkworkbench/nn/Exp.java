package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.PairwiseDual;

/**
 * {@code φ(x) = a·e^{b·x}} (neural-tangents' {@code stax.Exp(a, b)}), {@code φ′ = b·φ}.
 *
 * <p>Kernel rule: {@code b(u + v)} is normal with variance {@code b²(Σ11 + Σ22 + 2Σ12)}, so by the
 * log-normal mean
 * <pre>  T = a² e^{b²((Σ11 + Σ22)/2 + Σ12)},   T' = b² T. </pre>
 */
public final class Exp extends Activation {
    private final double a;
    private final double b;

    /** {@code a·exp(b·x)}. */
    public Exp(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("exp: a, b must be finite, got " + a + ", " + b);
        }
        this.a = a;
        this.b = b;
    }

    @Override
    public String word() {
        return "exp";
    }

    @Override
    public double value(double x) {
        return a * Math.exp(b * x);
    }

    @Override
    public double derivative(double x) {
        return a * b * Math.exp(b * x);
    }

    @Override
    public String toString() {
        return "exp(a: " + a + ", b: " + b + ")";
    }

    /** The log-normal closed form above. */
    @Override
    public Dual dual() {
        double a2 = a * a;
        double b2 = b * b;
        return new PairwiseDual(toString(), (v1, v2, s, out) -> {
            double t = a2 * Math.exp(b2 * ((v1 + v2) / 2 + s));
            out[0] = t;
            out[1] = b2 * t;
        });
    }
}
