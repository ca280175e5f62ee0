package org.ntkworkbench.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.ntkworkbench.tensor.Tensor;

/**
 * Fused evaluation, on the diagonal spatial layout (same-position pairs only), of a run of layers from the
 * inputs to a readout (e.g. convs and activations, then flatten), given as their {@link DiagonalStep}s: the
 * analogue of {@link EntrywiseChain} for spatial kernels. The per-example variances go through the steps once
 * (O(n·Q) per step, the whole-array forms of the rules); then each pair of examples is one small map over its
 * Q positions held in four reused buffers: its same-position input inner products, each window as a box mean
 * ({@link PairAxes#window1dInto}, axis by axis), each entrywise rule on the pair's slots
 * ({@link EntrywiseRule.Step#applyDiagonal}), and the readout's mean. No {@code (n1, n2, Q)} array is ever
 * stored: memory is the {@code (n1, n2)} output (and the NTK when asked), so a CNN-GP with a flatten readout
 * costs O(Q·layers) per pair in time and nothing per pair beyond its output in memory.
 *
 * <p>Every entry sees the operations of the layer-by-layer rules ({@code Conv.rule} with
 * {@link PairAxes#diagonalAxis}, {@link EntrywiseRule#applyTo}, {@code Flatten.rule}) in the same order; only
 * the loops are re-ordered. For a kernel of x1 with itself only pairs {@code j ≥ i} are computed and mirrored.
 * Rows of examples run in parallel (row r with row n−1−r in the symmetric case, for balance).
 */
public final class DiagonalChain {
    private DiagonalChain() {}

    /** Work (pairs × positions) above which the rows run in parallel. */
    static final long PARALLEL_WORK = 200_000;

    /** One prepared per-pair operation. */
    private sealed interface Op {}

    /** A window along one axis of the current positions ({@link PairAxes#window1dInto} arguments). */
    private record AxisOp(int outer, int size, int inner, int out, int window, int[] src, double norm) implements Op {
        int inPositions() {
            return outer * size * inner;
        }

        int outPositions() {
            return outer * out * inner;
        }
    }

    /** An entrywise step on {@code q} positions per example. */
    private record EntryOp(EntrywiseRule.Step step, int q) implements Op {}

    /** The mean over {@code q} positions. */
    private record ReadoutOp(int q) implements Op {}

    /**
     * The kernel after {@code steps} (which must end with a {@link DiagonalStep.MeanReadout} and contain no
     * other readout) of images {@code x1 (n1, P…, C)} and {@code x2 (n2, P…, C)} ({@code x2} null or x1: of x1
     * with itself), computed on the diagonal spatial layout; the same result as the input kernel
     * {@code Kernel.fromInputs(x1, x2, true, computeNtk)} taken through the layers' rules one by one. A dense
     * {@code (n1, n2)} kernel; {@code ntk} null unless {@code computeNtk}.
     */
    public static Kernel fromInputs(Tensor x1, Tensor x2, List<DiagonalStep> steps, boolean computeNtk) {
        boolean same = x2 == null || x2 == x1;
        Tensor b = same ? x1 : x2;
        if (x1.rank() < 3 || b.rank() != x1.rank()) {
            throw new IllegalArgumentException("the fused diagonal pass needs spatial inputs (n, P…, C) of one rank, got x1 "
                    + x1.shapeString() + " and x2 " + b.shapeString());
        }
        for (int a = 1; a < x1.rank(); a++) {
            if (x1.dim(a) != b.dim(a)) {
                throw new IllegalArgumentException("x1 " + x1.shapeString() + " and x2 " + b.shapeString()
                        + " differ beyond the example axis");
            }
        }
        if (steps.isEmpty() || !(steps.get(steps.size() - 1) instanceof DiagonalStep.MeanReadout)
                || steps.stream().limit(steps.size() - 1).anyMatch(s -> s instanceof DiagonalStep.MeanReadout)) {
            throw new IllegalArgumentException("the fused diagonal pass needs steps ending with the one readout, got " + steps);
        }
        int n1 = x1.dim(0), n2 = b.dim(0), c = x1.dim(-1);
        int[] spatial = Arrays.copyOfRange(x1.shape(), 1, x1.rank() - 1);
        int q0 = PairLayout.positions(spatial);

        // The variances of each example with itself, as Kernel.fromInputs' diagonal layout computes them.
        double[] var1 = Kernel.selfDiagonal(x1, n1, q0, c);
        double[] var2 = same ? var1 : Kernel.selfDiagonal(b, n2, q0, c);
        int channels = c;
        int[] cur = spatial.clone();
        List<Op> ops = new ArrayList<>();
        int qMax = q0;
        for (DiagonalStep step : steps) {
            int q = PairLayout.positions(cur);
            switch (step) {
                case DiagonalStep.Window w -> {
                    int[] filter = w.filter(), strides = w.strides();
                    PairAxes.checkWindow("conv", cur, filter, strides);
                    for (int a = 0; a < cur.length; a++) {
                        int size = cur[a];
                        int out = PairAxes.outSize(size, filter[a], strides[a], w.padding());
                        int lo = PairAxes.lowPad(size, filter[a], strides[a], w.padding());
                        int outer = 1, inner = 1;
                        for (int d = 0; d < a; d++) {
                            outer *= cur[d];
                        }
                        for (int d = a + 1; d < cur.length; d++) {
                            inner *= cur[d];
                        }
                        ops.add(new AxisOp(outer, size, inner, out, filter[a],
                                PairAxes.windowSources(size, out, filter[a], strides[a], lo, w.padding()), 1.0 / filter[a]));
                        // The variances: the covariance arrays' form of the same window (lead axis: examples).
                        Tensor t1 = PairAxes.diagonalAxis(Tensor.of(var1, covShape(n1, cur)), 1, a, cur, filter[a], strides[a],
                                w.padding());
                        Tensor t2 = same ? t1 : PairAxes.diagonalAxis(Tensor.of(var2, covShape(n2, cur)), 1, a, cur, filter[a],
                                strides[a], w.padding());
                        var1 = t1.data();
                        var2 = same ? var1 : t2.data();
                        cur[a] = out;
                        qMax = Math.max(qMax, PairLayout.positions(cur));
                    }
                    for (int f : filter) {
                        channels *= f;
                    }
                }
                case DiagonalStep.Entrywise e -> {
                    EntrywiseRule.Step s = e.rule().prepare(var1, var2, channels);
                    ops.add(new EntryOp(s, q));
                    var1 = s.var1();
                    var2 = same ? var1 : s.var2();
                    channels = s.channels();
                }
                case DiagonalStep.MeanReadout r -> {
                    ops.add(new ReadoutOp(q));
                    var1 = means(var1, n1, q);
                    var2 = same ? var1 : means(var2, n2, q);
                    channels *= q;
                    cur = new int[0];
                }
            }
        }
        Op[] chain = ops.toArray(new Op[0]);
        double[] nngp = new double[Math.multiplyExact(n1, n2)];
        double[] ntk = computeNtk ? new double[n1 * n2] : null;
        double[] u = x1.data(), v = b.data();
        int width = qMax;
        int tasks = same ? (n1 + 1) / 2 : n1;
        IntStream rows = IntStream.range(0, tasks);
        if ((long) n1 * n2 * q0 * chain.length > PARALLEL_WORK) {
            rows = rows.parallel();
        }
        rows.forEach(r -> {
            double[][] buf = {new double[width], new double[width], new double[width], new double[width]};
            double[] res = new double[2];
            int passes = same && n1 - 1 - r != r ? 2 : 1;
            for (int pass = 0; pass < passes; pass++) {
                int i = pass == 0 ? r : n1 - 1 - r;
                for (int j = same ? i : 0; j < n2; j++) {
                    pair(chain, u, v, i, j, q0, c, computeNtk, buf, res);
                    nngp[i * n2 + j] = res[0];
                    if (ntk != null) {
                        ntk[i * n2 + j] = res[1];
                    }
                    if (same && j != i) {
                        nngp[j * n2 + i] = res[0];
                        if (ntk != null) {
                            ntk[j * n2 + i] = res[1];
                        }
                    }
                }
            }
        });
        Tensor c1 = Tensor.of(var1, n1);
        Tensor c2 = same ? c1 : Tensor.of(var2, n2);
        return Kernel.dense(Tensor.of(nngp, n1, n2), ntk == null ? null : Tensor.of(ntk, n1, n2), c1, c2, same, channels);
    }

