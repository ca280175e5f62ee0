package org.ntkworkbench.plugins.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * memory-mapped float64 NPY files under temporary names. A tile of a symmetric kernel is written twice
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

    /** Writes {@code len} values from {@code src[off…]} at row {@code row}, column {@code col} of array {@code a}. */
    protected abstract void put(int a, int row, int col, double[] src, int off, int len);

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

    /** Places a tile's numbers (any thread; distinct tiles touch disjoint regions). */
    final void write(Tile t) {
        for (int a = 0; a < names.size(); a++) {
            double[] v = t.get(names.get(a));
            for (int i = 0; i < t.rows; i++) {
                put(a, t.r0 + i, t.c0, v, i * t.cols, t.cols);
            }
            if (job.symmetric() && t.bi != t.bj) {
                double[] column = new double[t.rows];
                for (int j = 0; j < t.cols; j++) {
                    for (int i = 0; i < t.rows; i++) {
                        column[i] = v[i * t.cols + j];
                    }
                    put(a, t.c0 + j, t.r0, column, 0, t.rows);
                }
            }
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
        protected void put(int a, int row, int col, double[] src, int off, int len) {
            System.arraycopy(src, off, arrays[a], row * job.n2() + col, len);
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
     * Memory-mapped NPY files: {@code out} ending in {@code .npz} becomes an uncompressed NPZ (as
     * {@code np.savez}) built from the finished files; any other {@code out} a directory holding
     * {@code <name>.npy}. Temporary files sit next to {@code out} and are deleted on failure.
     */
    static final class Files2 extends TileSink {
        private static final ValueLayout.OfDouble F8 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private final Path out;
        private final Path[] temps;
        private final FileChannel[] channels;
        private final MemorySegment[] data;
        private final Arena arena = Arena.ofShared();
        private boolean done;

        Files2(TileJob job, Path out) throws IOException {
            super(job);
            this.out = out.toAbsolutePath();
            Path parent = this.out.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            temps = new Path[names.size()];
            channels = new FileChannel[names.size()];
            data = new MemorySegment[names.size()];
            byte[] header = ArrayFiles.npyHeader(job.n1(), job.n2());
            long bytes = 8L * job.n1() * job.n2();
            try {
                for (int a = 0; a < names.size(); a++) {
                    temps[a] = Files.createTempFile(parent, "." + this.out.getFileName() + "." + names.get(a) + ".", ".npy.tmp");
                    channels[a] = FileChannel.open(temps[a], StandardOpenOption.READ, StandardOpenOption.WRITE);
                    channels[a].write(ByteBuffer.wrap(header), 0);
                    if (bytes > 0) {
                        channels[a].write(ByteBuffer.allocate(1), header.length + bytes - 1);
                        data[a] = channels[a].map(FileChannel.MapMode.READ_WRITE, header.length, bytes, arena);
                    }
                }
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        @Override
        protected void put(int a, int row, int col, double[] src, int off, int len) {
            MemorySegment.copy(src, off, data[a], F8, 8L * ((long) row * job.n2() + col), len);
        }

        /** Where executors on this machine write their tiles themselves (the temporary files). */
        FileTarget target() {
            String[] paths = new String[temps.length];
            for (int a = 0; a < temps.length; a++) {
                paths[a] = temps[a].toString();
            }
            return new FileTarget(paths, ArrayFiles.npyHeader(job.n1(), job.n2()).length);
        }

        /** Flushes, then renames (directory of NPY) or packs (NPZ) into place. */
        void finish() throws IOException {
            requireComplete();
            for (int a = 0; a < names.size(); a++) {
                if (data[a] != null) {
                    data[a].force();
                }
            }
            arena.close();
            for (FileChannel c : channels) {
                c.force(true);
                c.close();
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
                arena.close();
                for (FileChannel c : channels) {
                    if (c != null) {
                        c.close();
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
     * them: the task maps the files, writes its tile (and mirror) and unmaps them again, so no executor
     * keeps a deleted file alive. The page cache is shared, so the driver's {@code force} makes it durable.
     */
    record FileTarget(String[] paths, long dataOffset) implements Serializable {
        /** Writes tile {@code t} of {@code job} into the files. */
        void write(TileJob job, Tile t) {
            long bytes = 8L * job.n1() * job.n2();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] segments = new MemorySegment[paths.length];
                for (int a = 0; a < paths.length; a++) {
                    try (FileChannel c = FileChannel.open(Path.of(paths[a]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        segments[a] = c.map(FileChannel.MapMode.READ_WRITE, dataOffset, bytes, arena);
                    }
                }
                new TileSink(job) {
                    @Override
                    protected void put(int a, int row, int col, double[] src, int off, int len) {
                        MemorySegment.copy(src, off, segments[a], Files2.F8, 8L * ((long) row * job.n2() + col), len);
                    }

                    @Override
                    public void close() {}
                }.write(t);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write the tile into " + String.join(", ", paths) + ": " + e.getMessage(), e);
            }
        }
    }
}
