package org.ntkworkbench.nn;

import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;

import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;

/**
 * Normalisation over the last (feature/channel) axis without learned parameters:
 * {@code y = (x − mean(x)) / √(var(x) + ε)} with the biased variance and {@code ε = 1e−12}
 * (neural-tangents' {@code LayerNorm} defaults). {@code layerNorm(axis: [1, 2, 3])} normalises over
 * several axes of the batch array jointly (mean and variance over all of them; axis 0, the examples, is
 * not allowed, negative counts from the end); like neural-tangents the axes must include the channel axis.
 *
 * <p>Kernel rule (neural-tangents' {@code LayerNorm}): for zero-mean Gaussian inputs (right after a dense
 * or conv layer) the subtracted mean vanishes in the limit and the variance over channels and the
 * normalised positions P_A tends to the mean of the per-position variances,
 * {@code m(x, p) = (1/|P_A|) Σ_{p′ ∈ P_A(p)} Σ(x, x)[p′, p′]} (P_A(p): the positions sharing p's
 * coordinates on the axes not normalised). Every entry is divided by the two it pairs:
 * {@code Σ′[i,j,p,q] = Σ[i,j,p,q] / √((m(x_i, p) + ε)(m(x_j, q) + ε))}, Θ alike. Channel axis only:
 * {@code m} is the variance at the position itself ({@link #rule}).
 */
public final class LayerNorm extends UnaryLayer {
    /** The variance floor ε. */
    public static final double EPS = 1e-12;

    /** Normalised axes of the batch array as given (null: the channel axis −1 only). */
    private final int[] axes;

    /** Normalisation over the channel axis (−1). */
    public LayerNorm() {
        this(null);
    }

    /**
     * Normalisation over {@code axes} of the batch array jointly ({@code null} or {@code [-1]}: the channel
     * axis). Checked against the input's rank when the layer is used.
     */
    public LayerNorm(int[] axes) {
        if (axes != null) {
            if (axes.length == 0) {
                throw new IllegalArgumentException("layerNorm axis: needs at least one axis");
            }
            for (int a : axes) {
                if (a == 0) {
                    throw new IllegalArgumentException("layerNorm cannot normalise over the example axis 0 (that would be "
                            + "batch normalisation: each example's output would depend on the others)");
                }
            }
        }
        this.axes = axes == null ? null : axes.clone();
    }

    /** The normalised axes as given ({@code [-1]} by default). */
    public int[] axes() {
        return axes == null ? new int[] {-1} : axes.clone();
    }

