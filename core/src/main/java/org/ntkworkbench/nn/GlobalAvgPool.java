package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Masks;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.kernel.Kernel;

import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;

/** Mean over all spatial axes: {@code (n, spatial…, C)} to {@code (n, C)}. */
public final class GlobalAvgPool extends UnaryLayer {

    @Override
    public String word() {
        return "globalAvgPool";
    }

    @Override
    public int[] outputShape(int[] in) {
        return GlobalSumPool.channelsOnly(in);
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        outputShape(Arrays.copyOfRange(x.shape(), 1, x.rank()));
        return Ops.mean(x, GlobalSumPool.spatialAxes(x.rank()), false);
    }

    @Override
    public String toString() {
        return "globalAvgPool()";
    }

    /**
     * The mean over all position pairs ({@link #rule}); with masks, over the unmasked ones ({@link #maskedRule}).
     */
    @Override
    public Kernel kernel(Kernel in) {
        if (in.spatial().length == 0) {
            throw new IllegalArgumentException("globalAvgPool needs a spatial kernel, got a dense one");
        }
        return in.masked() ? maskedRule(in) : rule(in);
    }

    /**
     * The masked forward pass (neural-tangents' {@code mean_and_var} with a mask): each example's mean over its
     * unmasked positions, {@code Σ_p x[p] / max(u, 1)} with {@code u} the number of unmasked positions.
     */
    @Override
    public MaskedFlow applyMasked(ApplyContext ctx, String path, MaskedFlow in) {
        Tensor m = in.masks().get(0);
        Var x = in.zeroedValues().get(0);
        outputShape(Arrays.copyOfRange(x.shape(), 1, x.rank()));
        if (m == null) {
            return MaskedFlow.unmasked(List.of(apply(ctx, path, x)));
        }
        int n = x.dim(0);
        double[] inv = Masks.unmaskedCounts(m, n, m.size() / Math.max(1, n));
        for (int i = 0; i < n; i++) {
            inv[i] = 1.0 / inv[i];
        }
        Var mean = Ops.mul(Ops.sum(x, GlobalSumPool.spatialAxes(x.rank()), false), Var.of(Tensor.of(inv, n, 1)));
        return new MaskedFlow(List.of(mean), java.util.Collections.singletonList(outputMask(m)));
    }

    /**
     * The rule on masked kernels: the sum over all position pairs (masked entries are zero) divided by
     * {@code u1(x) u2(x′)}, the unmasked position counts of the two examples (the forward pass's means), as
     * neural-tangents divides by the number of unmasked pairs.
     */
    public static Kernel maskedRule(Kernel k) {
        Kernel s = GlobalSumPool.rule(k);
        int q = k.positions();
        double[] c1 = Masks.unmaskedCounts(k.mask1(), k.n1(), q);
        double[] c2 = k.mask2() == k.mask1() && k.n1() == k.n2() ? c1 : Masks.unmaskedCounts(k.mask2(), k.n2(), q);
        Tensor nngp = divide(s.nngp(), c1, c2);
        Tensor ntk = s.ntk() == null ? null : divide(s.ntk(), c1, c2);
        Tensor cov1 = squared(s.cov1(), c1);
        Tensor cov2 = s.cov2() == s.cov1() ? cov1 : squared(s.cov2(), c2);
        return s.withNngp(nngp).withNtk(ntk).withCovs(cov1, cov2);
    }

    private static Tensor divide(Tensor x, double[] a, double[] b) {
        double[] v = x.data(), o = new double[v.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                o[i * b.length + j] = v[i * b.length + j] / (a[i] * b[j]);
            }
        }
        return Tensor.of(o, x.shape());
    }

    private static Tensor squared(Tensor x, double[] c) {
        double[] v = x.data(), o = new double[v.length];
        for (int i = 0; i < c.length; i++) {
            o[i] = v[i] / (c[i] * c[i]);
        }
        return Tensor.of(o, x.shape());
    }

    /** The mean over all position pairs. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.FULL_READOUT;
    }

    /** The rule: the mean over all position pairs, giving a dense kernel (refused on the diagonal layout). */
    public static Kernel rule(Kernel k) {
        PairAxes.requireFullSpatial(k, "globalAvgPool");
        int block = k.layout().block();
        double norm = 1.0 / block;
        return PairAxes.reduce(k, (blockValues, off) -> {
            double s = 0;
            for (int m = 0; m < block; m++) {
                s += blockValues[off + m];
            }
            return s * norm;
        });
    }

    /** A readout: an example is masked only when all its positions are. */
    @Override
    public Tensor outputMask(Tensor mask) {
        return Masks.allPositions(mask);
    }
}
