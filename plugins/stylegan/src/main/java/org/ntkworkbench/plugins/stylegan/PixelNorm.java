package org.ntkworkbench.plugins.stylegan;

import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.LayerNorm;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.UnaryLayer;

/**
 * {@code pixelNorm()}: StyleGAN's normalisation of the latent (and of feature vectors per position),
 * {@code y = x / √(mean_c x_c² + eps)} over the last axis, no mean subtraction.
 *
 * <p>Kernel rule: {@code Σ' = Σ / √((Σ₁ + eps)(Σ₂ + eps))}, Θ alike ({@link LayerNorm#rule(Kernel, double)}, the
 * same division). Exact when the input carries no parameters (the latent {@code z}: then Σ₁ is the
 * input's own mean square, Θ = 0); for hidden inputs the infinite-width limit of layer normalisation.
 */
public final class PixelNorm extends UnaryLayer {
    private final double eps;

    /** Pixel norm with {@code eps} inside the square root. */
    public PixelNorm(double eps) {
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("pixelNorm eps " + eps + " must be >= 0");
        }
        this.eps = eps;
    }

    @Override
    public String word() {
        return "pixelNorm";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1) {
            throw new IllegalArgumentException("pixelNorm needs a feature axis");
        }
        return in.clone();
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int last = x.rank() - 1;
        Var ms = Ops.mean(x.mul(x), new int[] {last}, true);
        Var inv = Ops.map(ms, "rsqrt", t -> 1.0 / Math.sqrt(t + eps), t -> -0.5 / ((t + eps) * Math.sqrt(t + eps)));
        return x.mul(inv);
    }

    @Override
    public Kernel kernel(Kernel in) {
        return LayerNorm.rule(in, eps);
    }

    @Override
    public String toString() {
        return "pixelNorm(eps: " + eps + ")";
    }
}
