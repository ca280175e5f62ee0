package org.ntkworkbench.model.empirical;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ntkworkbench.nn.Params;
import org.ntkworkbench.nn.Trace;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * The structured-derivatives empirical NTK from traced forward passes ({@link Trace}).
 *
 * <p>A linear layer computes {@code z = a·hW + c·b} on rows; an example owns {@code P} consecutive rows
 * (dense: usually 1; conv: its output positions, {@code h} the im2col patches). With
 * {@code δ^o = ∂f_o/∂z} (one backward pass per output unit {@code o}) the per-example gradients are
 * {@code ∂f_o(x_e)/∂W = a Σ_p h_{e,p} δ^{o}_{e,p}ᵀ} and {@code ∂f_o(x_e)/∂b = c Σ_p δ^{o}_{e,p}}, so the
 * layer adds to {@code Θ_{oo′}(e, e′)}
 * <pre>  a² Σ_{p,p′} (h_{e,p}·h_{e′,p′}) (δ^o_{e,p}·δ^{o′}_{e′,p′}) + c² (Σ_p δ^o_{e,p})·(Σ_{p′} δ^{o′}_{e′,p′}).</pre>
 * Summed over {@code o = o′} (the output trace) the δ's of all output units are concatenated along
 * columns, so one product {@code D1 D2ᵀ} covers them. For the full {@code (n·k, n·k)} kernel the rows
 * become (example, output unit) pairs and {@code h} is repeated once per output unit.
 *
 * <p>Each layer is contracted in the cheaper of two gemm forms (by flop count, memory permitting):
 * <ul>
 *   <li>pair form: {@code (h1h2ᵀ) ⊙ (δ1δ2ᵀ)} over (example×position) rows, summed over each
 *       {@code P1×P2} block, computed in blocks of examples in parallel; for {@code P = 1} this is
 *       {@code (a²·h1h2ᵀ + c²) ⊙ δ1δ2ᵀ}, two gemms (syrks) and a Hadamard product;</li>
 *   <li>per-example form: the layer's per-example weight gradients {@code G_e = hᵀ_e δ_e}
 *       ({@code fanIn×width}) and {@code a² G1G2ᵀ}; cheaper for conv layers with many positions and
 *       small filters.</li>
 * </ul>
 */
final class StructuredNtk {
    private StructuredNtk() {}

    /** Elements of one block matrix in the pair form (two per block, one block per thread). */
    private static final long BLOCK_ELEMENTS = 1L << 22;
    /** Largest per-example gradient matrix ({@code m·fanIn·width} doubles) the per-example form may build. */
    private static final long EXAMPLE_FORM_ELEMENTS = 1L << 26;

    /** The two contraction forms of a layer with several rows per example. */
    enum Form { PAIR, EXAMPLE }

    /** When set, every layer with several rows per example uses this form (tests exercise both); else by cost. */
    static volatile Form forcedForm;

    /** Paths of the traced layers that occur exactly once (a layer applied twice shares weights: not covered). */
    static Set<String> coveredPaths(Trace trace) {
        Map<String, Integer> count = new HashMap<>();
        for (Trace.Entry e : trace.entries()) {
            count.merge(e.path(), 1, Integer::sum);
        }
        Set<String> out = new LinkedHashSet<>();
        for (Trace.Entry e : trace.entries()) {
            if (count.get(e.path()) == 1) {
                out.add(e.path());
            }
        }
        return out;
    }

