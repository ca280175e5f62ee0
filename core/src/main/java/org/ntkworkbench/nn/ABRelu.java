package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.PairwiseDual;

/**
 * ABReLU {@code φ(x) = a·min(x, 0) + b·max(x, 0)} (neural-tangents' {@code stax.ABRelu}): slope
 * {@code a} for {@code x < 0}, {@code b} for {@code x > 0}; relu is (0, 1), leakyRelu(α) is (α, 1),
 * abs is (−1, 1).
 *
 * <p>Kernel rule: writing {@code φ = (b − a)·relu(x) + a·x} and using {@code E[relu(u)·v] = Σ12/2},
 * <pre>  T = (b − a)² T_relu(Σ) + a·b·Σ12,   T' = (b − a)² T'_relu(Σ) + a·b, </pre>
 * with the arc-cosine kernels {@code T_relu}, {@code T'_relu} of {@link Dual#relu()}.
 */
public final class ABRelu extends Activation {
    private static final Dual RELU = Dual.relu();
    private final double a;
    private final double b;

    /** Slopes {@code a} (negative side) and {@code b} (positive side). */
    public ABRelu(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("abRelu slopes must be finite, got a = " + a + ", b = " + b);
        }
        this.a = a;
        this.b = b;
    }

    /** The slope for {@code x < 0}. */
    public double a() {
        return a;
    }

    /** The slope for {@code x > 0}. */
    public double b() {
        return b;
    }

    @Override
    public String word() {
        return "abRelu";
    }

    /** Equal slopes: φ(x) = a·x. */
    @Override
    protected boolean linear() {
        return a == b;
    }

    @Override
    public double value(double x) {
        return x > 0 ? b * x : a * x;
    }

    @Override
    public double derivative(double x) {
        return x > 0 ? b : a;
    }

    @Override
    public String toString() {
        return "abRelu(" + a + ", " + b + ")";
    }

    /** The closed form above. */
    @Override
    public Dual dual() {
        double w = (b - a) * (b - a);
        double ab = a * b;
        return new PairwiseDual(toString(), (v1, v2, c, out) -> {
            out[0] = w * RELU.t(v1, v2, c) + ab * c;
            out[1] = w * RELU.tDot(v1, v2, c) + ab;
        });
    }
}
