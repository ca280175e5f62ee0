package org.ntkworkbench.io;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ntkworkbench.memory.MemoryPlanner;
import org.ntkworkbench.tensor.Tensor;

/**
 * Reads NumPy {@code .npy} arrays (format 1.0, 2.0, 3.0) into float64 {@link Tensor}s.
 *
 * <p>Accepted: little-endian or byte-order-free float64/32, (u)int8-64 and bool, in C order or Fortran
 * order (transposed into C order on read). Refused with an {@link ArrayFileException} naming the file:
 * big-endian, object, structured and unknown dtypes, bad headers, truncated data. Files are
 * memory-mapped rather than streamed through the heap; bytes after the data are ignored, as NumPy does.
 */
public final class NpyReader {
    /** Largest element count one Java array (hence one Tensor) can hold. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int CHUNK_BYTES = 1 << 20;

    private NpyReader() {
    }

    /** Reads the whole array in {@code file} as a float64 tensor in C order. */
    public static Tensor read(Path file) throws IOException {
        checkReadable(file);
        String source = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader header = NpyHeader.read(Channels.newInputStream(channel), source);
            long needed = header.dataOffset() + header.dataBytes();
            if (channel.size() < needed) {
                throw truncated(source, header, channel.size() - header.dataOffset());
            }
            double[] data = allocate(header, source);
            if (data.length > 0) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, header.dataOffset(),
                            header.dataBytes(), arena);
                    header.dtype().decode(segment, 0, data, 0, data.length);
                }
            }
            return toTensor(header, data);
        }
    }

    /**
     * Reads one array from a stream positioned at the start of an NPY image (e.g. an NPZ entry).
     *
     * @param source name used in error messages, e.g. {@code "K.npz:ntk"}
     */
    public static Tensor read(InputStream in, String source) throws IOException {
        return read(in, source, -1);
    }

    /**
     * Reads one array from a stream holding at most {@code maxImageBytes} bytes of NPY image
     * ({@code -1}: unknown). A header that claims more data than the stream can hold is refused before
     * anything is allocated: a 200-byte archive entry cannot hold a 40000 × 40000 array.
     */
    public static Tensor read(InputStream in, String source, long maxImageBytes) throws IOException {
        NpyHeader header = NpyHeader.read(in, source);
        if (maxImageBytes >= 0 && header.dataOffset() + header.dataBytes() > maxImageBytes) {
            throw truncated(source, header, maxImageBytes - header.dataOffset());
        }
        double[] data = allocate(header, source);
        int item = header.dtype().itemSize();
        int chunkElements = CHUNK_BYTES / item;
        byte[] buffer = new byte[(int) Math.min((long) chunkElements * item, Math.max(header.dataBytes(), 1))];
        MemorySegment view = MemorySegment.ofArray(buffer);
        int done = 0;
        while (done < data.length) {
            int count = Math.min(chunkElements, data.length - done);
            int got = in.readNBytes(buffer, 0, count * item);
            if (got < count * item) {
                throw truncated(source, header, (long) done * item + got);
            }
            header.dtype().decode(view, 0, data, done, count);
            done += count;
        }
        return toTensor(header, data);
    }

    /** Reads only the header of {@code file} (shape, dtype, order, data offset). */
    public static NpyHeader readHeader(Path file) throws IOException {
        checkReadable(file);
        try (InputStream in = Files.newInputStream(file)) {
            return NpyHeader.read(in, file.toString());
        }
    }

    /**
     * Opens a read-only memory-mapped view of a float64 C-order NPY file, for arrays larger than the
     * heap (e.g. kernels written with {@link NpyWriter#createMapped}). Close it to unmap.
     */
    public static MappedNpy map(Path file) throws IOException {
        checkReadable(file);
        return MappedNpy.open(file);
    }

    static void checkReadable(Path file) throws ArrayFileException {
        if (!Files.exists(file)) {
            throw new ArrayFileException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ArrayFileException(file, "not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ArrayFileException(file, "permission denied");
        }
        ReadLog.read(file); // every NPY/NPZ/CSV/JSON read passes here: the run's inputs for its manifest
    }

    static ArrayFileException truncated(String source, NpyHeader header, long bytesPresent) {
        return new ArrayFileException(source, "truncated: header says " + header.describe() + " = "
                + header.dataBytes() + " data bytes but only " + Math.max(bytesPresent, 0) + " follow");
    }

    private static double[] allocate(NpyHeader header, String source) throws ArrayFileException {
        // The planner first: its one line names the knobs, and a file bigger than the budget is the common case.
        MemoryPlanner.current().require(source + ": array " + header.describe(),
                MemoryPlanner.float64Bytes(header.elementCount()) * (header.fortranOrder() ? 2 : 1));
        if (header.elementCount() > MAX_ELEMENTS) {
            throw new ArrayFileException(source, "array " + header.describe() + " has " + header.elementCount()
                    + " elements, more than one Tensor can hold; use NpyReader.map for float64 files");
        }
        return new double[(int) header.elementCount()];
    }

    private static Tensor toTensor(NpyHeader header, double[] data) {
        int[] shape = header.shape();
        return Tensor.of(header.fortranOrder() ? fortranToC(data, shape) : data, shape);
    }

    /** Reorders column-major (Fortran) data of the given shape into row-major (C) order. */
    static double[] fortranToC(double[] f, int[] shape) {
        int rank = shape.length;
        if (rank < 2 || f.length == 0) {
            return f;
        }
        long[] fStride = new long[rank];
        fStride[0] = 1;
        for (int i = 1; i < rank; i++) {
            fStride[i] = fStride[i - 1] * shape[i - 1];
        }
        double[] c = new double[f.length];
        int[] index = new int[rank];
        long fOffset = 0;
        for (int ci = 0; ci < c.length; ci++) {
            c[ci] = f[(int) fOffset];
            // advance the C-order multi-index (last axis fastest), keeping the Fortran offset in step
            for (int axis = rank - 1; axis >= 0; axis--) {
                index[axis]++;
                fOffset += fStride[axis];
                if (index[axis] < shape[axis]) {
                    break;
                }
                fOffset -= fStride[axis] * shape[axis];
                index[axis] = 0;
            }
        }
        return c;
    }
}