    /** Parameter keys (in map order) that no structured rule covers. */
    static List<String> uncoveredKeys(Trace trace, Map<String, Tensor> params) {
        Set<String> covered = new HashSet<>();
        Set<String> paths = coveredPaths(trace);
        for (Trace.Entry e : trace.entries()) {
            if (paths.contains(e.path())) {
                covered.add(Params.key(e.path(), "W"));
                if (e.hasBias()) {
                    covered.add(Params.key(e.path(), "b"));
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String key : params.keySet()) {
            if (!covered.contains(key)) {
                out.add(key);
            }
        }
        return out;
    }

    /**
     * Adds the structured kernel of the traced layers into {@code out}, skipping layers whose weight key
     * is in {@code excludedKeys} (those are left to Jacobian contraction): the sum over output units
     * {@code (n1, n2)} with {@code trace}, else the full {@code (n1·k, n2·k)}; {@code t2 == null} means
     * {@code x2 = x1} and then only the upper triangle of {@code out} is guaranteed.
     */
    static void addInto(Trace t1, Trace t2, int n1, int n2, int k, boolean trace, double[] out,
                        Collection<String> excludedKeys) {
        boolean sym = t2 == null;
        List<Map<String, Tensor>> d1 = deltas(t1, n1, k);
        List<Map<String, Tensor>> d2 = sym ? d1 : deltas(t2, n2, k);
        double[][] scratch = new double[2][]; // (m1, m2) products reused across layers: less garbage
        for (Trace.Entry e1 : t1.entries()) {
            if (excludedKeys.contains(Params.key(e1.path(), "W"))) {
                continue;
            }
            Trace.Entry e2 = sym ? e1 : t2.entry(e1.path());
            Side s1 = side(e1, d1, n1, k, trace);
            Side s2 = sym ? s1 : side(e2, d2, n2, k, trace);
            double a2 = e1.weightScale() * e1.weightScale();
            double c2 = e1.hasBias() ? e1.biasScale() * e1.biasScale() : 0.0;
            addLayer(s1, s2, sym, a2, c2, e1.hasBias(), out, scratch);
        }
    }

    private static double[] scratch(double[][] scratch, int i, int size) {
        if (scratch[i] == null) {
            scratch[i] = new double[size];
        }
        return scratch[i];
    }

    /** δ^o for every output unit o: one backward pass each with the cotangent e_o at every example. */
    private static List<Map<String, Tensor>> deltas(Trace t, int n, int k) {
        int[] outShape = t.output().shape();
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int o = 0; o < k; o++) {
            out.add(null);
        }
        ParallelBlocks.forEach(k, o -> {
            Tensor cot = Tensor.zeros(outShape);
            double[] c = cot.data();
            for (int e = 0; e < n; e++) {
                c[e * k + o] = 1.0;
            }
            Map<String, Tensor> d = t.deltas(cot);
            synchronized (out) {
                out.set(o, d);
            }
        });
        return out;
    }

    /**
     * One side of a layer's contraction: {@code h} {@code (m·p, fanIn)} and {@code d} {@code (m·p, wd)}
     * for {@code m} row groups ("examples") of {@code p} rows each.
     */
    private record Side(double[] h, double[] d, int m, int p, int fanIn, int wd) {}

    private static Side side(Trace.Entry entry, List<Map<String, Tensor>> deltas, int n, int k, boolean trace) {
        Tensor h = entry.h();
        int p = entry.rowsPerExample();
        int fanIn = h.dim(1);
        int rows = h.dim(0);
        if (rows != n * p) {
            throw new IllegalStateException("layer " + Params.displayPath(entry.path()) + " recorded " + rows
                    + " rows for " + n + " examples of " + p + " rows");
        }
        int w = deltas.get(0).get(entry.path()).dim(1);
        if (k == 1) {
            return new Side(h.data(), deltas.get(0).get(entry.path()).data(), n, p, fanIn, w);
        }
        if (trace) {
            // Concatenate δ^0 … δ^{k−1} along columns: D D′ᵀ then sums over output units.
            double[] d = new double[rows * k * w];
            for (int o = 0; o < k; o++) {
                double[] src = deltas.get(o).get(entry.path()).data();
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(src, r * w, d, (r * k + o) * w, w);
                }
            }
            return new Side(h.data(), d, n, p, fanIn, k * w);
        }
        // Full kernel: row groups are (example, output unit) pairs; h is repeated per output unit.
        double[] hh = new double[rows * k * fanIn];
        double[] d = new double[rows * k * w];
        double[] hs = h.data();
        for (int e = 0; e < n; e++) {
            for (int o = 0; o < k; o++) {
                int group = e * k + o;
                System.arraycopy(hs, e * p * fanIn, hh, group * p * fanIn, p * fanIn);
                System.arraycopy(deltas.get(o).get(entry.path()).data(), e * p * w, d, group * p * w, p * w);
            }
        }
        return new Side(hh, d, n * k, p, fanIn, w);
    }

    private static void addLayer(Side s1, Side s2, boolean sym, double a2, double c2, boolean bias, double[] out,
                                 double[][] scratch) {
        int m1 = s1.m, m2 = s2.m;
        if (s1.p == 1 && s2.p == 1) {
            // (a²·h1h2ᵀ + c²) ⊙ δ1δ2ᵀ
            double[] hh = scratch(scratch, 0, out.length);
            double[] dd = scratch(scratch, 1, out.length);
            product(s1.h, s2.h, m1, m2, s1.fanIn, sym, hh);
            product(s1.d, s2.d, m1, m2, s1.wd, sym, dd);
            for (int r = 0; r < m1; r++) {
                for (int i = r * m2 + (sym ? r : 0), end = (r + 1) * m2; i < end; i++) {
                    out[i] += (a2 * hh[i] + c2) * dd[i];
                }
            }
            return;
        }
        double half = sym ? 0.5 : 1.0;
        double pairFlops = half * 2.0 * m1 * s1.p * (double) m2 * s2.p * (s1.fanIn + s1.wd + 1.0);
        double gradElements = (double) (sym ? m1 : m1 + m2) * s1.fanIn * s1.wd;
        double exampleFlops = 2.0 * (sym ? m1 * s1.p : m1 * s1.p + (double) m2 * s2.p) * s1.fanIn * s1.wd
                + half * 2.0 * m1 * (double) m2 * s1.fanIn * s1.wd;
        Form form = forcedForm != null ? forcedForm
                : exampleFlops < pairFlops && gradElements <= EXAMPLE_FORM_ELEMENTS ? Form.EXAMPLE : Form.PAIR;
        if (form == Form.EXAMPLE) {
            double[] g1 = exampleGradients(s1);
            double[] g2 = sym ? g1 : exampleGradients(s2);
            double[] gg = scratch(scratch, 0, out.length);
            product(g1, g2, m1, m2, s1.fanIn * s1.wd, sym, gg);
            addScaled(out, a2, gg, m1, m2, sym);
        } else {
            pairForm(s1, s2, sym, a2, out);
        }
        if (bias) {
            double[] sum1 = exampleSums(s1);
            double[] sum2 = sym ? sum1 : exampleSums(s2);
            double[] ss = scratch(scratch, 0, out.length);
            product(sum1, sum2, m1, m2, s1.wd, sym, ss);
            addScaled(out, c2, ss, m1, m2, sym);
        }
    }

