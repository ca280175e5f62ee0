package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.PairwiseDual;

/**
 * {@code φ(x) = a·sin(b·x + c)} as neural-tangents' {@code stax.Sin(a, b, c)}; {@code sin()} is (1, 1, 0).
 *
 * <p>Kernel rule: from {@code sin p sin q = (cos(p − q) − cos(p + q))/2} and
 * {@code E[cos(b(u ± v) + θ)] = cos θ · e^{−b²(Σ11 + Σ22 ± 2Σ12)/2}},
 * <pre>
 *   T  = (a²/2)    e^{−b²(Σ11+Σ22)/2} (e^{b²Σ12} − e^{−b²Σ12} cos 2c),
 *   T' = (a²b²/2)  e^{−b²(Σ11+Σ22)/2} (e^{b²Σ12} + e^{−b²Σ12} cos 2c)
 * </pre>
 * (the second from {@code φ′ = a·b·cos(b·x + c)}); at (1, 1, 0) these are {@link Dual#sin()}'s
 * {@code e^{−(Σ11+Σ22)/2} sinh Σ12} and {@code … cosh Σ12}.
 */
public final class Sin extends Activation {
    private final double a;
    private final double b;
    private final double c;

    /** {@code sin x}. */
    public Sin() {
        this(1, 1, 0);
    }

    /** {@code a·sin(b·x + c)}. */
    public Sin(double a, double b, double c) {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("sin: a, b, c must be finite, got " + a + ", " + b + ", " + c);
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
        return "sin";
    }

    /** a·sin(b·x + c) is odd when c = 0. */
    @Override
    protected boolean odd() {
        return c == 0;
    }

    @Override
    public double value(double x) {
        return standard() ? Math.sin(x) : a * Math.sin(b * x + c);
    }

    @Override
    public double derivative(double x) {
        return standard() ? Math.cos(x) : a * b * Math.cos(b * x + c);
    }

    @Override
    public String toString() {
        return standard() ? "sin()" : "sin(a: " + a + ", b: " + b + ", c: " + c + ")";
    }

    /** {@code Dual.sin()} for {@code sin()}, otherwise the closed form above. */
    @Override
    public Dual dual() {
        return standard() ? Dual.sin() : new PairwiseDual(toString(), pairMap(a, b, c));
    }

    /** The closed form above for {@code a·sin(b·x + c)} (also {@code a·cos(b·x + c)} with {@code c + π/2}). */
    static PairwiseDual.PairMap pairMap(double a, double b, double c) {
        double b2 = b * b;
        double half = a * a / 2;
        double cos2c = Math.cos(2 * c);
        return (v1, v2, s, out) -> {
            double e = Math.exp(-b2 * (v1 + v2) / 2);
            double plus = e * Math.exp(b2 * s);
            double minus = e * Math.exp(-b2 * s) * cos2c;
            out[0] = half * (plus - minus);
            out[1] = half * b2 * (plus + minus);
        };
    }
}
