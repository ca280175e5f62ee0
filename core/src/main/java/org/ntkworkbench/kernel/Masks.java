package org.ntkworkbench.kernel;

import java.util.Arrays;
import org.ntkworkbench.tensor.Tensor;

/**
 * Input masks (neural-tangents' {@code mask_constant}): the arrays and rules every layer's mask propagation
 * shares. A mask is a {@code (n, spatial…)} array (dense features: {@code (n)}), {@code 1} where that position
 * of that example is masked, {@code 0} elsewhere; {@code null} means nothing is masked. Semantics: a masked
 * position carries zero (the finite network's inputs are zeroed there before every layer, and the kernel's
 * entries that involve it are zero, {@link #remask}); layers that reduce over positions (global average pooling,
 * layer normalisation over positions, attention's keys) use only the unmasked ones.
 */
public final class Masks {
    private Masks() {}

    /** True when {@code v} is the mask constant {@code c} (NaN matches NaN, as neural-tangents' {@code isnan}). */
    public static boolean matches(double v, double c) {
        return Double.isNaN(c) ? Double.isNaN(v) : v == c;
    }

    /**
     * The mask of inputs {@code x (n, spatial…, C)} (or {@code (n, C)}): a position is masked when every one of
     * its channels equals {@code constant}. {@code null} when nothing is masked.
     */
    public static Tensor of(Tensor x, double constant) {
        int[] shape = x.shape();
        int c = shape[shape.length - 1];
        double[] v = x.data();
        double[] m = new double[v.length / Math.max(1, c)];
        boolean any = false;
        for (int r = 0; r < m.length; r++) {
            boolean all = c > 0;
            for (int ch = 0; ch < c && all; ch++) {
                all = matches(v[r * c + ch], constant);
            }
            if (all) {
                m[r] = 1;
                any = true;
            }
        }
        return any ? Tensor.of(m, Arrays.copyOf(shape, shape.length - 1)) : null;
    }

    /** {@code x} with every entry equal to {@code constant} set to zero (neural-tangents' {@code _get_masked_array}). */
    public static Tensor zeroed(Tensor x, double constant) {
        double[] v = x.data(), o = v.clone();
        for (int i = 0; i < o.length; i++) {
            if (matches(o[i], constant)) {
                o[i] = 0;
            }
        }
        return Tensor.of(o, x.shape());
    }

    /** True when {@code mask} masks something. */
    public static boolean any(Tensor mask) {
        if (mask == null) {
            return false;
        }
        for (double d : mask.data()) {
            if (d != 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code 1 − mask} as a {@code (n, spatial…, 1)} array, to multiply a batch {@code (n, spatial…, C)} by. */
    public static Tensor keep(Tensor mask) {
        double[] m = mask.data(), k = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            k[i] = m[i] != 0 ? 0 : 1;
        }
        int[] s = Arrays.copyOf(mask.shape(), mask.rank() + 1);
        s[s.length - 1] = 1;
        return Tensor.of(k, s);
    }

    /** Masked where both are (neural-tangents' {@code _sum_masks}: a sum is zero only where every term is); null is unmasked. */
    public static Tensor and(Tensor a, Tensor b) {
        if (a == null || b == null) {
            return null;
        }
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("masks of shapes " + a.shapeString() + " and " + b.shapeString() + " cannot be combined");
        }
        double[] x = a.data(), y = b.data(), o = new double[x.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = x[i] != 0 && y[i] != 0 ? 1 : 0;
        }
        return Tensor.of(o, a.shape());
    }

    /** Per example: masked when all its positions are ({@code (n)}; a readout such as globalAvgPool or flatten). */
    public static Tensor allPositions(Tensor mask) {
        if (mask == null) {
            return null;
        }
        int n = mask.dim(0), q = mask.size() / Math.max(1, n);
        double[] m = mask.data(), o = new double[n];
        for (int i = 0; i < n; i++) {
            boolean all = true;
            for (int p = 0; p < q && all; p++) {
                all = m[i * q + p] != 0;
            }
            o[i] = all ? 1 : 0;
        }
        return Tensor.of(o, n);
    }

