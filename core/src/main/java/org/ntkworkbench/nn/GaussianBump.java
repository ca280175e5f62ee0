package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.PairwiseDual;

/**
 * {@code φ(x) = a·e^{b·x²}} (neural-tangents' {@code stax.Gaussian(a, b)}; {@code rbf(γ)} is (1, −γ)),
 * {@code φ′(x) = 2ab·x·e^{b·x²}}.
 *
 * <p>Kernel rule: with {@code D = (1 − 2bΣ11)(1 − 2bΣ22) − 4b²Σ12²} (the determinant of
 * {@code I − 2bΣ}), the Gaussian integrals {@code E[e^{b(u²+v²)}] = D^{−1/2}} and
 * {@code E[uv·e^{b(u²+v²)}] = Σ12 D^{−3/2}} give
 * <pre>  T = a² D^{−1/2},   T' = 4a²b² Σ12 D^{−3/2}. </pre>
 * For {@code b > 0} the expectations are finite only while {@code I − 2bΣ} is positive definite;
 * beyond that T and T' are {@code +∞} (the true value), which later layers and the numeric checks of
 * the kernel commands report.
 */
public final class GaussianBump extends Activation {
    private final double a;
    private final double b;

    /** {@code a·exp(b·x²)}. */
    public GaussianBump(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("gaussianBump: a, b must be finite, got " + a + ", " + b);
        }
        this.a = a;
        this.b = b;
    }

    @Override
    public String word() {
        return "gaussianBump";
    }

    @Override
    public double value(double x) {
        return a * Math.exp(b * x * x);
    }

    @Override
    public double derivative(double x) {
        return 2 * a * b * x * Math.exp(b * x * x);
    }

    @Override
    public String toString() {
        return "gaussianBump(a: " + a + ", b: " + b + ")";
    }

    /** The closed form above. */
    @Override
    public Dual dual() {
        double a2 = a * a;
        return new PairwiseDual(toString(), (v1, v2, s, out) -> {
            double p1 = 1 - 2 * b * v1;
            double p2 = 1 - 2 * b * v2;
            double d = p1 * p2 - 4 * b * b * s * s;
            if (!(p1 > 0 && p2 > 0 && d > 0)) {
                out[0] = Double.POSITIVE_INFINITY;
                out[1] = Double.POSITIVE_INFINITY;
                return;
            }
            double inv = 1 / Math.sqrt(d);
            out[0] = a2 * inv;
            out[1] = 4 * a2 * b * b * s * inv * inv * inv;
        });
    }
}