    /** {@code out += alpha · x} on the {@code (m1, m2)} matrix (upper triangle only when {@code sym}). */
    private static void addScaled(double[] out, double alpha, double[] x, int m1, int m2, boolean sym) {
        for (int r = 0; r < m1; r++) {
            for (int i = r * m2 + (sym ? r : 0), end = (r + 1) * m2; i < end; i++) {
                out[i] += alpha * x[i];
            }
        }
    }

    /**
     * {@code c = a bᵀ} for row-major {@code a (m1, inner)}, {@code b (m2, inner)}; with {@code sym}
     * ({@code b = a}) a syrk filling the upper triangle only.
     */
    private static void product(double[] a, double[] b, int m1, int m2, int inner, boolean sym, double[] c) {
        if (sym) {
            Blas.syrkUpper(false, m1, inner, 1.0, a, 0.0, c);
        } else {
            Blas.gemm(false, true, m1, m2, inner, 1.0, a, b, 0.0, c);
        }
    }

    /** Per-row-group gradients {@code G_e = h_eᵀ δ_e}, flattened: {@code (m, fanIn·wd)}. */
    private static double[] exampleGradients(Side s) {
        int size = s.fanIn * s.wd;
        double[] g = new double[s.m * size];
        int chunk = 64;
        ParallelBlocks.forEach((s.m + chunk - 1) / chunk, c -> {
            for (int e = c * chunk; e < Math.min(s.m, (c + 1) * chunk); e++) {
                Blas.gemm(true, false, s.fanIn, s.wd, s.p, 1.0, s.h, e * s.p * s.fanIn, s.d, e * s.p * s.wd,
                        0.0, g, e * size);
            }
        });
        return g;
    }

    /** Per-row-group sums of δ over positions: {@code (m, wd)}. */
    private static double[] exampleSums(Side s) {
        double[] out = new double[s.m * s.wd];
        for (int e = 0; e < s.m; e++) {
            for (int p = 0; p < s.p; p++) {
                int src = (e * s.p + p) * s.wd;
                for (int j = 0; j < s.wd; j++) {
                    out[e * s.wd + j] += s.d[src + j];
                }
            }
        }
        return out;
    }

    /**
     * {@code a² Σ_{p,p′} (h1h2ᵀ ⊙ δ1δ2ᵀ)} per pair of row groups, in blocks of row groups of side 1 (in
     * parallel; each block writes its own rows of {@code out}); with {@code sym} only blocks on or above
     * the diagonal.
     */
    private static void pairForm(Side s1, Side s2, boolean sym, double a2, double[] out) {
        int m1 = s1.m, m2 = s2.m, p1 = s1.p, p2 = s2.p;
        long perGroup = (long) p1 * m2 * p2;
        int groups = (int) Math.max(1, Math.min(m1, BLOCK_ELEMENTS / Math.max(1, perGroup)));
        int blocks = (m1 + groups - 1) / groups;
        ParallelBlocks.forEach(blocks, bi -> {
            int e0 = bi * groups, e1 = Math.min(m1, e0 + groups);
            int c0 = sym ? e0 : 0;
            int rows = (e1 - e0) * p1, cols = (m2 - c0) * p2;
            double[] hh = new double[rows * cols];
            double[] dd = new double[rows * cols];
            Blas.gemm(false, true, rows, cols, s1.fanIn, 1.0, s1.h, e0 * p1 * s1.fanIn, s2.h, c0 * p2 * s2.fanIn,
                    0.0, hh, 0);
            Blas.gemm(false, true, rows, cols, s1.wd, 1.0, s1.d, e0 * p1 * s1.wd, s2.d, c0 * p2 * s2.wd,
                    0.0, dd, 0);
            for (int e = e0; e < e1; e++) {
                for (int f = c0; f < m2; f++) {
                    double s = 0;
                    for (int p = 0; p < p1; p++) {
                        int base = ((e - e0) * p1 + p) * cols + (f - c0) * p2;
                        for (int q = 0; q < p2; q++) {
                            s += hh[base + q] * dd[base + q];
                        }
                    }
                    out[e * m2 + f] += a2 * s;
                }
            }
        });
    }
}
