package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

import java.util.function.DoubleUnaryOperator;

/**
 * Any elementwise function {@code φ}. Its derivative is the given {@code φ′} or, if none is given,
 * the central finite difference {@code (φ(x+h) − φ(x−h))/2h} with {@code h = ε^{1/3} max(1, |x|)}
 * (truncation and rounding errors balanced, about 1e−10 relative for smooth φ).
 */
public final class Elementwise extends Activation {
    private static final double H = Math.cbrt(Math.ulp(1.0));
    private final DoubleUnaryOperator f;
    private final DoubleUnaryOperator df;
    private final String name;

    /** {@code φ = f} with derivative {@code df} ({@code null}: finite differences). */
    public Elementwise(DoubleUnaryOperator f, DoubleUnaryOperator df) {
        this(f, df, "elementwise");
    }

    /** As {@link #Elementwise(DoubleUnaryOperator, DoubleUnaryOperator)} with a display name. */
    public Elementwise(DoubleUnaryOperator f, DoubleUnaryOperator df, String name) {
        this.f = f;
        this.df = df;
        this.name = name;
    }

    @Override
    public String word() {
        return "elementwise";
    }

    /** The function {@code φ}. */
    public DoubleUnaryOperator function() {
        return f;
    }

    /** True when {@code φ′} was given (otherwise finite differences are used). */
    public boolean hasExactDerivative() {
        return df != null;
    }

    @Override
    public double value(double x) {
        return f.applyAsDouble(x);
    }

    @Override
    public double derivative(double x) {
        if (df != null) {
            return df.applyAsDouble(x);
        }
        double h = H * Math.max(1.0, Math.abs(x));
        // Make x ± h exactly representable so that the divisor is the true step.
        h = (x + h) - x;
        return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
    }

    @Override
    public String toString() {
        return "elementwise(" + name + ")";
    }

    /** The kernel dual of this activation: {@code Dual.elementwise(name, φ[, φ′])}. */
    @Override
    public Dual dual() {
        return df == null ? Dual.elementwise(name, f) : Dual.elementwise(name, f, df);
    }
}
