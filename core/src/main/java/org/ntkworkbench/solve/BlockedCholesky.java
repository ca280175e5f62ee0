package org.ntkworkbench.solve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ntkworkbench.memory.MemoryPlanner;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Lapack;

/**
 * A Cholesky factorisation {@code A = L Lᵀ} whose tiles live in a file, for symmetric positive
 * definite matrices larger than the heap (a kernel plus ridge). Left-looking by tile columns: for tile
 * column J, every tile {@code A_IJ} (I ≥ J) is produced by {@link TileSource}, updated with
 * {@code A_IJ −= Σ_{K<J} L_IK L_JKᵀ} (gemm), the diagonal tile factored (dpotrf) and the tiles below it
 * solved ({@code L_IJ = A_IJ L_JJ⁻ᵀ}, dtrsm). Only a handful of tiles are in memory at a time; the
 * file holds the lower triangle of tiles, in float64 or (half the disk and I/O) float32 — products and
 * sums are always float64, float32 only rounds what is stored. The file is read and written with
 * positional I/O, not mapped, so the operating system's page cache (not the process) holds it.
 * {@link #solve} runs the two blocked triangular solves through the same tiles.
 */
public final class BlockedCholesky implements AutoCloseable {
    private final int n;
    private final int tile;
    private final int tiles;
    private final boolean float32;
    private final Path file;
    private final FileChannel channel;
    private final SolveReport report;

    /** Fills {@code out} (row-major {@code (r1 − r0) × (c1 − c0)}) with {@code A[r0:r1, c0:c1]}. */
    @FunctionalInterface
    public interface TileSource {
        void fill(int r0, int r1, int c0, int c1, double[] out);
    }

    private BlockedCholesky(int n, int tile, boolean float32, Path file, FileChannel channel, Map<String, Object> details) {
        this.n = n;
        this.tile = tile;
        this.tiles = (n + tile - 1) / tile;
        this.float32 = float32;
        this.file = file;
        this.channel = channel;
        this.report = new SolveReport("blocked-cholesky", 0, 0, Double.NaN, true, details);
    }

    /** Peak heap bytes of a factorisation with this tile size (four tiles plus LAPACK's copies). */
    public static long estimateBytes(int tile) {
        return 7L * tile * tile * 8;
    }

    /** The largest tile (a multiple of 64, at most 4096) whose {@link #estimateBytes} fits half the planner's budget. */
    public static int tileFor(int n, MemoryPlanner planner) {
        int t = 4096;
        while (t > 64 && estimateBytes(t) > planner.budgetBytes() / 2) {
            t -= 64;
        }
        return Math.min(t, Math.max(1, n));
    }

