package org.ntkworkbench.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A float64 C-order {@code (n1, n2)} NPY file filled tile by tile: the one place that decides how kernel tiles
 * reach a file, for the local engine ({@code model.RowBlockKernelService}) and, through {@code spi.ArrayFiles},
 * the Spark engine's driver and its executors on the same machine.
 *
 * <p>A tile's rows (and, for a symmetric kernel, its mirror's rows) are positional writes ({@code pwrite}
 * through a per-thread 64 KB direct buffer), not stores into a memory map. A tile touches 2 × t short runs
 * of pages scattered over the whole file, and faulting those pages into a shared file mapping one at a time
 * cost 2.5× the CPU of writing them (filling a 3.2 GB kernel file with 2048² tiles and their mirrors, one
 * thread: 14.1 s CPU mapped, 4.7 s written; 5.6 s for a sequential mapped fill of row blocks). The mirror is
 * gathered column by column (0.03 s per 2048² tile; a 64-square blocked transpose measured 0.035 s).
 *
 * <p>Distinct tiles cover disjoint regions, so tiles may be written from several threads (or processes)
 * at once without a lock. {@link #createFor} and {@link #commit()} add the atomic rename: nothing appears
 * under the final name until every tile is in and flushed.
 */
public final class NpyTileFile implements AutoCloseable {
    private static final int BUFFER = 64 << 10;
    private static final ThreadLocal<ByteBuffer> BUF =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN));

    private final Path file;
    private final Path target;
    private final int n1;
    private final int n2;
    private final long dataOffset;
    private final FileChannel channel;
    private boolean closed;
    private boolean committed;

    private NpyTileFile(Path file, Path target, int n1, int n2, FileChannel channel) {
        this.file = file;
        this.target = target;
        this.n1 = n1;
        this.n2 = n2;
        this.dataOffset = NpyWriter.header(new int[] {n1, n2}).length;
        this.channel = channel;
    }

    /**
     * Creates (or truncates) {@code file} as an {@code (n1, n2)} float64 NPY of the final size (sparse where the
     * file system allows), ready for tiles. Closing it leaves the file where it is.
     */
    public static NpyTileFile create(Path file, int n1, int n2) throws IOException {
        return create(file, null, n1, n2);
    }

    /**
     * A temporary sibling of {@code target} to fill; {@link #commit()} flushes it and renames it over
     * {@code target}, {@link #abort()} (or {@link #close()} before a commit) deletes it.
     */
    public static NpyTileFile createFor(Path target, int n1, int n2) throws IOException {
        return create(AtomicFiles.createTemporarySibling(target), target, n1, n2);
    }

    private static NpyTileFile create(Path file, Path target, int n1, int n2) throws IOException {
        if (n1 < 0 || n2 < 0) {
            throw new IllegalArgumentException("negative shape (" + n1 + ", " + n2 + ") for " + file);
        }
        byte[] header = NpyWriter.header(new int[] {n1, n2});
        long bytes = Math.multiplyExact(8L * n1, (long) n2);
        FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            c.write(ByteBuffer.wrap(header), 0);
            if (bytes > 0) {
                c.write(ByteBuffer.allocate(1), header.length + bytes - 1);
            }
            return new NpyTileFile(file, target, n1, n2, c);
        } catch (IOException | RuntimeException e) {
            c.close();
            if (target != null) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
    }

    /**
     * Opens an existing {@code (n1, n2)} file made by {@link #create} (e.g. by another process) to write tiles
     * into it; checks its size. Closing it leaves the file as it is.
     */
    public static NpyTileFile open(Path file, int n1, int n2) throws IOException {
        FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE);
        NpyTileFile f = new NpyTileFile(file, null, n1, n2, c);
        long expected = f.dataOffset + 8L * n1 * n2;
        if (c.size() != expected) {
            c.close();
            throw new IOException(file + ": " + c.size() + " bytes, expected " + expected + " for a (" + n1 + ", " + n2 + ") float64 NPY");
        }
        return f;
    }

    /** The file being written (the temporary name until {@link #commit()}). */
    public Path file() {
        return file;
    }

    /**
     * Writes the {@code rows × cols} tile {@code v} (row-major) at row {@code r0}, column {@code c0}; with
     * {@code mirror}, also its transpose at row {@code c0}, column {@code r0} (an off-diagonal tile of a
     * symmetric kernel: the result is symmetric to the last bit). Whole rows ({@code c0 = 0, cols = n2}) are
     * one sequential write. Any thread.
     */
    public void writeTile(int r0, int c0, int rows, int cols, double[] v, boolean mirror) {
        if (r0 < 0 || c0 < 0 || (long) r0 + rows > n1 || (long) c0 + cols > n2 || (long) rows * cols > v.length
                || (mirror && ((long) c0 + cols > n1 || (long) r0 + rows > n2))) {
            throw new IndexOutOfBoundsException("tile " + rows + " x " + cols + " at (" + r0 + ", " + c0 + ")" + (mirror ? " and its mirror" : "")
                    + " outside (" + n1 + ", " + n2 + ") of " + file);
        }
        if (cols == n2) {
            put(8L * r0 * n2, v, 0, rows * cols);
        } else {
            for (int i = 0; i < rows; i++) {
                put(8L * ((long) (r0 + i) * n2 + c0), v, i * cols, cols);
            }
        }
        if (mirror) {
            double[] column = new double[rows];
            for (int j = 0; j < cols; j++) {
                for (int i = 0; i < rows; i++) {
                    column[i] = v[i * cols + j];
                }
                put(8L * ((long) (c0 + j) * n2 + r0), column, 0, rows);
            }
        }
    }

    /** Whole rows from {@code r0} ({@code block.length} a multiple of n2). */
    public void writeRows(int r0, double[] block) {
        if (n2 == 0 ? block.length != 0 : block.length % n2 != 0) {
            throw new IllegalArgumentException("block of " + block.length + " values is not a whole number of rows of length " + n2 + " for " + file);
        }
        writeTile(r0, 0, n2 == 0 ? 0 : block.length / n2, n2, block, false);
    }

    private void put(long at, double[] src, int off, int len) {
        ByteBuffer b = BUF.get();
        long position = dataOffset + at;
        try {
            while (len > 0) {
                int k = Math.min(len, BUFFER / 8);
                b.clear();
                b.asDoubleBuffer().put(src, off, k);
                b.limit(8 * k);
                while (b.hasRemaining()) {
                    position += channel.write(b, position);
                }
                off += k;
                len -= k;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kernel into " + file + ": " + e.getMessage(), e);
        }
    }

    /** Flushes the data to the device. */
    public void force() throws IOException {
        channel.force(true);
    }

    /** Flushes, closes and renames the temporary file over the target of {@link #createFor}. */
    public synchronized void commit() throws IOException {
        if (target == null) {
            throw new IllegalStateException(file + " was not created for a target (createFor)");
        }
        if (closed) {
            throw new IllegalStateException("the tile file for " + target + " is already closed");
        }
        try {
            channel.force(true);
            channel.close();
            closed = true;
            AtomicFiles.moveIntoPlace(file, target);
            committed = true;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /** Closes; a temporary file of {@link #createFor} not yet committed is deleted. Safe to call more than once. */
    public synchronized void abort() throws IOException {
        if (!closed) {
            closed = true;
            channel.close();
        }
        if (target != null && !committed) {
            Files.deleteIfExists(file);
        }
    }

    /** Closes the file ({@link #abort()} for one made by {@link #createFor} and not committed). */
    @Override
    public synchronized void close() throws IOException {
        if (target != null && !committed) {
            abort();
            return;
        }
        if (!closed) {
            closed = true;
            channel.close();
        }
    }
}