    /** The chain on pair (i, j): {@code res[0]} the NNGP, {@code res[1]} the NTK (when asked). */
    private static void pair(Op[] chain, double[] u, double[] v, int i, int j, int q0, int c, boolean computeNtk,
                             double[][] buf, double[] res) {
        double[] a = buf[0], t = computeNtk ? buf[1] : null, sa = buf[2], st = buf[3];
        double inv = 1.0 / c;
        for (int p = 0; p < q0; p++) {
            int ai = (i * q0 + p) * c, bj = (j * q0 + p) * c;
            double s = 0;
            for (int ch = 0; ch < c; ch++) {
                s += u[ai + ch] * v[bj + ch];
            }
            a[p] = s * inv;
        }
        if (t != null) {
            Arrays.fill(t, 0, q0, 0.0);
        }
        for (Op op : chain) {
            switch (op) {
                case AxisOp w -> {
                    PairAxes.window1dInto(a, sa, w.outer(), w.size(), w.inner(), w.out(), w.window(), w.src(), w.norm());
                    double[] swap = a;
                    a = sa;
                    sa = swap;
                    if (t != null) {
                        PairAxes.window1dInto(t, st, w.outer(), w.size(), w.inner(), w.out(), w.window(), w.src(), w.norm());
                        swap = t;
                        t = st;
                        st = swap;
                    }
                }
                case EntryOp e -> e.step().applyDiagonal(i * e.q(), j * e.q(), e.q(), a, t, 0);
                case ReadoutOp r -> {
                    res[0] = mean(a, 0, r.q());
                    if (t != null) {
                        res[1] = mean(t, 0, r.q());
                    }
                    return;
                }
            }
        }
        throw new IllegalStateException("fused diagonal chain without a readout");
    }

    /** {@code Σ_p x[off + p] / q}: Flatten's readout of one block. */
    private static double mean(double[] x, int off, int q) {
        double s = 0;
        for (int p = 0; p < q; p++) {
            s += x[off + p];
        }
        return s / q;
    }

    private static double[] means(double[] var, int n, int q) {
        double[] o = new double[n];
        for (int i = 0; i < n; i++) {
            o[i] = mean(var, i * q, q);
        }
        return o;
    }

    private static int[] covShape(int n, int[] spatial) {
        int[] s = new int[spatial.length + 1];
        s[0] = n;
        System.arraycopy(spatial, 0, s, 1, spatial.length);
        return s;
    }
}
