package org.ntkworkbench.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;
import org.ntkworkbench.tensor.Tensor;

/**
 * A float64 C-order NPY file being filled through a memory map, row block by row block (a row is
 * everything after the first axis). Blocks may be written from several threads as long as they cover
 * disjoint rows. {@link #close()} flushes, checks that every row was written and renames the
 * temporary file into place; {@link #abort()} (or a failed close) deletes it, so no half-written file
 * is ever left under the target name.
 */
public final class MappedNpyWriter implements AutoCloseable {
    private static final ValueLayout.OfDouble F8 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path target;
    private final Path temp;
    private final int[] shape;
    private final long rowLength;
    private final FileChannel channel;
    private final Arena arena;
    private final MemorySegment data;
    private final BitSet written;
    private boolean finished;

    private MappedNpyWriter(Path target, Path temp, int[] shape, long rowLength, FileChannel channel, Arena arena,
                            MemorySegment data) {
        this.target = target;
        this.temp = temp;
        this.shape = shape;
        this.rowLength = rowLength;
        this.channel = channel;
        this.arena = arena;
        this.data = data;
        this.written = new BitSet(shape[0]);
    }

    static MappedNpyWriter create(Path target, int[] shape) throws IOException {
        if (shape.length == 0) {
            throw new IllegalArgumentException("mapped NPY writing needs rank >= 1, got shape () for " + target);
        }
        long elements = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape) + " for " + target);
            }
            elements = Math.multiplyExact(elements, d);
        }
        long rowLength = shape[0] == 0 ? 0 : elements / shape[0];
        long dataBytes = Math.multiplyExact(elements, 8L);
        byte[] header = NpyWriter.header(shape);
        Path temp = AtomicFiles.createTemporarySibling(target);
        FileChannel channel = null;
        Arena arena = Arena.ofShared();
        try {
            channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.write(ByteBuffer.wrap(header), 0);
            if (dataBytes > 0) {
                // extend the file to its final size (sparse where the file system allows)
                channel.write(ByteBuffer.allocate(1), header.length + dataBytes - 1);
            }
            MemorySegment segment = dataBytes == 0 ? MemorySegment.NULL
                    : channel.map(FileChannel.MapMode.READ_WRITE, header.length, dataBytes, arena);
            return new MappedNpyWriter(target, temp, shape.clone(), rowLength, channel, arena, segment);
        } catch (IOException | RuntimeException e) {
            arena.close();
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** The final file name. */
    public Path target() {
        return target;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of the first axis. */
    public int rows() {
        return shape[0];
    }

    /** Elements per row. */
    public long rowLength() {
        return rowLength;
    }

    /**
     * Writes {@code block} (row-major, a whole number of rows) as rows {@code rowStart, rowStart + 1, ...}.
     */
    public void writeRows(int rowStart, double[] block) {
        if (rowLength == 0 ? block.length != 0 : block.length % rowLength != 0) {
            throw new IllegalArgumentException("block of " + block.length + " values is not a whole number of rows of length "
                    + rowLength + " for " + target);
        }
        int count = rowLength == 0 ? 0 : (int) (block.length / rowLength);
        if (rowStart < 0 || (long) rowStart + count > shape[0]) {
            throw new IndexOutOfBoundsException("rows [" + rowStart + ", " + ((long) rowStart + count) + ") out of "
                    + shape[0] + " for " + target);
        }
        synchronized (this) {
            if (finished) {
                throw new IllegalStateException("writer for " + target + " is already closed");
            }
        }
        if (block.length > 0) {
            MemorySegment.copy(block, 0, data, F8, 8L * rowStart * rowLength, block.length);
        }
        synchronized (this) {
            written.set(rowStart, rowStart + count);
        }
    }

    /** Writes a block given as a tensor whose first axis counts rows and whose remaining size is {@link #rowLength()}. */
    public void writeRows(int rowStart, Tensor block) {
        writeRows(rowStart, block.data());
    }

    /** Number of distinct rows written so far. */
    public synchronized int rowsWritten() {
        return written.cardinality();
    }

    /**
     * Flushes the data and renames the file into place. If some rows were never written, deletes the
     * temporary file and throws {@link IllegalStateException} naming the first missing row.
     */
    @Override
    public synchronized void close() throws IOException {
        if (finished) {
            return;
        }
        int missing = written.nextClearBit(0);
        if (missing < shape[0] && rowLength > 0) {
            int count = shape[0] - written.cardinality();
            abort();
            throw new IllegalStateException(target + ": closed with " + count + " of " + shape[0]
                    + " rows never written (first: row " + missing + "); nothing was saved");
        }
        finished = true;
        try {
            if (data != MemorySegment.NULL) {
                data.force();
            }
            arena.close();
            channel.force(true);
            channel.close();
            AtomicFiles.moveIntoPlace(temp, target);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Discards everything written: unmaps and deletes the temporary file. Safe to call more than once. */
    public synchronized void abort() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        arena.close();
        channel.close();
        Files.deleteIfExists(temp);
    }
}
