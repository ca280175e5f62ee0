package org.ntkworkbench.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * Fused evaluation of a chain of {@link EntrywiseRule}s (a run of dense, activation and identity
 * layers) on a dense kernel: the rules are prepared once on the per-example variances (O(n) each),
 * then every row segment of the kernel passes through all of them while it sits in the cache, so
 * no intermediate {@code n1×n2} array is ever stored. Rows run in parallel; for a kernel of x1 with
 * itself only the upper triangle is computed and then mirrored (symmetric to the last bit).
 *
 * <p>Each entry sees exactly the operations of the layer-by-layer rules in the same order, so the
 * result equals the unfused one (the rules' own contract, {@link EntrywiseRule}); only the memory
 * traffic changes. The mirroring is done tile by tile inside the same pass. {@link #fromInputs} also starts from the Gram matrix without an all-zero input
 * NTK array ({@code Θ⁰ = 0} enters each segment as zeros) and updates the Gram array in place, so
 * a whole network of n examples needs two {@code n×n} arrays: the NNGP (the Gram's storage) and the NTK.
 */
public final class EntrywiseChain {
    private EntrywiseChain() {}

    /** Entries of one row that pass through the chain together (a few KB: stays in L1/L2). */
    static final int SEGMENT = 512;

    /** Tile edge of the symmetric case (two 64×64 tiles of doubles fit in L2 with room to spare). */
    static final int TILE = 64;

    /** Arrays of at least this many doubles (8 MB) are allocated on a second thread in {@link #fromInputs}. */
    static final int PARALLEL_ALLOCATION = 1 << 20;

    /**
     * The chain applied to a dense kernel {@code in} ({@code spatial = []}); new arrays, {@code in} is
     * not modified. An empty chain returns {@code in}.
     */
    public static Kernel apply(Kernel in, List<EntrywiseRule> rules) {
        if (in.spatial().length != 0) {
            throw new IllegalArgumentException("fused entrywise rules need a dense kernel, got spatial "
                    + java.util.Arrays.toString(in.spatial()));
        }
        if (rules.isEmpty()) {
            return in;
        }
        int n1 = in.n1(), n2 = in.n2();
        double[] nngp = in.nngp().data().clone();
        double[] ntk = in.ntk() == null ? null : in.ntk().data().clone();
        boolean sameCov = in.cov2() == in.cov1();
        double[] var1 = in.cov1().data();
        double[] var2 = sameCov ? var1 : in.cov2().data();
        boolean symmetric = in.x1IsX2() && n1 == n2;
        return run(nngp, ntk, n1, n2, var1, var2, in.channels(), in.x1IsX2(), symmetric, rules);
    }

    /**
     * The chain applied to the input kernel of dense inputs {@code x1 (n1, d)} and {@code x2 (n2, d)}
     * ({@code x2} {@code null} or {@code x1}: the kernel of x1 with itself), i.e. the same result as
     * {@code apply(Kernel.fromInputs(x1, x2), rules)}: the same Gram matrix (syrk, or gemm for
     * {@code x2 ≠ x1}) and variances, but the Gram array becomes the output NNGP in place and the zero
     * input NTK is never stored.
     */
    public static Kernel fromInputs(Tensor x1, Tensor x2, List<EntrywiseRule> rules) {
        boolean same = x2 == null || x2 == x1;
        Tensor b = denseSecond(x1, same ? x1 : x2);
        int n1 = x1.dim(0), n2 = b.dim(0), c = x1.dim(1);
        int size = Math.multiplyExact(n1, n2);
        // The NTK array (Θ⁰ = 0: the zeros the segments start from) is allocated on another core while
        // this one allocates the Gram array and runs the syrk: the JVM zeroes a new array in the
        // allocating thread, and for fresh heap pages that zeroing is page faults, not arithmetic.
        CompletableFuture<double[]> ntkArray = size >= PARALLEL_ALLOCATION
                ? CompletableFuture.supplyAsync(() -> new double[size]) : CompletableFuture.completedFuture(new double[size]);
        double[] g = new double[size];
        double[][] variances = gramInto(g, x1, b, same);
        double[] ntk = ntkArray.join();
        return run(g, ntk, n1, n2, variances[0], variances[1], c, same, same, rules);
    }

    /** {@code b} (x2, or x1 itself), checked: fused kernels need dense inputs {@code (n, d)} of the same d. */
    private static Tensor denseSecond(Tensor x1, Tensor b) {
        if (x1.rank() != 2 || b.rank() != 2 || x1.dim(1) != b.dim(1)) {
            throw new IllegalArgumentException("fused kernels need dense inputs (n, d) of the same d, got x1 "
                    + x1.shapeString() + " and x2 " + b.shapeString());
        }
        return b;
    }

    /**
     * Fills {@code g} with the inputs' Gram matrix / d, the same values as {@code Kernel.fromInputs}: for {@code same}
     * (b = x1) syrk's upper triangle only (the only part the chain reads), else gemm. Returns the variances
     * {@code {var1, var2}} (one array twice for {@code same}).
     */
    private static double[][] gramInto(double[] g, Tensor x1, Tensor b, boolean same) {
        int n1 = x1.dim(0), n2 = b.dim(0), c = x1.dim(1);
        if (same) {
            Blas.syrkUpper(false, n1, c, 1.0 / c, x1.data(), 0.0, g);
            double[] var = new double[n1];
            for (int i = 0; i < n1; i++) {
                var[i] = g[i * n1 + i];
            }
            return new double[][] {var, var};
        }
        Blas.gemm(false, true, n1, n2, c, 1.0 / c, x1.data(), b.data(), 0.0, g);
        return new double[][] {Kernel.selfBlocks(x1, n1, 1, c), Kernel.selfBlocks(b, n2, 1, c)};
    }

    /**
     * Receives the rows of a kernel computed by {@link #streamFromInputs}, in row order, one call at a time: rows
     * {@code [from, to)} of the NNGP and the NTK, row-major, {@code (to - from)·n2} doubles each from index 0. The
     * arrays are reused after the call returns.
     */
    @FunctionalInterface
    public interface RowSink {
        /** One block of rows; with {@link #nngpFirst} one of the two arrays is {@code null}. */
        void rows(int from, int to, double[] nngp, double[] ntk) throws java.io.IOException;

        /**
         * True when this sink takes the NNGP and the NTK one after the other: for {@code x2 = x1} the stream then
         * hands over every NNGP row first ({@code ntk} null), as the bands are computed, and every NTK row after the
         * last band ({@code nngp} null), still each in row order. An NPZ writer knows the NNGP entry's CRC (and can
         * hash the file's first entry) while the NTK rows are still being written. False (the default): both arrays
         * in every call. For {@code x2 ≠ x1} (no stored NTK to emit later) both come together either way.
         */
        default boolean nngpFirst() {
            return false;
        }
    }

    /**
     * The same kernel as {@link #fromInputs} (the same bits: the same Gram call, the same steps on the same entries),
     * handed to {@code sink} in blocks of {@value #TILE} rows in order instead of returned as two {@code n1×n2}
     * arrays: only the Gram array is allocated (it takes the NNGP in place as before; for {@code x2 = x1} its unused
     * lower triangle takes the NTK's upper triangle transposed), plus a few row blocks. For an output written to a
     * file (the NPZ of {@code ntk kernel}) that halves the fresh memory touched, which costs more than the arithmetic.
     * With {@code x2 = x1} the upper triangle is computed, and each block is emitted once all blocks above it are
     * done (its left part is their mirror image): symmetric to the last bit, as {@link #fromInputs}. A sink that
     * {@linkplain RowSink#nngpFirst takes the NNGP first} gets the NNGP blocks as they complete and the NTK blocks
     * after the last one (the same values; the NTK's left parts wait in the Gram's lower triangle anyway).
     */
    public static void streamFromInputs(Tensor x1, Tensor x2, List<EntrywiseRule> rules, RowSink sink) throws java.io.IOException {
        boolean same = x2 == null || x2 == x1;
        Tensor b = denseSecond(x1, same ? x1 : x2);
        int n1 = x1.dim(0), n2 = b.dim(0), c = x1.dim(1);
        double[] g = new double[Math.multiplyExact(n1, n2)];
        double[][] variances = gramInto(g, x1, b, same);
        EntrywiseRule.Step[] chain = prepare(rules, variances[0], variances[1], c);
        if (n1 == 0 || n2 == 0) {
            return;
        }
        if (same) {
            new SymmetricStream(chain, g, n1, sink).run();
        } else {
            new RowStream(chain, g, n1, n2, sink).run();
        }
    }

    private static EntrywiseRule.Step[] prepare(List<EntrywiseRule> rules, double[] var1, double[] var2, int channels) {
        List<EntrywiseRule.Step> steps = new ArrayList<>(rules.size());
        double[] v1 = var1, v2 = var2;
        int ch = channels;
        for (EntrywiseRule r : rules) {
            EntrywiseRule.Step s = r.prepare(v1, v2, ch);
            steps.add(s);
            v1 = s.var1();
            v2 = s.var2();
            ch = s.channels();
        }
        return steps.toArray(new EntrywiseRule.Step[0]);
    }

    /** Worker threads for a stream: one per core (the caller's thread is one of them). */
    private static int streamThreads(long entries) {
        return entries > 20_000 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : 1;
    }

    /** Runs {@code body} on {@code threads} threads (the caller's included); the first failure is rethrown. */
    private static void onThreads(int threads, java.util.concurrent.Callable<Void> body) throws java.io.IOException {
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable r = () -> {
            try {
                body.call();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        List<Thread> others = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            Thread th = new Thread(r, "kernel-stream");
            th.setDaemon(true);
            th.start();
            others.add(th);
        }
        r.run();
        for (Thread th : others) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("kernel computation interrupted", e);
            }
        }
        Throwable f = failure.get();
        if (f instanceof java.io.IOException io) {
            throw io;
        }
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error er) {
            throw er;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    /**
     * x2 = x1: bands of {@value #TILE} rows, taken in order by the workers. A band's upper part (j ≥ i) is computed tile
     * by tile through small buffers, its NNGP written back in place over the Gram entries it came from, its NTK
     * transposed into the Gram array's lower triangle (never read by the chain), the NTK diagonal aside. Band B's
     * rows are then complete once bands 0..B are: the NNGP left of the diagonal is column B of the NNGP above, the
     * NTK right of the diagonal is the band's own NTK (stored transposed below it). One worker at a time emits the
     * completed bands in order; for a sink that takes the NNGP first, only their NNGP, and the caller's thread emits
     * every band's NTK once all bands are done.
     */
    private static final class SymmetricStream {
        private final EntrywiseRule.Step[] chain;
        private final double[] g;
        private final int n;
        private final RowSink sink;
        private final int bands;
        private final double[] ntkDiagonal;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicIntegerArray done;
        private final java.util.concurrent.locks.ReentrantLock emitter = new java.util.concurrent.locks.ReentrantLock();
        private volatile boolean failed;
        private int emitted;
        private double[] outNngp;
        private double[] outNtk;
        private double[] columns;
        private final boolean nngpFirst;

        SymmetricStream(EntrywiseRule.Step[] chain, double[] g, int n, RowSink sink) {
            this.chain = chain;
            this.g = g;
            this.n = n;
            this.sink = sink;
            this.nngpFirst = sink.nngpFirst();
            this.bands = (n + TILE - 1) / TILE;
            this.ntkDiagonal = new double[n];
            this.done = new java.util.concurrent.atomic.AtomicIntegerArray(bands);
        }

        void run() throws java.io.IOException {
            onThreads(streamThreads((long) n * n), () -> {
                double[] nb = new double[TILE * TILE];
                double[] tb = new double[TILE * TILE];
                try {
                    for (int band = next.getAndIncrement(); band < bands && !failed; band = next.getAndIncrement()) {
                        computeBand(band, nb, tb);
                        done.set(band, 1);
                        emitReady();
                    }
                } catch (Throwable t) {
                    failed = true;
                    throw t;
                }
                return null;
            });
            emitReady();
            if (emitted != bands) {
                throw new IllegalStateException("kernel stream ended after " + emitted + " of " + bands + " row blocks");
            }
            if (nngpFirst) {
                // Every band is done: the NTK rows are all in the Gram's lower triangle (and the diagonal aside).
                for (int band = 0; band < bands; band++) {
                    emit(band, false, true);
                }
            }
        }

        private void computeBand(int band, double[] nb, double[] tb) {
            int ib = band * TILE, iEnd = Math.min(ib + TILE, n);
            for (int jb = ib; jb < n; jb += TILE) {
                computeTile(ib, iEnd, jb, Math.min(jb + TILE, n), nb, tb);
            }
        }

        /**
         * The tile of rows {@code [ib, iEnd)} and columns {@code [jb, jEnd)} (its part j ≥ i). A method of its own, its
         * rows and its transposed NTK too (as are the pieces of {@link #emit}), so that the JIT compiles small methods
         * with short loops once each: a method whose loops run long (a whole band, or a tile's thousands of entries) is
         * compiled on-stack-replacement first and then again, and C2 compiles big inlined bodies slowly.
         */
        private void computeTile(int ib, int iEnd, int jb, int jEnd, double[] nb, double[] tb) {
            for (int i = ib; i < iEnd; i++) {
                int j0 = Math.max(i, jb);
                if (j0 < jEnd) {
                    computeRow(i, j0, jEnd - j0, nb, tb, (i - ib) * TILE + (j0 - jb));
                }
            }
            ntkBelow(ib, iEnd, jb, jEnd, tb);
        }

        /**
         * Row i's entries {@code [j0, j0 + len)} of the tile, at {@code nb[o..]} and {@code tb[o..]}, through the chain; the
         * NNGP back into the Gram array. Apart from {@link #computeTile} for the same reason as {@link #ntkBelow}: the
         * chain's loop, once per row, would add hundreds of loop iterations per tile.
         */
        private void computeRow(int i, int j0, int len, double[] nb, double[] tb, int o) {
            System.arraycopy(g, i * n + j0, nb, o, len);
            java.util.Arrays.fill(tb, o, o + len, 0.0);
            for (EntrywiseRule.Step s : chain) {
                s.apply(i, j0, len, nb, tb, o);
            }
            System.arraycopy(nb, o, g, i * n + j0, len);
            if (j0 == i) {
                ntkDiagonal[i] = tb[o];
            }
        }

        /**
         * The tile's NTK of (i, j), j > i, into the Gram's lower triangle at (j, i): rows j are written contiguously. Apart
         * from {@link #computeTile} because its thousands of loop iterations per tile would get that method compiled
         * on-stack-replacement (twice) besides its normal compilation.
         */
        private void ntkBelow(int ib, int iEnd, int jb, int jEnd, double[] tb) {
            for (int j = jb; j < jEnd; j++) {
                int row = j * n;
                for (int i = ib; i < Math.min(iEnd, j); i++) {
                    g[row + i] = tb[(i - ib) * TILE + (j - jb)];
                }
            }
        }

        /** Emits every completed band in order; a worker that finds another one emitting goes back to computing. */
        private void emitReady() throws java.io.IOException {
            while (emitted < bands && done.get(emitted) == 1 && !failed) {
                if (!emitter.tryLock()) {
                    return;
                }
                try {
                    while (emitted < bands && done.get(emitted) == 1 && !failed) {
                        emit(emitted, true, !nngpFirst);
                        emitted++;
                    }
                } finally {
                    emitter.unlock();
                }
            }
        }

        /** Band {@code band}'s rows of the NNGP and/or the NTK, put together from the Gram array and handed to the sink. */
        private void emit(int band, boolean withNngp, boolean withNtk) throws java.io.IOException {
            int r0 = band * TILE, r1 = Math.min(r0 + TILE, n);
            if (columns == null) {
                columns = new double[TILE * TILE];
            }
            double[] on = null, ot = null;
            if (withNngp) {
                on = outNngp == null ? (outNngp = new double[TILE * n]) : outNngp;
                nngpRows(r0, r1, on);
            }
            if (withNtk) {
                ot = outNtk == null ? (outNtk = new double[TILE * n]) : outNtk;
                ntkRows(r0, r1, ot);
            }
            sink.rows(r0, r1, on, ot);
        }

        /**
         * The NNGP of rows {@code [r0, r1)}: (i, j < i) the mirror image (j, i), taken for every column block up to and
         * including the band's own; then (i, j ≥ i) where it was computed, copied over the diagonal block's mirrored part.
         */
        private void nngpRows(int r0, int r1, double[] on) {
            for (int j0 = 0; j0 < r1; j0 += TILE) {
                transposed(j0, Math.min(j0 + TILE, r1), r0, r1, on);
            }
            for (int i = r0; i < r1; i++) {
                System.arraycopy(g, i * n + i, on, (i - r0) * n + i, n - i);
            }
        }

        /**
         * The NTK of rows {@code [r0, r1)}: (i, j > i) stored at (j, i), taken for every column block from the band's own
         * on; then (i, j < i) stored in place and the diagonal aside, copied over the diagonal block's mirrored part.
         */
        private void ntkRows(int r0, int r1, double[] ot) {
            for (int j0 = r0; j0 < n; j0 += TILE) {
                transposed(j0, Math.min(j0 + TILE, n), r0, r1, ot);
            }
            for (int i = r0; i < r1; i++) {
                System.arraycopy(g, i * n, ot, (i - r0) * n, i);
                ot[(i - r0) * n + i] = ntkDiagonal[i];
            }
        }

        /**
         * {@code out[(i - r0)·n + j] = g[j·n + i]} for {@code j} in {@code [j0, j1)} and {@code i} in {@code [r0, r1)}: rows
         * j of the block copied into a small contiguous buffer and transposed from there, so that the band's rows are
         * written in runs (written column by column, n doubles apart, a multiple of 4 KiB for n = 4000, every store of a
         * column would fall into the same cache set).
         */
        private void transposed(int j0, int j1, int r0, int r1, double[] out) {
            double[] t = columns;
            int h = r1 - r0, w = j1 - j0;
            for (int j = j0; j < j1; j++) {
                System.arraycopy(g, j * n + r0, t, (j - j0) * TILE, h);
            }
            for (int c = 0; c < h; c++) {
                int o = c * n + j0;
                for (int m = 0; m < w; m++) {
                    out[o + m] = t[c + m * TILE];
                }
            }
        }
    }

    /**
     * x2 ≠ x1: bands of {@value #TILE} rows computed by the workers into their own buffers and emitted in order (a
     * worker whose band is ahead waits for the one before it).
     */
    private static final class RowStream {
        private final EntrywiseRule.Step[] chain;
        private final double[] g;
        private final int n1;
        private final int n2;
        private final RowSink sink;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        private int emitted;
        private boolean failed;

        RowStream(EntrywiseRule.Step[] chain, double[] g, int n1, int n2, RowSink sink) {
            this.chain = chain;
            this.g = g;
            this.n1 = n1;
            this.n2 = n2;
            this.sink = sink;
        }

        void run() throws java.io.IOException {
            int bands = (n1 + TILE - 1) / TILE;
            onThreads(streamThreads((long) n1 * n2), () -> {
                double[] nb = new double[Math.min(TILE, n1) * n2];
                double[] tb = new double[nb.length];
                try {
                    for (int band = next.getAndIncrement(); band < bands; band = next.getAndIncrement()) {
                        int r0 = band * TILE, r1 = Math.min(r0 + TILE, n1);
                        computeBand(r0, r1, nb, tb);
                        if (!emitInTurn(band, r0, r1, nb, tb)) {
                            return null;
                        }
                    }
                } catch (Throwable t) {
                    synchronized (this) {
                        failed = true;
                        notifyAll();
                    }
                    throw t;
                }
                return null;
            });
        }

        /**
         * Rows {@code [r0, r1)} from the Gram array through the chain into {@code nb} (NNGP) and {@code tb} (NTK). As in
         * {@link SymmetricStream}, the band, its rows ({@link #computeRow}) and the emission are small methods of their
         * own, so that the JIT compiles them as they get hot rather than one long worker loop on-stack-replacement (at
         * n1 = 4000, n2 = 1000, with {@code kernel}'s tenfold thresholds, neither gets past C1: the time is in the steps).
         */
        private void computeBand(int r0, int r1, double[] nb, double[] tb) {
            System.arraycopy(g, r0 * n2, nb, 0, (r1 - r0) * n2);
            java.util.Arrays.fill(tb, 0.0);
            for (int i = r0; i < r1; i++) {
                computeRow(i, (i - r0) * n2, nb, tb);
            }
        }

        /** Row i, at {@code nb[o..]} and {@code tb[o..]}, through the chain segment by segment. */
        private void computeRow(int i, int o, double[] nb, double[] tb) {
            for (int j0 = 0; j0 < n2; j0 += SEGMENT) {
                int len = Math.min(SEGMENT, n2 - j0);
                for (EntrywiseRule.Step s : chain) {
                    s.apply(i, j0, len, nb, tb, o + j0);
                }
            }
        }

        /** Hands band {@code band} to the sink once the bands before it are emitted; false when another worker failed. */
        private synchronized boolean emitInTurn(int band, int r0, int r1, double[] nb, double[] tb)
                throws java.io.IOException, InterruptedException {
            while (emitted != band && !failed) {
                wait();
            }
            if (failed) {
                return false;
            }
            sink.rows(r0, r1, nb, tb);
            emitted++;
            notifyAll();
            return true;
        }
    }

    /** Prepares the rules on the variances, then runs every row segment through all of them in place. */
    private static Kernel run(double[] nngp, double[] ntk, int n1, int n2, double[] var1, double[] var2,
                              int channels, boolean x1IsX2, boolean symmetric, List<EntrywiseRule> rules) {
        EntrywiseRule.Step[] chain = prepare(rules, var1, var2, channels);
        // the output's variances and channels: those the last rule leaves (the inputs' when there is no rule)
        EntrywiseRule.Step last = chain.length == 0 ? null : chain[chain.length - 1];
        double[] v1 = last == null ? var1 : last.var1(), v2 = last == null ? var2 : last.var2();
        int ch = last == null ? channels : last.channels();
        if (symmetric) {
            upperTilesMirrored(chain, nngp, ntk, n1);
        } else {
            IntStream rows = IntStream.range(0, n1);
            if ((long) n1 * n2 > 20_000) {
                rows = rows.parallel();
            }
            rows.forEach(i -> {
                for (int j0 = 0; j0 < n2; j0 += SEGMENT) {
                    int len = Math.min(SEGMENT, n2 - j0);
                    for (EntrywiseRule.Step s : chain) {
                        s.apply(i, j0, len, nngp, ntk, i * n2 + j0);
                    }
                }
            });
        }
        Tensor c1 = Tensor.of(v1, n1);
        Tensor c2 = v2 == v1 ? c1 : Tensor.of(v2, n2);
        return Kernel.dense(Tensor.of(nngp, n1, n2), ntk == null ? null : Tensor.of(ntk, n1, n2), c1, c2, x1IsX2, ch);
    }

    /**
     * The symmetric case: the chain on the upper triangle ({@code j ≥ i}) of an {@code n×n} kernel, tile
     * by tile ({@value #TILE}×{@value #TILE}), each tile copied onto its mirror image while it is still in
     * the cache (no second pass over the arrays). Bands of {@value #TILE} rows are the parallel tasks;
     * band b is paired with band B−1−b so that every task has about the same number of entries.
     */
    private static void upperTilesMirrored(EntrywiseRule.Step[] chain, double[] nngp, double[] ntk, int n) {
        int bands = (n + TILE - 1) / TILE;
        IntStream tasks = IntStream.range(0, (bands + 1) / 2);
        if ((long) n * n > 20_000) {
            tasks = tasks.parallel();
        }
        tasks.forEach(t -> {
            upperBand(chain, nngp, ntk, n, t);
            if (bands - 1 - t != t) {
                upperBand(chain, nngp, ntk, n, bands - 1 - t);
            }
        });
    }

    private static void upperBand(EntrywiseRule.Step[] chain, double[] nngp, double[] ntk, int n, int band) {
        int ib = band * TILE, iEnd = Math.min(ib + TILE, n);
        for (int jb = ib; jb < n; jb += TILE) {
            int jEnd = Math.min(jb + TILE, n);
            for (int i = ib; i < iEnd; i++) {
                int j0 = Math.max(i, jb);
                if (j0 < jEnd) {
                    for (EntrywiseRule.Step s : chain) {
                        s.apply(i, j0, jEnd - j0, nngp, ntk, i * n + j0);
                    }
                }
            }
            // The tile's mirror image: entry (i, j), j > i, onto (j, i); rows j are written contiguously.
            for (int j = jb; j < jEnd; j++) {
                int row = j * n;
                for (int i = ib; i < Math.min(iEnd, j); i++) {
                    nngp[row + i] = nngp[i * n + j];
                }
                if (ntk != null) {
                    for (int i = ib; i < Math.min(iEnd, j); i++) {
                        ntk[row + i] = ntk[i * n + j];
                    }
                }
            }
        }
    }
}