    /** Per example, the number of unmasked positions, at least 1 (neural-tangents' {@code mean_and_var} floor). */
    public static double[] unmaskedCounts(Tensor mask, int n, int q) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            int u = q;
            if (mask != null) {
                for (int p = 0; p < q; p++) {
                    if (mask.data()[i * q + p] != 0) {
                        u--;
                    }
                }
            }
            c[i] = Math.max(u, 1);
        }
        return c;
    }

    /**
     * The output mask of a windowed layer (conv, avgPool, sumPool): each output position takes the mask of its
     * window's centre tap, input position {@code o·s − lo + (f − 1)/2} per axis (wrapped for CIRCULAR), as
     * neural-tangents' {@code _pool_mask}. So SAME and CIRCULAR with stride 1 keep the mask, and a SAME conv of a
     * padded, masked sequence is masked exactly on the padding.
     */
    public static Tensor windowCentres(Tensor mask, int[] window, int[] strides, Padding padding) {
        if (mask == null) {
            return null;
        }
        int[] in = Arrays.copyOfRange(mask.shape(), 1, mask.rank());
        if (in.length != window.length) {
            throw new IllegalArgumentException("mask " + mask.shapeString() + " does not fit a window of " + window.length + " axes");
        }
        int[] out = new int[in.length];
        int[][] centre = new int[in.length][];
        for (int a = 0; a < in.length; a++) {
            out[a] = PairAxes.outSize(in[a], window[a], strides[a], padding);
            int lo = PairAxes.lowPad(in[a], window[a], strides[a], padding);
            centre[a] = new int[out[a]];
            for (int o = 0; o < out[a]; o++) {
                int t = o * strides[a] - lo + (window[a] - 1) / 2;
                centre[a][o] = padding == Padding.CIRCULAR ? Math.floorMod(t, in[a]) : Math.min(Math.max(t, 0), in[a] - 1);
            }
        }
        int n = mask.dim(0), qi = PairLayout.positions(in), qo = PairLayout.positions(out);
        double[] m = mask.data(), o = new double[n * qo];
        int[] idx = new int[out.length];
        for (int p = 0; p < qo; p++) {
            PairLayout.unravel(p, out, idx);
            int src = 0;
            for (int a = 0; a < out.length; a++) {
                src = src * in[a] + centre[a][idx[a]];
            }
            for (int i = 0; i < n; i++) {
                o[i * qo + p] = m[i * qi + src];
            }
        }
        int[] shape = new int[out.length + 1];
        shape[0] = n;
        System.arraycopy(out, 0, shape, 1, out.length);
        return Tensor.of(o, shape);
    }

    /**
     * The output mask of a fixed linear map of positions {@code r} ({@code Q_out × Q_in}, row-major; output spatial shape
     * {@code outSpatial}): an output position is masked when every input position it reads with a non-zero weight is
     * masked (neural-tangents' {@code ~dot(~mask)} of {@code DotGeneral}, and {@code mask[idx]} of {@code Index}, a
     * selection); one reading nothing is masked (it is zero).
     */
    public static Tensor mapped(Tensor mask, double[] r, int[] outSpatial) {
        if (mask == null) {
            return null;
        }
        int n = mask.dim(0), qi = mask.size() / Math.max(1, n), qo = PairLayout.positions(outSpatial);
        if (r.length != qo * qi) {
            throw new IllegalArgumentException("a map of " + r.length + " entries does not fit a mask " + mask.shapeString());
        }
        double[] m = mask.data(), o = new double[n * qo];
        for (int e = 0; e < n; e++) {
            for (int p = 0; p < qo; p++) {
                boolean all = true;
                for (int i = 0; i < qi && all; i++) {
                    all = r[p * qi + i] == 0 || m[e * qi + i] != 0;
                }
                o[e * qo + p] = all ? 1 : 0;
            }
        }
        int[] shape = new int[outSpatial.length + 1];
        shape[0] = n;
        System.arraycopy(outSpatial, 0, shape, 1, outSpatial.length);
        return Tensor.of(o, shape);
    }

    /**
     * {@code k} with masks {@code m1}, {@code m2} (of x1's and x2's examples; {@code m2} is ignored for a kernel of
     * x1 with itself) and every entry that pairs a masked position zeroed: NNGP, NTK and the covariances (a masked
     * position carries zero). The masks must have the kernel's examples and spatial shape.
     */
    public static Kernel remask(Kernel k, Tensor m1, Tensor m2) {
        if (k.x1IsX2()) {
            m2 = m1;
        }
        if (!any(m1) && !any(m2)) {
            return k.withMasks(m1, m2);
        }
        PairLayout lay = k.layout();
        int q = lay.positions();
        check(m1, k.n1(), k.spatial());
        check(m2, k.n2(), k.spatial());
        Tensor nngp = zero(k.nngp(), lay, m1, m2, k.n2(), false);
        Tensor ntk = k.ntk() == null ? null : zero(k.ntk(), lay, m1, m2, k.n2(), false);
        Tensor cov1 = zero(k.cov1(), lay, m1, m1, 1, true);
        Tensor cov2 = k.cov2() == k.cov1() ? cov1 : k.cov2() == null ? null : zero(k.cov2(), lay, m2, m2, 1, true);
        return k.withArrays(nngp, ntk, cov1, cov2).withMasks(m1, m2);
    }

    private static void check(Tensor m, int n, int[] spatial) {
        if (m == null) {
            return;
        }
        int[] want = new int[spatial.length + 1];
        want[0] = n;
        System.arraycopy(spatial, 0, want, 1, spatial.length);
        if (!Arrays.equals(m.shape(), want)) {
            throw new IllegalArgumentException("mask " + m.shapeString() + " does not fit a kernel of " + n + " examples with spatial shape "
                    + Arrays.toString(spatial));
        }
    }

    private static Tensor zero(Tensor x, PairLayout lay, Tensor mA, Tensor mB, int n2, boolean covariance) {
        if (mA == null && mB == null) {
            return x;
        }
        int q = lay.positions(), block = lay.block();
        double[] v = x.data(), o = v.clone();
        double[] a = mA == null ? null : mA.data(), b = mB == null ? null : mB.data();
        int n1 = v.length / (block * n2);
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                int ex = covariance ? i : j;
                int base = (i * n2 + j) * block;
                for (int m = 0; m < block; m++) {
                    if ((a != null && a[i * q + lay.posA(m)] != 0) || (b != null && b[ex * q + lay.posB(m)] != 0)) {
                        o[base + m] = 0;
                    }
                }
            }
        }
        return Tensor.of(o, x.shape());
    }
}
