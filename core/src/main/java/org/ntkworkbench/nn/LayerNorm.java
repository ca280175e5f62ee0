package org.ntkworkbench.nn;

import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.kernel.Kernel;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;

/**
 * Normalisation over the last (feature/channel) axis without learned parameters:
 * {@code y = (x − mean(x)) / √(var(x) + ε)} with the biased variance and {@code ε = 1e−12}
 * (neural-tangents' {@code LayerNorm} defaults).
 */
public final class LayerNorm extends UnaryLayer {
    /** The variance floor ε. */
    public static final double EPS = 1e-12;

    @Override
    public String word() {
        return "layerNorm";
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(in) + " has no feature axis");
        }
        return in.clone();
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] last = {x.rank() - 1};
        Var centred = x.sub(Ops.mean(x, last, true));
        Var variance = Ops.mean(centred.mul(centred), last, true);
        Var invStd = Ops.map(variance, "rsqrt", v -> 1.0 / Math.sqrt(v + EPS),
                v -> -0.5 / ((v + EPS) * Math.sqrt(v + EPS)));
        return centred.mul(invStd);
    }

    @Override
    public String toString() {
        return "layerNorm()";
    }

    /** Division by the paired variances ({@link #rule}, ε as in the forward pass). */
    @Override
    public Kernel kernel(Kernel in) {
        return rule(in, EPS);
    }

    /** Each pair divided by the variances of its two positions. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    /**
     * The rule of layer normalisation over channels (per position), as neural-tangents'
     * LayerNorm(axis = channels): every entry is divided by the square root of the two variances it pairs,
     * {@code Σ'[i,j,p,q] = Σ[i,j,p,q] / √((Σ1[i,p,p] + eps)(Σ2[j,q,q] + eps))}, and Θ alike. Exact in the
     * limit for zero-mean Gaussian inputs (e.g. right after a dense or conv layer), where the subtracted
     * channel mean vanishes.
     */
    public static Kernel rule(Kernel k, double eps) {
        PairLayout lay = k.layout();
        double[] var1 = lay.variances(k.cov1());
        boolean sameCov = k.cov2() == k.cov1();
        double[] var2 = sameCov ? var1 : lay.variances(k.cov2());
        Tensor nngp = normalise(k.nngp(), lay, var1, var2, k.n2(), false, eps);
        Tensor ntk = k.ntk() == null ? null : normalise(k.ntk(), lay, var1, var2, k.n2(), false, eps);
        Tensor cov1 = normalise(k.cov1(), lay, var1, var1, 1, true, eps);
        Tensor cov2 = sameCov ? cov1 : normalise(k.cov2(), lay, var2, var2, 1, true, eps);
        return new Kernel(nngp, ntk, cov1, cov2, k.spatial(), k.x1IsX2(), k.channels());
    }

    /** {@link #rule(Kernel, double)} with neural-tangents' default {@code eps = 1e−12}. */
    public static Kernel rule(Kernel k) {
        return rule(k, 1e-12);
    }

    private static Tensor normalise(Tensor x, PairLayout lay, double[] varA, double[] varB, int n2, boolean diagonal, double eps) {
        int q = lay.positions(), block = lay.block();
        double[] v = x.data(), o = new double[v.length];
        int n1 = v.length / (block * n2);
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                int ex = diagonal ? i : j;
                int base = (i * n2 + j) * block;
                for (int m = 0; m < block; m++) {
                    o[base + m] = v[base + m] / Math.sqrt((varA[i * q + lay.posA(m)] + eps) * (varB[ex * q + lay.posB(m)] + eps));
                }
            }
        }
        return Tensor.of(o, x.shape());
    }
}
