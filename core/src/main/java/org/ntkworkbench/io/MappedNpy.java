package org.ntkworkbench.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only memory-mapped float64 C-order NPY file, read row by row (a row is everything after the
 * first axis). For arrays larger than the heap; the operating system pages data in on demand.
 * Safe for concurrent reads from several threads; {@link #close()} unmaps.
 */
public final class MappedNpy implements AutoCloseable {
    private static final ValueLayout.OfDouble F8 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final NpyHeader header;
    private final Arena arena;
    private final MemorySegment data;
    private final long rowLength;
    private boolean closed;

    private MappedNpy(Path file, NpyHeader header, Arena arena, MemorySegment data) {
        this.file = file;
        this.header = header;
        this.arena = arena;
        this.data = data;
        long r = 1;
        int[] shape = header.shape();
        for (int i = 1; i < shape.length; i++) {
            r *= shape[i];
        }
        this.rowLength = r;
    }

    static MappedNpy open(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader header = NpyHeader.read(Channels.newInputStream(channel), source);
            if (header.dtype() != NpyDtype.FLOAT64 || header.fortranOrder() || header.shape().length == 0) {
                throw new ArrayFileException(source, "memory-mapped reading needs a float64 C-order array of rank >= 1, not "
                        + header.describe() + (header.fortranOrder() ? " (Fortran order)" : "") + "; use NpyReader.read");
            }
            if (channel.size() < header.dataOffset() + header.dataBytes()) {
                throw NpyReader.truncated(source, header, channel.size() - header.dataOffset());
            }
            Arena arena = Arena.ofShared();
            MemorySegment segment = header.dataBytes() == 0 ? MemorySegment.NULL
                    : channel.map(FileChannel.MapMode.READ_ONLY, header.dataOffset(), header.dataBytes(), arena);
            return new MappedNpy(file, header, arena, segment);
        }
    }

    /** The mapped file. */
    public Path file() {
        return file;
    }

    /** The file's header. */
    public NpyHeader header() {
        return header;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return header.shape();
    }

    /** Size of the first axis. */
    public int rows() {
        return header.shape()[0];
    }

    /** Elements per row (product of the shape after the first axis). */
    public long rowLength() {
        return rowLength;
    }

    /** Element at flat C-order index {@code i}. */
    public double get(long i) {
        if (i < 0 || i >= header.elementCount()) {
            throw new IndexOutOfBoundsException("flat index " + i + " out of " + header.describe());
        }
        return data.get(F8, 8 * i);
    }

    /** Element at ({@code row}, {@code column}) of a rank-2 array. */
    public double get(int row, int column) {
        if (header.shape().length != 2 || column < 0 || column >= rowLength || row < 0 || row >= rows()) {
            throw new IndexOutOfBoundsException("index (" + row + ", " + column + ") out of " + header.describe());
        }
        return data.get(F8, 8 * (row * rowLength + column));
    }

    /** Copies rows {@code rowStart, rowStart + 1, ...} into {@code out}, whose length must be a whole number of rows. */
    public void readRows(int rowStart, double[] out) {
        long count = checkBlock(rowStart, out.length);
        if (count > 0) {
            MemorySegment.copy(data, F8, 8L * rowStart * rowLength, out, 0, out.length);
        }
    }

    /** Rows {@code [rowStart, rowStart + rowCount)} as a new flat array. */
    public double[] readRows(int rowStart, int rowCount) {
        long n = rowCount * rowLength;
        if (rowCount < 0 || n > NpyReader.MAX_ELEMENTS) {
            throw new IllegalArgumentException(rowCount + " rows of length " + rowLength + " do not fit one array");
        }
        double[] out = new double[(int) n];
        readRows(rowStart, out);
        return out;
    }

    private long checkBlock(int rowStart, int length) {
        if (rowLength == 0 ? length != 0 : length % rowLength != 0) {
            throw new IllegalArgumentException("block of " + length + " values is not a whole number of rows of length "
                    + rowLength + " in " + file);
        }
        long count = rowLength == 0 ? 0 : length / rowLength;
        if (rowStart < 0 || rowStart + count > rows()) {
            throw new IndexOutOfBoundsException("rows [" + rowStart + ", " + (rowStart + count) + ") out of "
                    + rows() + " in " + file);
        }
        return count;
    }

    /** Unmaps the file. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