    /**
     * The normalised per-example axes for a per-example rank, ascending, checked to be in range and to
     * include the channel axis (the last).
     */
    private int[] perExampleAxes(int rank) {
        if (axes == null) {
            return new int[] {rank - 1};
        }
        java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
        for (int a : axes) {
            int p = a < 0 ? rank + a : a - 1;
            if (p < 0 || p >= rank) {
                throw new IllegalArgumentException("layerNorm axis " + a + " is out of range for inputs of per-example rank " + rank);
            }
            set.add(p);
        }
        if (!set.contains(rank - 1)) {
            throw new IllegalArgumentException("layerNorm axis: " + Arrays.toString(axes) + " must include the channel axis -1 "
                    + "(normalising over channels is what makes the limit kernel exist, as in neural-tangents)");
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String word() {
        return "layerNorm";
    }

    /**
     * The rule assumes zero-mean Gaussian inputs (the subtracted channel mean vanishes): refused after an
     * activation or on the raw inputs, as in neural-tangents. A normalised Gaussian stays Gaussian.
     */
    @Override
    public Gaussianity gaussianityAfter(Gaussianity in) {
        requireGaussian(in);
        return in;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(in) + " has no feature axis");
        }
        perExampleAxes(in.length);
        return in.clone();
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] per = perExampleAxes(x.rank() - 1);
        int[] last = new int[per.length];
        for (int i = 0; i < per.length; i++) {
            last[i] = per[i] + 1;
        }
        Var centred = x.sub(Ops.mean(x, last, true));
        Var variance = Ops.mean(centred.mul(centred), last, true);
        Var invStd = Ops.map(variance, "rsqrt", v -> 1.0 / Math.sqrt(v + EPS),
                v -> -0.5 / ((v + EPS) * Math.sqrt(v + EPS)));
        return centred.mul(invStd);
    }

    /** Normalisation keeps the mask (a masked position's output is zeroed by the next layer). */
    @Override
    public Tensor outputMask(Tensor mask) {
        return mask;
    }

    /**
     * The masked forward pass (neural-tangents' {@code mean_and_var} with a mask): the mean and the variance over
     * the normalised axes use only the unmasked entries ({@code u·C} of them, at least 1). Over channels alone a
     * masked position is all zeros and gives zero, as without the mask.
     */
    @Override
    public MaskedFlow applyMasked(ApplyContext ctx, String path, MaskedFlow in) {
        Tensor mask = in.masks().get(0);
        Var x = in.zeroedValues().get(0);
        int[] per = perExampleAxes(x.rank() - 1);
        if (mask == null || per.length == 1) {
            return new MaskedFlow(List.of(apply(ctx, path, x)), java.util.Collections.singletonList(mask));
        }
        int[] last = new int[per.length];
        for (int i = 0; i < per.length; i++) {
            last[i] = per[i] + 1;
        }
        Tensor keep = org.ntkworkbench.kernel.Masks.keep(mask);
        int c = x.dim(x.rank() - 1);
        Tensor count = keep.sum(last, true).mul(c).map(v -> Math.max(v, 1));
        Var invCount = Var.of(count.map(v -> 1.0 / v));
        Var centred = x.sub(Ops.mul(Ops.sum(x, last, true), invCount));
        Var kept = Ops.mul(centred, Var.of(keep));
        Var variance = Ops.mul(Ops.sum(kept.mul(kept), last, true), invCount);
        Var invStd = Ops.map(variance, "rsqrt", v -> 1.0 / Math.sqrt(v + EPS),
                v -> -0.5 / ((v + EPS) * Math.sqrt(v + EPS)));
        return new MaskedFlow(List.of(centred.mul(invStd)), java.util.Collections.singletonList(mask));
    }

    @Override
    public String toString() {
        return axes == null ? "layerNorm()" : "layerNorm(axis: " + Arrays.toString(axes) + ")";
    }

    /**
     * Division by the paired variances ({@link #rule}, ε as in the forward pass); with spatial
     * axes normalised too, by the means of the variances over those axes (see the class comment).
     */
    @Override
    public Kernel kernel(Kernel in) {
        gaussianityAfter(in.gaussianity()); // refuses a non-Gaussian input; a Gaussian one stays Gaussian (kept below)
        int[] spatial = in.spatial();
        int[] per = perExampleAxes(spatial.length + 1);
        if (per.length == 1) {
            return rule(in, EPS);
        }
        boolean[] pooled = new boolean[spatial.length];
        for (int a : per) {
            if (a < spatial.length) {
                pooled[a] = true;
            }
        }
        PairLayout lay = in.layout();
        double[] m1 = pooledVariances(lay.variances(in.cov1()), spatial, pooled, in.mask1());
        boolean sameCov = in.cov2() == in.cov1();
        double[] m2 = sameCov ? m1 : pooledVariances(lay.variances(in.cov2()), spatial, pooled, in.mask2());
        Tensor nngp = divide(in.nngp(), lay, m1, m2, in.n2(), false);
        Tensor ntk = in.ntk() == null ? null : divide(in.ntk(), lay, m1, m2, in.n2(), false);
        Tensor cov1 = divide(in.cov1(), lay, m1, m1, 1, true);
        Tensor cov2 = sameCov ? cov1 : divide(in.cov2(), lay, m2, m2, 1, true);
        return in.withArrays(nngp, ntk, cov1, cov2, spatial);
    }

    /**
     * Per (example, position): the mean of {@code var} over the positions that differ only on pooled axes; with a
     * mask, over the unmasked ones among them (at least one: neural-tangents' {@code mean_and_var} floor).
     */
    private static double[] pooledVariances(double[] var, int[] spatial, boolean[] pooled, Tensor mask) {
        int q = PairLayout.positions(spatial);
        int n = var.length / q;
        int[] group = new int[q];
        int groups = 1;
        for (int a = 0; a < spatial.length; a++) {
            if (!pooled[a]) {
                groups *= spatial[a];
            }
        }
        int[] idx = new int[spatial.length];
        for (int p = 0; p < q; p++) {
            PairLayout.unravel(p, spatial, idx);
            int g = 0;
            for (int a = 0; a < spatial.length; a++) {
                if (!pooled[a]) {
                    g = g * spatial[a] + idx[a];
                }
            }
            group[p] = g;
        }
        double share = (double) groups / q;
        double[] out = new double[var.length];
        double[] m = mask == null ? null : mask.data();
        for (int i = 0; i < n; i++) {
            double[] sums = new double[groups];
            int[] unmasked = new int[groups];
            for (int p = 0; p < q; p++) {
                if (m == null || m[i * q + p] == 0) {
                    sums[group[p]] += var[i * q + p];
                    unmasked[group[p]]++;
                }
            }
            for (int p = 0; p < q; p++) {
                out[i * q + p] = m == null ? sums[group[p]] * share : sums[group[p]] / Math.max(unmasked[group[p]], 1);
            }
        }
        return out;
    }

    /** Each entry divided by √((m_A + ε)(m_B + ε)) of its two (example, position) halves. */
    private static Tensor divide(Tensor x, PairLayout lay, double[] mA, double[] mB, int n2, boolean covariance) {
        int q = lay.positions(), block = lay.block();
        double[] v = x.data(), o = new double[v.length];
        int n1 = v.length / (block * n2);
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                int ex = covariance ? i : j;
                int base = (i * n2 + j) * block;
                for (int m = 0; m < block; m++) {
                    o[base + m] = v[base + m] / Math.sqrt((mA[i * q + lay.posA(m)] + EPS) * (mB[ex * q + lay.posB(m)] + EPS));
                }
            }
        }
        return Tensor.of(o, x.shape());
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
        return k.withArrays(nngp, ntk, cov1, cov2);
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
