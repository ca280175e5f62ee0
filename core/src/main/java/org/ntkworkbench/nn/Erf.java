package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;

/** Error function {@code φ(x) = erf(x) = (2/√π)∫₀ˣ e^{−t²}dt}, {@code φ′(x) = (2/√π)e^{−x²}}. */
public final class Erf extends Activation {

    @Override
    public String word() {
        return "erf";
    }

    @Override
    public double value(double x) {
        return erf(x);
    }

    @Override
    public double derivative(double x) {
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
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

    /** The kernel dual of this activation: {@code Dual.erf()}. */
    @Override
    public Dual dual() {
        return Dual.erf();
    }
}
