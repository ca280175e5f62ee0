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
        Tensor b = same ? x1 : x2;
        if (x1.rank() != 2 || b.rank() != 2 || x1.dim(1) != b.dim(1)) {
            throw new IllegalArgumentException("fused kernels need dense inputs (n, d) of the same d, got x1 "
                    + x1.shapeString() + " and x2 " + b.shapeString());
        }
        int n1 = x1.dim(0), n2 = b.dim(0), c = x1.dim(1);
        int size = Math.multiplyExact(n1, n2);
        // The NTK array (Θ⁰ = 0: the zeros the segments start from) is allocated on another core while
        // this one allocates the Gram array and runs the syrk: the JVM zeroes a new array in the
        // allocating thread, and for fresh heap pages that zeroing is page faults, not arithmetic.
        CompletableFuture<double[]> ntkArray = size >= PARALLEL_ALLOCATION
                ? CompletableFuture.supplyAsync(() -> new double[size]) : CompletableFuture.completedFuture(new double[size]);
        double[] g = new double[size];
        double[] var1, var2;
        if (same) {
            // Only the upper triangle is read: the same values Kernel.fromInputs' syrk mirrors.
            Blas.syrkUpper(false, n1, c, 1.0 / c, x1.data(), 0.0, g);
            var1 = new double[n1];
            for (int i = 0; i < n1; i++) {
                var1[i] = g[i * n1 + i];
            }
            var2 = var1;
        } else {
            Blas.gemm(false, true, n1, n2, c, 1.0 / c, x1.data(), b.data(), 0.0, g);
            var1 = Kernel.selfBlocks(x1, n1, 1, c);
            var2 = Kernel.selfBlocks(b, n2, 1, c);
        }
        double[] ntk = ntkArray.join();
        return run(g, ntk, n1, n2, var1, var2, c, same, same, rules);
    }

    /** Prepares the rules on the variances, then runs every row segment through all of them in place. */
    private static Kernel run(double[] nngp, double[] ntk, int n1, int n2, double[] var1, double[] var2,
                              int channels, boolean x1IsX2, boolean symmetric, List<EntrywiseRule> rules) {
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
        EntrywiseRule.Step[] chain = steps.toArray(new EntrywiseRule.Step[0]);
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
