package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.PairwiseDual;

/**
 * {@code φ(x) = a·cos(b·x + c)} as neural-tangents' {@code stax.Cos(a, b, c)} ({@code = a·sin(b·x + c + π/2)},
 * so its kernel rule is {@link Sin}'s with the phase shifted); {@code cos()} is (1, 1, 0).
 */
public final class Cos extends Activation {
    private final double a;
    private final double b;
    private final double c;

    /** {@code cos x}. */
    public Cos() {
        this(1, 1, 0);
    }

    /** {@code a·cos(b·x + c)}. */
    public Cos(double a, double b, double c) {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("cos: a, b, c must be finite, got " + a + ", " + b + ", " + c);
        }
        this.a = a;
        this.b = b;
        this.c = c;
    }

    private boolean standard() {
        return a == 1 && b == 1 && c == 0;
    }

    @Override
    public String word() {
        return "cos";
    }

    @Override
    public double value(double x) {
        return standard() ? Math.cos(x) : a * Math.cos(b * x + c);
    }

    @Override
    public double derivative(double x) {
        return standard() ? -Math.sin(x) : -a * b * Math.sin(b * x + c);
    }

    @Override
    public String toString() {
        return standard() ? "cos()" : "cos(a: " + a + ", b: " + b + ", c: " + c + ")";
    }

    /** {@code Dual.cos()} for {@code cos()}, otherwise {@link Sin}'s closed form at phase {@code c + π/2}. */
    @Override
    public Dual dual() {
        return standard() ? Dual.cos() : new PairwiseDual(toString(), Sin.pairMap(a, b, c + Math.PI / 2));
    }
}
