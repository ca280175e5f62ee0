package org.ntkworkbench.nn;

import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.PairwiseDual;

/**
 * The "Gaussian normalized kernel" of Shankar et al. 2020 (neural-tangents' {@code stax.ExpNormalized}):
 * a kernel-only layer. With {@code r = √(Σ11Σ22)} and {@code ρ = Σ12/r} (clipped to [−1, 1] when
 * {@code clip}),
 * <pre>  nngp' = r·e^{γ(ρ + shift)},   ntk' = γ·e^{γ(ρ + shift)}·ntk. </pre>
 * It is not the dual of an elementwise function for general variances (the factor {@code r} normalises
 * each pair), so it has no finite-width forward pass and {@code apply} refuses; on unit variances it is
 * exactly the dual of {@code φ(x) = e^{√γ·x + γ(shift − 1)/2}} ({@code E[e^{√γ(u+v)}] = e^{γ(1+ρ)}}), which is
 * how the spec checks it. {@code r} is floored at 1e−30 as in neural-tangents, so zero inputs give 0.
 */
public final class ExpNormalized extends Activation {
    private final double gamma;
    private final double shift;
    private final boolean clip;

    /** With exponent scale {@code gamma}, {@code shift} and optional clipping of ρ. */
    public ExpNormalized(double gamma, double shift, boolean clip) {
        if (!Double.isFinite(gamma) || !Double.isFinite(shift)) {
            throw new IllegalArgumentException("expNormalized: gamma and shift must be finite, got " + gamma + ", " + shift);
        }
        this.gamma = gamma;
        this.shift = shift;
        this.clip = clip;
    }

    @Override
    public String word() {
        return "expNormalized";
    }

    /** Not an elementwise function; see the class comment. */
    @Override
    public double value(double x) {
        throw noForward();
    }

    @Override
    public double derivative(double x) {
        throw noForward();
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        throw noForward();
    }

    private IllegalArgumentException noForward() {
        return new IllegalArgumentException("expNormalized is a kernel-only layer (a normalised kernel, not an elementwise "
                + "function): it has no finite-width network; use it with net.kernel, not apply/train/empiricalNtk");
    }

    @Override
    public String toString() {
        return "expNormalized(gamma: " + gamma + ", shift: " + shift + ", clip: " + clip + ")";
    }

    /** The normalised exponential above. */
    @Override
    public Dual dual() {
        return new PairwiseDual(toString(), (v1, v2, s, out) -> {
            double r = Math.sqrt(Math.max(v1 * v2, 1e-30));
            double rho = s / r;
            if (clip) {
                rho = rho > 1 ? 1 : (rho < -1 ? -1 : rho);
            }
            double e = Math.exp(gamma * (rho + shift));
            out[0] = r * e;
            out[1] = gamma * e;
        });
    }
}
