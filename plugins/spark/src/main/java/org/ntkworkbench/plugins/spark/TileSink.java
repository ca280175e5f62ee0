package org.ntkworkbench.plugins.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.ntkworkbench.spi.ArrayFiles;
import org.ntkworkbench.tensor.Tensor;

/**
 * Where the tiles of one kernel land, one tile at a time as tasks finish: dense arrays in memory, or
 * float64 NPY files under temporary names, written row segment by row segment at their positions. A tile of a symmetric kernel is written twice
 * (as itself and, off the diagonal, transposed), so the result is symmetric to the last bit.
 * {@link #finish()} checks that every tile was acknowledged before anything gets its final name.
 *
 * <p>Tiles are placed where they are computed when the task can reach the output: in {@code local[N]}
 * mode the tasks run in the driver's JVM and find the sink in {@link #LOCAL} by id; on executors of the
 * same machine (a loopback cluster) they write into the temporary NPY files themselves
 * ({@link FileTarget}). Then only an acknowledgement travels to the driver; otherwise the tile's arrays
 * do and the driver places them ({@link #accept}). Distinct tiles cover disjoint regions, so tiles
 * are written concurrently without a lock; a retried or speculative task rewrites the same numbers.
 */
abstract class TileSink implements AutoCloseable {
    /** Sinks of running jobs in this JVM, by id: what {@code local[N]} tasks write into directly. */
    private static final Map<String, TileSink> LOCAL = new ConcurrentHashMap<>();

    protected final TileJob job;
    protected final List<String> names;
    private final BitSet seen = new BitSet();
    private int count;
    private final String id = UUID.randomUUID().toString();

    TileSink(TileJob job) {
        this.job = job;
        this.names = new ArrayList<>();
        if (job.nngp) {
            names.add("nngp");
        }
        if (job.ntk) {
            names.add("ntk");
        }
    }

    /**
     * Places the {@code rows × cols} tile {@code v} of array {@code a} at ({@code r0}, {@code c0}) and, with
     * {@code mirror}, its transpose at ({@code c0}, {@code r0}).
     */
    protected abstract void place(int a, int r0, int c0, int rows, int cols, double[] v, boolean mirror);

    /** Stores the per-example variances {@code v} from example {@code offset} on ({@code side} 1: x1, 2: x2); default: dropped. */
    protected void putVariances(int side, int offset, double[] v) {}

    /** Makes this sink reachable by id from tasks in this JVM ({@code local[N]}); undone by {@link #unpublish()}. */
    String publish() {
        LOCAL.put(id, this);
        return id;
    }

    void unpublish() {
        LOCAL.remove(id);
    }

    /** The sink published under {@code id} in this JVM, or {@code null} (the task runs elsewhere). */
    static TileSink published(String id) {
        return id == null ? null : LOCAL.get(id);
    }

    /** Places a tile's numbers (any thread; distinct tiles touch disjoint regions), off the diagonal of a symmetric kernel with its mirror. */
    final void write(Tile t) {
        boolean mirror = job.symmetric() && t.bi != t.bj;
        for (int a = 0; a < names.size(); a++) {
            place(a, t.r0, t.c0, t.rows, t.cols, t.get(names.get(a)), mirror);
        }
        if (t.cov1 != null) {
            putVariances(1, t.r0, t.cov1);
        }
        if (t.cov2 != null) {
            putVariances(2, t.c0, t.cov2);
        }
    }

    /** Counts a tile as arrived (Spark's result thread); a retried or speculative copy counts once. */
    final synchronized void ack(Tile t) {
        int id = t.bi * job.colBlocks() + t.bj;
        if (!seen.get(id)) {
            seen.set(id);
            count++;
        }
    }

    /** A tile that travelled whole to the driver: places it (unless a copy already did) and counts it. */
    final void accept(Tile t) {
        boolean dup;
        synchronized (this) {
            dup = seen.get(t.bi * job.colBlocks() + t.bj);
        }
        if (!dup) {
            write(t);
        }
        ack(t);
    }

    /** Throws if a tile is missing (nothing is then saved). */
    protected final void requireComplete() {
        int expected = job.tiles().size();
        if (count != expected) {
            throw new IllegalStateException("only " + count + " of " + expected + " kernel tiles arrived; nothing was saved");
        }
    }

    /** In-memory arrays {@code (n1, n2)} per name. */
    static final class InMemory extends TileSink {
        private final double[][] arrays;

        InMemory(TileJob job) {
            super(job);
            long size = (long) job.n1() * job.n2();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("a " + job.n1() + " x " + job.n2() + " kernel does not fit a Java array: write it to a file (kernelToFile / --out)");
            }
            arrays = new double[names.size()][(int) size];
            cov1 = new double[job.n1()];
            cov2 = job.symmetric() ? cov1 : new double[job.n2()];
        }

        private final double[] cov1;
        private final double[] cov2;

        @Override
        protected void place(int a, int r0, int c0, int rows, int cols, double[] v, boolean mirror) {
            double[] out = arrays[a];
            int n2 = job.n2();
            for (int i = 0; i < rows; i++) {
                System.arraycopy(v, i * cols, out, (r0 + i) * n2 + c0, cols);
            }
            if (mirror) {
                for (int j = 0; j < cols; j++) {
                    int row = (c0 + j) * n2 + r0;
                    for (int i = 0; i < rows; i++) {
                        out[row + i] = v[i * cols + j];
                    }
                }
            }
        }

        @Override
        protected void putVariances(int side, int offset, double[] v) {
            System.arraycopy(v, 0, side == 1 ? cov1 : cov2, offset, v.length);
        }