    /**
     * Factors the {@code n × n} matrix given by {@code source} into tiles of {@code tile} rows stored in
     * {@code file} (created; deleted by {@link #close()}).
     *
     * @throws ArithmeticException when a diagonal tile is not positive definite (add a ridge)
     */
    public static BlockedCholesky factor(int n, int tile, boolean float32, Path file, TileSource source, MemoryPlanner planner,
                                         ProgressBar progress) throws IOException {
        if (n < 1 || tile < 1) {
            throw new IllegalArgumentException("blocked Cholesky: n " + n + " and tile " + tile + " must be positive");
        }
        planner.require("the blocked Cholesky factorisation with " + tile + " x " + tile + " tiles", estimateBytes(tile));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tile", tile);
        details.put("storage", float32 ? "float32" : "float64");
        BlockedCholesky c = new BlockedCholesky(n, tile, float32, file, ch, details);
        try {
            long t0 = System.nanoTime();
            c.factor(source, progress);
            details.put("seconds_factor", (System.nanoTime() - t0) * 1e-9);
            details.put("file_bytes", c.tiles * (c.tiles + 1L) / 2 * tile * (long) tile * (float32 ? 4 : 8));
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void factor(TileSource source, ProgressBar progress) throws IOException {
        long work = (long) tiles * (tiles + 1) / 2;
        long done = 0;
        progress.start(String.format(Locale.ROOT, "blocked Cholesky %d x %d (%d tiles of %d)", n, n, work, tile), work);
        for (int j = 0; j < tiles; j++) {
            int bj = size(j);
            double[] ljj = null;
            for (int i = j; i < tiles; i++) {
                int bi = size(i);
                double[] a = new double[bi * bj];
                source.fill(i * tile, i * tile + bi, j * tile, j * tile + bj, a);
                for (int k = 0; k < j; k++) {
                    int bk = size(k);
                    double[] lik = read(i, k, bi * bk);
                    double[] ljk = i == j ? lik : read(j, k, bj * bk);
                    Blas.gemm(false, true, bi, bj, bk, -1.0, lik, ljk, 1.0, a);
                }
                if (i == j) {
                    try {
                        ljj = Lapack.potrf(a, bj);
                    } catch (ArithmeticException e) {
                        throw new ArithmeticException("blocked Cholesky: the matrix is not positive definite in rows "
                                + (j * tile) + ".." + (j * tile + bj) + " (add a ridge, e.g. --diag-reg)");
                    }
                    write(j, j, ljj);
                } else {
                    Blas.trsm(false, true, true, bi, bj, 1.0, ljj, a);
                    write(i, j, a);
                }
                progress.update(++done);
            }
        }
    }

    /** Solves {@code A X = B} for row-major {@code n × k} right-hand sides. */
    public double[] solve(double[] b, int k) {
        if (b.length != (long) n * k) {
            throw new IllegalArgumentException("blocked Cholesky solve: " + b.length + " values for " + n + " x " + k);
        }
        double[] x = b.clone();
        try {
            // L z = b
            for (int i = 0; i < tiles; i++) {
                int bi = size(i);
                double[] zi = new double[bi * k];
                System.arraycopy(x, i * tile * k, zi, 0, bi * k);
                for (int c = 0; c < i; c++) {
                    int bc = size(c);
                    Blas.gemm(false, false, bi, k, bc, -1.0, read(i, c, bi * bc), 0, x, c * tile * k, 1.0, zi, 0);
                }
                Blas.trsm(true, true, false, bi, k, 1.0, read(i, i, bi * bi), zi);
                System.arraycopy(zi, 0, x, i * tile * k, bi * k);
            }
            // Lᵀ x = z
            for (int i = tiles - 1; i >= 0; i--) {
                int bi = size(i);
                double[] xi = new double[bi * k];
                System.arraycopy(x, i * tile * k, xi, 0, bi * k);
                for (int c = i + 1; c < tiles; c++) {
                    int bc = size(c);
                    Blas.gemm(true, false, bi, k, bc, -1.0, read(c, i, bc * bi), 0, x, c * tile * k, 1.0, xi, 0);
                }
                Blas.trsm(true, true, true, bi, k, 1.0, read(i, i, bi * bi), xi);
                System.arraycopy(xi, 0, x, i * tile * k, bi * k);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return x;
    }

    /** What the factorisation did (tile, storage, seconds, file bytes). */
    public SolveReport report() {
        return report;
    }

    /** The order n. */
    public int size() {
        return n;
    }

    private int size(int t) {
        return Math.min(tile, n - t * tile);
    }

    private long offset(int i, int j) {
        long index = (long) i * (i + 1) / 2 + j;
        return index * tile * (long) tile * (float32 ? 4 : 8);
    }

    private void write(int i, int j, double[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * (float32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        if (float32) {
            for (double v : values) {
                buf.putFloat((float) v);
            }
        } else {
            buf.asDoubleBuffer().put(values);
        }
        buf.rewind();
        long pos = offset(i, j);
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
    }

    private double[] read(int i, int j, int count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(count * (float32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        long pos = offset(i, j);
        while (buf.hasRemaining()) {
            int r = channel.read(buf, pos);
            if (r < 0) {
                throw new IOException(file + ": tile (" + i + ", " + j + ") is cut off");
            }
            pos += r;
        }
        buf.flip();
        double[] out = new double[count];
        if (float32) {
            for (int e = 0; e < count; e++) {
                out[e] = buf.getFloat();
            }
        } else {
            buf.asDoubleBuffer().get(out);
        }
        return out;
    }

    /** Closes and deletes the tile file. */
    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }
}
