package org.ntkworkbench.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.ntkworkbench.tensor.Tensor;

/**
 * Writes float64 little-endian C-order NPY files exactly as NumPy's {@code np.save} does: format 1.0
 * (2.0 only when the header exceeds 65535 bytes), header keys sorted, 21 − len(str(shape[0])) spare
 * spaces for in-place growth, padded with spaces and a newline to a multiple of 64 bytes.
 *
 * <p>Files are written to a temporary sibling and renamed into place ({@link AtomicFiles}).
 */
public final class NpyWriter {
    /** NumPy's {@code ARRAY_ALIGN}: the data starts at a multiple of this many bytes. */
    static final int ARRAY_ALIGN = 64;
    /** NumPy's {@code GROWTH_AXIS_MAX_DIGITS}. */
    static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private NpyWriter() {
    }

    /** Writes {@code tensor} to {@code file} atomically. */
    public static void write(Path file, Tensor tensor) throws IOException {
        AtomicFiles.write(file, out -> write(out, tensor));
    }

    /** Writes the NPY image of {@code tensor} (header and data) to {@code out}. */
    public static void write(OutputStream out, Tensor tensor) throws IOException {
        out.write(header(tensor.shape()));
        writeData(out, tensor.data());
    }

    /** The NPY image of {@code tensor} as bytes. */
    public static byte[] toBytes(Tensor tensor) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write(bytes, tensor);
        return bytes.toByteArray();
    }

    /**
     * The complete preamble (magic, version, header length, padded header) of a float64 C-order array
     * of the given shape; its length is a multiple of 64.
     */
    public static byte[] header(int[] shape) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + NpyHeader.pythonShape(shape) + ", }";
        if (shape.length > 0) {
            dict += " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
        }
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        int major = 1;
        int lengthBytes = 2;
        int headerLength = text.length + 1; // + newline
        int pad = ARRAY_ALIGN - (6 + 2 + lengthBytes + headerLength) % ARRAY_ALIGN;
        if (headerLength + pad > 0xFFFF) {
            major = 2;
            lengthBytes = 4;
            pad = ARRAY_ALIGN - (6 + 2 + lengthBytes + headerLength) % ARRAY_ALIGN;
        }
        int total = headerLength + pad;
        ByteBuffer b = ByteBuffer.allocate(6 + 2 + lengthBytes + total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) total);
        } else {
            b.putInt(total);
        }
        b.put(text);
        byte[] spaces = new byte[pad];
        Arrays.fill(spaces, (byte) ' ');
        b.put(spaces).put((byte) '\n');
        return b.array();
    }

    static void writeData(OutputStream out, double[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        DoubleBuffer doubles = buffer.asDoubleBuffer();
        for (int i = 0; i < data.length; ) {
            int n = Math.min(doubles.capacity(), data.length - i);
            doubles.clear();
            doubles.put(data, i, n);
            out.write(buffer.array(), 0, 8 * n);
            i += n;
        }
    }

    /**
     * Creates a float64 NPY file of the given shape to be filled row block by row block through a
     * memory map, for arrays larger than the heap (e.g. an {@code (n1, n2)} kernel). The file lives
     * under a temporary name until {@link MappedNpyWriter#close()} renames it into place.
     */
    public static MappedNpyWriter createMapped(Path file, int... shape) throws IOException {
        return MappedNpyWriter.create(file, shape);
    }
}