        Map<String, Tensor> finish() {
            requireComplete();
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int a = 0; a < names.size(); a++) {
                out.put(names.get(a), Tensor.of(arrays[a], job.n1(), job.n2()));
            }
            if (job.params == null) {
                out.put("cov1", Tensor.of(cov1, job.n1()));
                out.put("cov2", Tensor.of(cov2, job.n2()));
            }
            return out;
        }

        @Override
        public void close() {}
    }

    /**
     * NPY files: {@code out} ending in {@code .npz} becomes an uncompressed NPZ (as {@code np.savez}) built
     * from the finished files; any other {@code out} a directory holding {@code <name>.npy}. Temporary files
     * sit next to {@code out} and are deleted on failure. Tiles reach them through the workbench's tile writer
     * ({@link ArrayFiles.TileFile}: positional writes, the local engine's writer too).
     */
    static final class Files2 extends TileSink {
        private final Path out;
        private final Path[] temps;
        private final ArrayFiles.TileFile[] files;
        private boolean done;

        Files2(TileJob job, Path out) throws IOException {
            super(job);
            this.out = out.toAbsolutePath();
            Path parent = this.out.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            temps = new Path[names.size()];
            files = new ArrayFiles.TileFile[names.size()];
            try {
                for (int a = 0; a < names.size(); a++) {
                    temps[a] = Files.createTempFile(parent, "." + this.out.getFileName() + "." + names.get(a) + ".", ".npy.tmp");
                    files[a] = ArrayFiles.TileFile.create(temps[a], job.n1(), job.n2());
                }
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        @Override
        protected void place(int a, int r0, int c0, int rows, int cols, double[] v, boolean mirror) {
            files[a].writeTile(r0, c0, rows, cols, v, mirror);
        }

        /** Where executors on this machine write their tiles themselves (the temporary files). */
        FileTarget target() {
            String[] paths = new String[temps.length];
            for (int a = 0; a < temps.length; a++) {
                paths[a] = temps[a].toString();
            }
            return new FileTarget(paths);
        }

        /** Flushes, then renames (directory of NPY) or packs (NPZ) into place. */
        void finish() throws IOException {
            requireComplete();
            for (ArrayFiles.TileFile f : files) {
                f.force();
                f.close();
            }
            done = true;
            try {
                if (out.getFileName().toString().endsWith(".npz")) {
                    ArrayFiles.writeAtomically(out, os -> writeStoredNpz(os));
                } else {
                    Files.createDirectories(out);
                    for (int a = 0; a < names.size(); a++) {
                        ArrayFiles.moveIntoPlace(temps[a], out.resolve(names.get(a) + ".npy"));
                    }
                }
            } finally {
                for (Path t : temps) {
                    Files.deleteIfExists(t);
                }
            }
        }

        private void writeStoredNpz(OutputStream os) throws IOException {
            ZipOutputStream zip = new ZipOutputStream(os);
            byte[] buf = new byte[1 << 20];
            for (int a = 0; a < names.size(); a++) {
                CRC32 crc = new CRC32();
                try (InputStream in = Files.newInputStream(temps[a])) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        crc.update(buf, 0, r);
                    }
                }
                ZipEntry e = new ZipEntry(names.get(a) + ".npy");
                e.setMethod(ZipEntry.STORED);
                long size = Files.size(temps[a]);
                e.setSize(size);
                e.setCompressedSize(size);
                e.setCrc(crc.getValue());
                e.setTime(315532800000L + 86400000L); // fixed, as core's Npz does: equal inputs give equal bytes
                zip.putNextEntry(e);
                Files.copy(temps[a], zip);
                zip.closeEntry();
            }
            zip.finish();
        }

        /** Deletes the temporary files. Safe to call more than once. */
        void abort() throws IOException {
            if (!done) {
                done = true;
                for (ArrayFiles.TileFile f : files) {
                    if (f != null) {
                        f.close();
                    }
                }
            }
            for (Path t : temps) {
                if (t != null) {
                    Files.deleteIfExists(t);
                }
            }
        }

        @Override
        public void close() throws IOException {
            abort();
        }
    }

    /**
     * The temporary NPY files of a {@link Files2} sink, as a task on another JVM of the same machine sees
     * them: the task opens the files, writes its tile (and mirror) at their positions with the same writer
     * and closes them again, so no executor keeps a deleted file open. The page cache is shared, so the
     * driver's {@code force} makes it durable.
     */
    record FileTarget(String[] paths) implements Serializable {
        /** Writes tile {@code t} of {@code job} into the files. */
        void write(TileJob job, Tile t) {
            ArrayFiles.TileFile[] files = new ArrayFiles.TileFile[paths.length];
            try {
                for (int a = 0; a < paths.length; a++) {
                    files[a] = ArrayFiles.TileFile.open(Path.of(paths[a]), job.n1(), job.n2());
                }
                new TileSink(job) {
                    @Override
                    protected void place(int a, int r0, int c0, int rows, int cols, double[] v, boolean mirror) {
                        files[a].writeTile(r0, c0, rows, cols, v, mirror);
                    }

                    @Override
                    public void close() {}
                }.write(t);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write the tile into " + String.join(", ", paths) + ": " + e.getMessage(), e);
            } finally {
                for (ArrayFiles.TileFile f : files) {
                    try {
                        if (f != null) {
                            f.close();
                        }
                    } catch (IOException ignored) {
                        // the data is in the page cache already
                    }
                }
            }
        }
    }
}
