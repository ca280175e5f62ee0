package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.PairwiseDual;

/**
 * Error function, affinely transformed as neural-tangents' {@code stax.Erf(a, b, c)}:
 * {@code φ(x) = a·erf(b·x) + c}, {@code φ′(x) = a·b·(2/√π)e^{−b²x²}}; {@code erf()} is (1, 1, 0).
 *
 * <p>Kernel rule: {@code erf(b·u)} with {@code u ~ N(0, Σ)} is erf of {@code N(0, b²Σ)}, and erf is odd so
 * {@code E[erf(b·u)] = 0} and the cross terms with {@code c} vanish:
 * <pre>  T = a² T_erf(b²Σ) + c²,   T' = a² b² T'_erf(b²Σ), </pre>
 * with the arcsine kernel {@code T_erf} of {@link Dual#erf()}.
 */
public final class Erf extends Activation {
    private static final Dual ERF = Dual.erf();
    private final double a;
    private final double b;
    private final double c;

    /** {@code erf(x)}. */
    public Erf() {
        this(1, 1, 0);
    }

    /** {@code a·erf(b·x) + c}. */
    public Erf(double a, double b, double c) {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("erf: a, b, c must be finite, got " + a + ", " + b + ", " + c);
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
        return "erf";
    }

    /** a·erf(b·x) + c is odd when c = 0. */
    @Override
    protected boolean odd() {
        return c == 0;
    }

    @Override
    public double value(double x) {
        return standard() ? erf(x) : a * erf(b * x) + c;
    }

    @Override
    public double derivative(double x) {
        return standard() ? 2 / Math.sqrt(Math.PI) * Math.exp(-x * x)
                : a * b * 2 / Math.sqrt(Math.PI) * Math.exp(-b * b * x * x);
    }

    @Override
    public String toString() {
        return standard() ? "erf()" : "erf(a: " + a + ", b: " + b + ", c: " + c + ")";
    }

    /**
     * erf to about 2e−15 relative accuracy: for {@code |x| < 3} the everywhere-positive series
     * {@code (2/√π) e^{−x²} Σₙ 2ⁿx^{2n+1}/(2n+1)!!} (no cancellation); beyond, the continued fraction
     * {@code erfc(x) = e^{−x²}/(√π (x + ½/(x + 1/(x + 3/2/(x + …)))))}.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (Double.isNaN(x)) {
            return x;
        } else if (ax < 3) {
            double x2 = ax * ax;
            double term = ax, sum = ax;
            for (int n = 1; term >= 1e-17 * sum && n < 200; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            r = 2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
        } else if (ax > 6.5) {
            r = 1.0;
        } else {
            double t = ax;
            for (int k = 80; k >= 1; k--) {
                t = ax + (k / 2.0) / t;
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / t;
        }
        return x >= 0 ? r : -r;
    }

    /** {@code Dual.erf()} for {@code erf()}, otherwise the scaled form above. */
    @Override
    public Dual dual() {
        if (standard()) {
            return ERF;
        }
        double b2 = b * b;
        double a2 = a * a;
        double c2 = c * c;
        return new PairwiseDual(toString(), (v1, v2, s, out) -> {
            out[0] = a2 * ERF.t(b2 * v1, b2 * v2, b2 * s) + c2;
            out[1] = a2 * b2 * ERF.tDot(b2 * v1, b2 * v2, b2 * s);
        });
    }
}
