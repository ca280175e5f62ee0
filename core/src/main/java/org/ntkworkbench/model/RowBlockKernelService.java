package org.ntkworkbench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ntkworkbench.kernel.Symmetry;
import org.ntkworkbench.io.NpyTileFile;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.memory.MemoryPlanner;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Serial;
import org.ntkworkbench.tensor.Tensor;

/**
 * The default {@link KernelService}: splits {@code x1} into row blocks, computes each block's kernel against
 * the whole of {@code x2} on its own thread (BLAS does the Gram matrices), and copies the blocks into
 * the result or, when it does not fit, into NPY files by positional writes. In memory, {@code x2 = x1} is one
 * call of {@code net.kernel(x)} (parallel inside, using the symmetry). In the file path {@code x2 = x1} is cut
 * into square tiles on and above the diagonal, each written with its mirror (symmetric to the last bit, the
 * diagonal from each tile's own kernel, correlation exactly 1), as the Spark engine does.
 */
public final class RowBlockKernelService implements KernelService {
    private final int threads;
    private final long budgetBytes;

    /** With one worker per available core. */
    public RowBlockKernelService() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** With {@code threads ≥ 1} workers. */
    public RowBlockKernelService(int threads) {
        this(threads, 0);
    }

    /**
     * With {@code threads ≥ 1} workers and a fixed working budget for {@link #analytic} ({@code 0}: half
     * the free heap at each call); a small budget forces the tiled path (tests).
     */
    public RowBlockKernelService(int threads, long budgetBytes) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " must be >= 1");
        }
        this.threads = threads;
        this.budgetBytes = budgetBytes;
    }

    private long budget() {
        return budgetBytes > 0 ? budgetBytes : KernelService.heapBudget();
    }

    @Override
    public Kernel analytic(Layer net, Tensor x1, Tensor x2) {
        return analytic(net, x1, x2, true);
    }

    @Override
    public Kernel analytic(Layer net, Tensor x1, Tensor x2, boolean computeNtk) {
        int n1 = x1.dim(0), n2 = x2 == null ? n1 : x2.dim(0);
        long need = estimateBytes(net, n1, n2, perExample(x1));
        if (need > budget() && x1.rank() > 2 && denseOutput(net, x1)) {
            // Spatial intermediates (position pairs) do not fit but the (n1, n2) result does: tiles of
            // examples on both sides, each small enough for one worker's share of the budget.
            return tiled(net, x1, x2, need / ((long) n1 * n2), computeNtk, Integer.MAX_VALUE, done -> { });
        }
        // In memory only: the planner refuses in one line (scripts can go blockwise with analyticOrFiles).
        MemoryPlanner.current().require("the analytic kernel of " + n1 + " x " + n2 + " examples " + x1.shapeString(), need);
        // x2 = x1: one call. The rules are already parallel inside (the activation duals split rows
        // across cores) and use the symmetry (half the pairs), which row blocks would lose.
        if (threads == 1 || x2 == null || x2 == x1 || n1 < 2 * threads || n1 * (long) n2 < 4096) {
            return net.kernel(x1, x2, computeNtk, null);
        }
        Tensor b = x2 == null ? x1 : x2;
        double[] nngp = new double[n1 * n2];
        double[] ntk = new double[n1 * n2];
        double[] cov1 = new double[n1];
        java.util.concurrent.atomic.AtomicReference<Tensor> cov2 = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<org.ntkworkbench.kernel.Gaussianity> gaussianity = new java.util.concurrent.atomic.AtomicReference<>();
        int rows = Math.max(1, (n1 + threads - 1) / threads);
        forBlocksUnchecked(n1, rows, (from, to) -> {
            Kernel k = net.kernel(x1.rowRange(from, to), b, computeNtk, null);
            requireDense(k);
            System.arraycopy(k.nngp().data(), 0, nngp, from * n2, (to - from) * n2);
            if (computeNtk) {
                System.arraycopy(k.ntk().data(), 0, ntk, from * n2, (to - from) * n2);
            }
            System.arraycopy(k.cov1().data(), 0, cov1, from, to - from);
            cov2.compareAndSet(null, k.cov2());
            gaussianity.set(k.gaussianity()); // the same for every block: the model's, not the data's
        });
        boolean same = x2 == null || x2 == x1;
        if (same) {
            Symmetry.averageInPlace(nngp, n1);
            Symmetry.averageInPlace(ntk, n1);
        }
        // With x2 = x1 the variances are the kernel's own diagonal (as Kernel.fromInputs keeps them).
        Tensor c1 = same ? diagonal(nngp, n1, n2) : Tensor.of(cov1, n1);
        return Kernel.dense(Tensor.of(nngp, n1, n2), computeNtk ? Tensor.of(ntk, n1, n2) : null, c1, same ? c1 : cov2.get(),
                same, 0).withGaussianity(gaussianity.get());
    }

    /**
     * The rows of {@link #analytic(Layer, Tensor, Tensor) analytic(net, x1, x2)} in order, with the same calls and so
     * the same bits: {@code x2 = x1} (or small kernels) as one streamed kernel, otherwise the same row blocks of x1
     * (one per worker) streamed one after the other.
     */
    @Override
    public boolean analyticRows(Layer net, Tensor x1, Tensor x2, org.ntkworkbench.kernel.EntrywiseChain.RowSink sink) throws IOException {
        if (!(net instanceof Serial s)) {
            return false;
        }
        int n1 = x1.dim(0), n2 = x2 == null ? n1 : x2.dim(0);
        if (threads == 1 || x2 == null || x2 == x1 || n1 < 2 * threads || n1 * (long) n2 < 4096) {
            return s.streamKernel(x1, x2, sink);
        }
        int rows = Math.max(1, (n1 + threads - 1) / threads);
        for (int from = 0; from < n1; from += rows) {
            int f = from;
            if (!s.streamKernel(x1.rowRange(from, Math.min(n1, from + rows)), x2, (a, b, nngp, ntk) -> sink.rows(f + a, f + b, nngp, ntk))) {
                return false; // decided on the first block: nothing was computed
            }
        }
        return true;
    }

    /**
     * With spatial inputs (where kernels are slow enough to want a progress bar) and a dense output, the
     * kernel is computed in square tiles of at most {@value #PROGRESS_TILE} examples a side on the worker
     * threads (the same tiles as when the position pairs do not fit, see {@link #analytic}), each reported
     * when done; otherwise {@link #analytic(Layer, Tensor, Tensor, boolean)} then one report.
     */
    @Override
    public Kernel analytic(Layer net, Tensor x1, Tensor x2, boolean computeNtk, java.util.function.LongConsumer pairsDone) {
        int n1 = x1.dim(0), n2 = x2 == null ? n1 : x2.dim(0);
        if (x1.rank() <= 2 || (long) n1 * n2 < 4L * PROGRESS_TILE * PROGRESS_TILE || !denseOutput(net, x1)) {
            return KernelService.super.analytic(net, x1, x2, computeNtk, pairsDone);
        }
        long need = estimateBytes(net, n1, n2, perExample(x1));
        return tiled(net, x1, x2, Math.max(1, need / ((long) n1 * n2)), computeNtk, PROGRESS_TILE, pairsDone);
    }

    /** Tile edge (examples) of the progress-reporting path: about 16k pairs per report. */
    static final int PROGRESS_TILE = 128;

    /** True when the model's per-example output has no spatial axes (a readout ends it). */
    private static boolean denseOutput(Layer net, Tensor x) {
        try {
            return net.modelOutputShape(perExample(x)).length <= 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The dense {@code (n1, n2)} kernel from square tiles of examples whose spatial intermediates fit the
     * budget ({@code perPair} bytes per example pair). With {@code x2 = x1} only tiles on and above the
     * diagonal are computed (diagonal tiles as kernels of a block with itself, symmetric to the last bit)
     * and mirrored, so the result is symmetric to the last bit; the covariances are its diagonal.
     */
    private Kernel tiled(Layer net, Tensor x1, Tensor x2, long perPair, boolean computeNtk, int maxTile,
                         java.util.function.LongConsumer pairsDone) {
        boolean same = x2 == null || x2 == x1;
        Tensor b = same ? x1 : x2;
        int n1 = x1.dim(0), n2 = b.dim(0);
        long outBytes = (long) n1 * n2 * 8L * 2;
        long budget = Math.max(budget() - outBytes, 1L << 16);
        int t = (int) Math.max(1, Math.min(Math.min(maxTile, Math.max(n1, n2)),
                Math.sqrt((double) budget / ((long) threads * perPair))));
        double[] nngp = new double[n1 * n2];
        double[] ntk = new double[n1 * n2];
        double[] cov1 = new double[n1];
        double[] cov2 = new double[n2];
        java.util.concurrent.atomic.AtomicBoolean haveNtk = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<org.ntkworkbench.kernel.Gaussianity> gaussianity = new java.util.concurrent.atomic.AtomicReference<>();
        List<int[]> tiles = new ArrayList<>();
        for (int i = 0; i < n1; i += t) {
            for (int j = same ? i : 0; j < n2; j += t) {
                tiles.add(new int[] {i, Math.min(n1, i + t), j, Math.min(n2, j + t)});
            }
        }
        forBlocksUnchecked(tiles.size(), 1, (from, to) -> {
            int[] tile = tiles.get(from);
            int i0 = tile[0], i1 = tile[1], j0 = tile[2], j1 = tile[3];
            Kernel k = same && i0 == j0 ? net.kernel(x1.rowRange(i0, i1), null, computeNtk, null)
                    : net.kernel(x1.rowRange(i0, i1), b.rowRange(j0, j1), computeNtk, null);
            requireDense(k);
            gaussianity.set(k.gaussianity()); // the same for every tile: the model's, not the data's
            double[] kn = k.nngp().data(), kt = k.ntk() == null ? null : k.ntk().data();
            if (kt == null) {
                haveNtk.set(false);
            }
            int w = j1 - j0;
            for (int i = i0; i < i1; i++) {
                System.arraycopy(kn, (i - i0) * w, nngp, i * n2 + j0, w);
                if (kt != null) {
                    System.arraycopy(kt, (i - i0) * w, ntk, i * n2 + j0, w);
                }
                if (same && i0 != j0) {
                    for (int j = j0; j < j1; j++) {
                        nngp[j * n2 + i] = kn[(i - i0) * w + j - j0];
                        if (kt != null) {
                            ntk[j * n2 + i] = kt[(i - i0) * w + j - j0];
                        }
                    }
                }
            }
            if (j0 == 0 || (same && i0 == j0)) {
                System.arraycopy(k.cov1().data(), 0, cov1, i0, i1 - i0);
            }
            if (i0 == 0) {
                System.arraycopy(k.cov2().data(), 0, cov2, j0, j1 - j0);
            }
            pairsDone.accept(same && i0 == j0 ? (long) (i1 - i0) * (i1 - i0 + 1) / 2 : (long) (i1 - i0) * w);
        });
        Tensor c1 = same ? diagonal(nngp, n1, n2) : Tensor.of(cov1, n1);
        Tensor c2 = same ? c1 : Tensor.of(cov2, n2);
        return Kernel.dense(Tensor.of(nngp, n1, n2), haveNtk.get() ? Tensor.of(ntk, n1, n2) : null, c1, c2, same, 0)
                .withGaussianity(gaussianity.get());
    }

    /** Largest tile edge of the file path: 2048² tiles keep a tile's arrays at ~160 MB and n = 20 000 at 55 tasks. */
    static final int FILE_TILE = 2048;

    /**
     * The kernel into NPY files under {@code dir} when it does not fit {@code budgetBytes}. With {@code x2 = x1}
     * only the tiles on and above the diagonal are computed (a diagonal tile as the kernel of its rows with
     * themselves, correlation exactly 1 on the diagonal) and each off-diagonal tile is written with its mirror,
     * so the files are symmetric to the last bit and cost half the arithmetic; otherwise row blocks of the
     * full width. Either way the numbers reach the files by positional writes ({@link NpyTileFile}, the same
     * writer as the Spark engine's), and the files appear under their names only when complete.
     */
    @Override
    public KernelResult analyticOrFiles(Layer net, Tensor x1, Tensor x2, Path dir, long budgetBytes) throws IOException {
        int n1 = x1.dim(0), n2 = x2 == null ? n1 : x2.dim(0);
        long need = estimateBytes(net, n1, n2, perExample(x1));
        if (need <= budgetBytes) {
            return new KernelResult(analytic(net, x1, x2), null, null, n1, n2);
        }
        boolean same = x2 == null || x2 == x1;
        Tensor b = same ? x1 : x2;
        Files.createDirectories(dir);
        Path nngpFile = dir.resolve("nngp.npy"), ntkFile = dir.resolve("ntk.npy");
        try (NpyTileFile wn = NpyTileFile.createFor(nngpFile, n1, n2);
             NpyTileFile wt = NpyTileFile.createFor(ntkFile, n1, n2)) {
            if (same) {
                // Square tiles, one per thread within the budget.
                long perPair = Math.max(1, need / ((long) n1 * n2));
                int t = (int) Math.max(1, Math.min(Math.min(FILE_TILE, n1), Math.sqrt((double) budgetBytes / ((long) threads * perPair))));
                List<int[]> tiles = new ArrayList<>();
                for (int i = 0; i < n1; i += t) {
                    for (int j = i; j < n1; j += t) {
                        tiles.add(new int[] {i, Math.min(n1, i + t), j, Math.min(n1, j + t)});
                    }
                }
                forBlocks(tiles.size(), 1, (from, to) -> {
                    int[] c = tiles.get(from);
                    boolean diagonal = c[0] == c[2];
                    Kernel k = diagonal ? net.kernel(x1.rowRange(c[0], c[1]))
                            : net.kernel(x1.rowRange(c[0], c[1]), x1.rowRange(c[2], c[3]));
                    requireDense(k);
                    wn.writeTile(c[0], c[2], c[1] - c[0], c[3] - c[2], k.nngp().data(), !diagonal);
                    wt.writeTile(c[0], c[2], c[1] - c[0], c[3] - c[2], k.ntk().data(), !diagonal);
                });
            } else {
                // Rows per block so that one block per thread fits the budget.
                long perRow = Math.max(1, need / n1);
                int rows = (int) Math.max(1, Math.min(n1, budgetBytes / ((long) threads * perRow)));
                forBlocks(n1, rows, (from, to) -> {
                    Kernel k = net.kernel(x1.rowRange(from, to), b);
                    requireDense(k);
                    wn.writeRows(from, k.nngp().data());
                    wt.writeRows(from, k.ntk().data());
                });
            }
            wn.commit();
            wt.commit();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(nngpFile);
            Files.deleteIfExists(ntkFile);
            throw e;
        }
        return new KernelResult(null, nngpFile, ntkFile, n1, n2);
    }

    @Override
    public java.util.Map<String, Path> empiricalToFiles(Layer net, java.util.Map<String, Tensor> params, Tensor x1, Tensor x2, List<String> get,
                                                        Path dir, int tile, int rowsInBudget) throws IOException {
        int n1 = x1.dim(0), n2 = x2 == null ? n1 : x2.dim(0);
        boolean same = x2 == null || x2 == x1;
        Tensor b = same ? x1 : x2;
        List<String> names = List.of("nngp", "ntk").stream().filter(get::contains).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("get: name nngp and/or ntk");
        }
        Files.createDirectories(dir);
        java.util.Map<String, Path> files = new java.util.LinkedHashMap<>();
        List<NpyTileFile> writers = new ArrayList<>();
        try {
            for (String g : names) {
                files.put(g, dir.resolve(g + ".npy"));
                writers.add(NpyTileFile.createFor(files.get(g), n1, n2));
            }
            int rows = Math.max(1, Math.min(n1, rowsInBudget));
            if (same) {
                int t = Math.max(1, Math.min(tile, rows));
                for (int i = 0; i < n1; i += t) {
                    for (int j = i; j < n1; j += t) {
                        boolean diagonal = i == j;
                        int i1 = Math.min(n1, i + t), j1 = Math.min(n1, j + t);
                        Tensor a = x1.rowRange(i, i1), c = diagonal ? null : x1.rowRange(j, j1);
                        for (int w = 0; w < names.size(); w++) {
                            writers.get(w).writeTile(i, j, i1 - i, j1 - j, empirical(names.get(w), net, params, a, c).data(), !diagonal);
                        }
                    }
                }
            } else {
                for (int from = 0; from < n1; from += rows) {
                    Tensor a = x1.rowRange(from, Math.min(n1, from + rows));
                    for (int w = 0; w < names.size(); w++) {
                        writers.get(w).writeRows(from, empirical(names.get(w), net, params, a, b).data());
                    }
                }
            }
            for (NpyTileFile w : writers) {
                w.commit();
            }
        } catch (IOException | RuntimeException e) {
            for (NpyTileFile w : writers) {
                w.abort();
            }
            for (Path f : files.values()) {
                Files.deleteIfExists(f);
            }
            throw e;
        }
        return files;
    }

    /** One empirical kernel block (the same calls the Spark engine's tiles make). */
    private static Tensor empirical(String which, Layer net, java.util.Map<String, Tensor> params, Tensor a, Tensor b) {
        return which.equals("nngp") ? org.ntkworkbench.model.empirical.EmpiricalNngp.of(net, params, a, b)
                : ModelExtensions.empiricalNtk(net, params, a, b);
    }

    @Override
    public long estimateBytes(Layer net, int n1, int n2, int... perExampleShape) {
        // Same-position pairs only when the model's readout allows it (Layer#kernel chooses that layout).
        boolean diagonal = net.spatialDiagonal().exactByDefault();
        if (diagonal && perExampleShape.length > 1 && net instanceof Serial s && s.fusesDiagonalReadout()) {
            // The fused per-pair pass (DiagonalChain) stores no position pairs: the (n1, n2) arrays as for dense
            // kernels, plus each example's variances per step (a few copies of (n1 + n2) × positions).
            long positions = 1;
            for (int a = 0; a < perExampleShape.length - 1; a++) {
                positions *= perExampleShape[a];
            }
            double bytes = (double) n1 * n2 * 8.0 * LIVE_ARRAYS + ((double) n1 + n2) * positions * 8.0 * 8;
            return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
        }
        long pairs = 1;
        for (int a = 0; a < perExampleShape.length - 1; a++) {
            pairs *= diagonal ? (long) perExampleShape[a] : (long) perExampleShape[a] * perExampleShape[a];
        }
        // Spatial rules (conv, pooling) keep padded and patch-summed copies of the position-pair arrays as
        // well: measured, the 8 × 8 images of 32 × 32 × 3 under two SAME convs need more than twice the
        // dense factor, so spatial kernels are planned with a factor 3.
        long factor = pairs > 1 ? 3L * LIVE_ARRAYS : LIVE_ARRAYS;
        double bytes = (double) n1 * n2 * 8.0 * factor * pairs;
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    private interface Block {
        void run(int from, int to) throws IOException;
    }

    private void forBlocksUnchecked(int n, int rows, Block block) {
        try {
            forBlocks(n, rows, block);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void forBlocks(int n, int rows, Block block) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kernel-block");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < n; from += rows) {
                int f = from, t = Math.min(n, from + rows);
                futures.add(pool.submit(() -> {
                    block.run(f, t);
                    return null;
                }));
            }
            for (Future<?> fu : futures) {
                fu.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("kernel computation interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void requireDense(Kernel k) {
        if (k.spatial().length != 0) {
            throw new IllegalArgumentException("the model's output kernel is spatial " + java.util.Arrays.toString(k.spatial())
                    + ": end the model with a readout (globalAvgPool, flatten) to get an (n1, n2) kernel");
        }
    }

    private static int[] perExample(Tensor x) {
        return java.util.Arrays.copyOfRange(x.shape(), 1, x.rank());
    }

    private static Tensor diagonal(double[] k, int n1, int n2) {
        int n = Math.min(n1, n2);
        double[] d = new double[n1];
        for (int i = 0; i < n; i++) {
            d[i] = k[i * n2 + i];
        }
        return Tensor.of(d, n1);
    }
}
