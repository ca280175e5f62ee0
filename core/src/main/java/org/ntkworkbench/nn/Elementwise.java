package org.ntkworkbench.nn;

import java.util.function.DoubleUnaryOperator;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.PairwiseDual;

/**
 * Any elementwise function {@code φ}. Its derivative is the given {@code φ′} or, if none is given,
 * the central finite difference {@code (φ(x+h) − φ(x−h))/2h} with {@code h = ε^{1/3} max(1, |x|)}
 * (truncation and rounding errors balanced, about 1e−10 relative for smooth φ).
 *
 * <p>Kernel rule: by default Gauss–Hermite quadrature of φ ({@link Dual#elementwise}). When the user
 * gives the closed-form NNGP function {@code nngp(Σ12, Σ11, Σ22) = E[φ(u)φ(v)]} (neural-tangents'
 * {@code stax.Elementwise(fn, nngp_fn, d_nngp_fn)}, same argument order), that is the rule:
 * {@code T = nngp}, and {@code T' = dNngp(Σ12, Σ11, Σ22) = E[φ′(u)φ′(v)]} when given, otherwise
 * {@code ∂T/∂Σ12} (Price's theorem: {@code ∂E[φ(u)φ(v)]/∂Σ12 = E[φ′(u)φ′(v)]}) by a second-order
 * difference in Σ12 with step {@code ε^{1/3}·max(√(Σ11Σ22), |Σ12|)}, one-sided (3 points) where a
 * central step would leave {@code |Σ12| ≤ √(Σ11Σ22)}, so functions like arcsin are never evaluated
 * outside their domain. Without {@code φ} the layer is kernel-only and {@code apply} refuses.
 */
public final class Elementwise extends Activation {
    private static final double H = Math.cbrt(Math.ulp(1.0));
    private final DoubleUnaryOperator f;
    private final DoubleUnaryOperator df;
    private final String name;
    private final NngpFunction nngp;
    private final NngpFunction dNngp;

    /** A closed-form NNGP map {@code (Σ12, Σ11, Σ22) ↦ E[φ(u)φ(v)]} (or of φ′ for {@code dNngp}). */
    @FunctionalInterface
    public interface NngpFunction {
        /** The expectation for covariance {@code cov12} and variances {@code var1}, {@code var2}. */
        double apply(double cov12, double var1, double var2);
    }

    /** {@code φ = f} with derivative {@code df} ({@code null}: finite differences). */
    public Elementwise(DoubleUnaryOperator f, DoubleUnaryOperator df) {
        this(f, df, "elementwise");
    }

    /** As {@link #Elementwise(DoubleUnaryOperator, DoubleUnaryOperator)} with a display name. */
    public Elementwise(DoubleUnaryOperator f, DoubleUnaryOperator df, String name) {
        this(f, df, name, null, null);
    }

    /**
     * {@code φ = f} ({@code null}: kernel only) with derivative {@code df} ({@code null}: finite
     * differences) and the closed-form kernel maps {@code nngp} ({@code null}: quadrature) and
     * {@code dNngp} ({@code null}: {@code ∂nngp/∂Σ12} numerically).
     */
    public Elementwise(DoubleUnaryOperator f, DoubleUnaryOperator df, String name, NngpFunction nngp, NngpFunction dNngp) {
        if (f == null && nngp == null) {
            throw new IllegalArgumentException("elementwise needs a function fn: or an nngp: function (or both)");
        }
        if (dNngp != null && nngp == null) {
            throw new IllegalArgumentException("elementwise: dNngp: needs nngp: too");
        }
        this.f = f;
        this.df = df;
        this.name = name;
        this.nngp = nngp;
        this.dNngp = dNngp;
    }

    @Override
    public String word() {
        return "elementwise";
    }

    /** The function {@code φ} ({@code null} for a kernel-only layer). */
    public DoubleUnaryOperator function() {
        return f;
    }

    /** True when {@code φ′} was given (otherwise finite differences are used). */
    public boolean hasExactDerivative() {
        return df != null;
    }

    /** True when the kernel comes from a given NNGP function rather than quadrature. */
    public boolean hasClosedFormKernel() {
        return nngp != null;
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        if (f == null) {
            throw new IllegalArgumentException("elementwise without fn: is kernel-only (it has an nngp: function but no "
                    + "finite-width function); give fn: { x -> ... } to run it as a network");
        }
        return super.apply(ctx, path, x);
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

    /** The given NNGP function, or {@code Dual.elementwise(name, φ[, φ′])} by quadrature. */
    @Override
    public Dual dual() {
        if (nngp != null) {
            return new PairwiseDual(name, (v1, v2, c, out) -> {
                out[0] = nngp.apply(c, v1, v2);
                out[1] = dNngp != null ? dNngp.apply(c, v1, v2) : dByCovariance(nngp, c, v1, v2);
            });
        }
        return df == null ? Dual.elementwise(name, f) : Dual.elementwise(name, f, df);
    }

    /** {@code ∂nngp/∂Σ12} by the second-order differences of the class comment. */
    static double dByCovariance(NngpFunction g, double c, double v1, double v2) {
        double r = Math.sqrt(Math.max(0.0, v1 * v2));
        double h = H * Math.max(Math.max(r, Math.abs(c)), Double.MIN_NORMAL);
        h = (c + h) - c;
        if (c + h > r && c - 2 * h >= -r) {
            return (3 * g.apply(c, v1, v2) - 4 * g.apply(c - h, v1, v2) + g.apply(c - 2 * h, v1, v2)) / (2 * h);
        }
        if (c - h < -r && c + 2 * h <= r) {
            return (-3 * g.apply(c, v1, v2) + 4 * g.apply(c + h, v1, v2) - g.apply(c + 2 * h, v1, v2)) / (2 * h);
        }
        return (g.apply(c + h, v1, v2) - g.apply(c - h, v1, v2)) / (2 * h);
    }
}
