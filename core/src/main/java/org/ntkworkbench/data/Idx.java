package org.ntkworkbench.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.ntkworkbench.io.ArrayFileException;
import org.ntkworkbench.tensor.Tensor;

/**
 * IDX files (the MNIST family's format): magic {@code 0 0 type rank}, {@code rank} big-endian int32
 * dimensions, then the elements big-endian in C order. Element types 0x08 ubyte, 0x09 byte, 0x0B
 * int16, 0x0C int32, 0x0D float32, 0x0E float64. A file is gzip-compressed when it starts with the gzip
 * magic (whatever its name says).
 *
 * <p>Hostile input: the header's dimensions are never trusted for an allocation. A plain file must be
 * at least as long as the header says before anything is allocated; gzip data is read in chunks into a
 * buffer that grows only as decompressed bytes actually arrive, so a header claiming gigabytes over a
 * small file fails with one line ({@link ArrayFileException}) after reading the file, never with an
 * {@link OutOfMemoryError}. Truncated gzip streams and short data are reported the same way.
 *
 * <p>The elements are kept as raw bytes; {@link #rows} converts only the selected examples to double
 * (60 000 Fashion-MNIST images are 47 MB as bytes and 376 MB as doubles).
 */
public final class Idx {
    private final Path file;
    private final int type;
    private final int[] dims;
    private final byte[] raw;
    private final int itemSize;

    private Idx(Path file, int type, int[] dims, byte[] raw) {
        this.file = file;
        this.type = type;
        this.dims = dims;
        this.raw = raw;
        this.itemSize = itemSize(type);
    }

    /** Reads {@code file} (plain or gzip). */
    public static Idx read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ArrayFileException(file, "no such file");
        }
        org.ntkworkbench.io.ReadLog.read(file);
        boolean gz;
        try (InputStream probe = Files.newInputStream(file)) {
            gz = probe.read() == 0x1f && probe.read() == 0x8b;
        } catch (NoSuchFileException e) {
            throw new ArrayFileException(file, "no such file");
        }
        long fileSize = Files.size(file);
        try (InputStream base = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             InputStream in = gz ? new GZIPInputStream(base, 1 << 16) : base) {
            DataInputStream d = new DataInputStream(in);
            int m0, m1, type, rank;
            try {
                m0 = d.readUnsignedByte();
                m1 = d.readUnsignedByte();
                type = d.readUnsignedByte();
                rank = d.readUnsignedByte();
            } catch (EOFException e) {
                throw new ArrayFileException(file, "too short for an IDX header");
            }
            if (m0 != 0 || m1 != 0 || itemSize(type) == 0) {
                throw new ArrayFileException(file, String.format("not an IDX file (magic %02x %02x %02x %02x)", m0, m1, type, rank));
            }
            if (rank < 1 || rank > 8) {
                throw new ArrayFileException(file, "IDX header gives rank " + rank + " (expected 1 to 8)");
            }
            int[] dims = new int[rank];
            long count = 1;
            for (int a = 0; a < rank; a++) {
                try {
                    dims[a] = d.readInt();
                } catch (EOFException e) {
                    throw new ArrayFileException(file, "IDX header ends after " + a + " of " + rank + " dimensions");
                }
                if (dims[a] < 0) {
                    throw new ArrayFileException(file, "IDX dimension " + a + " is negative (" + dims[a] + ")");
                }
                count = Math.multiplyHigh(count, dims[a]) != 0 ? Long.MAX_VALUE : count * dims[a];
            }
            int size = itemSize(type);
            long bytes = count > Long.MAX_VALUE / size ? Long.MAX_VALUE : count * size;
            String shape = Arrays.toString(dims);
            if (bytes > Integer.MAX_VALUE - 16) {
                throw new ArrayFileException(file, "IDX header gives dimensions " + shape + " (" + bytes
                        + " bytes of data), more than one array can hold; the header is wrong or the file is too large");
            }
            long headerBytes = 4 + 4L * rank;
            if (!gz && fileSize - headerBytes < bytes) {
                throw new ArrayFileException(file, "IDX header gives dimensions " + shape + " (" + bytes
                        + " bytes of data) but the file holds only " + (fileSize - headerBytes));
            }
            byte[] raw = readAtMost(in, (int) bytes, file, shape, gz);
            return new Idx(file, type, dims, raw);
        } catch (ZipException | EOFException e) {
            throw new ArrayFileException(file, "corrupt or truncated gzip data (" + e.getMessage() + ")");
        }
    }

    /** Reads exactly {@code bytes} bytes, growing the buffer only as data arrives. */
    private static byte[] readAtMost(InputStream in, int bytes, Path file, String shape, boolean gz) throws IOException {
        byte[] buf = new byte[Math.min(bytes, 1 << 20)];
        int have = 0;
        while (have < bytes) {
            if (have == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(bytes, Math.max(1L << 20, 2L * buf.length)));
            }
            int r = in.read(buf, have, buf.length - have);
            if (r < 0) {
                throw new ArrayFileException(file, "IDX header gives dimensions " + shape + " (" + bytes + " bytes of data) but the "
                        + (gz ? "decompressed " : "") + "data ends after " + have + " bytes");
            }
            have += r;
        }
        return buf;
    }

    private static int itemSize(int type) {
        return switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> 0;
        };
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The dimensions from the header; {@code dims()[0]} is the number of examples. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of examples (the first dimension). */
    public int count() {
        return dims[0];
    }

    /** Elements per example (product of the remaining dimensions). */
    public int perExample() {
        int p = 1;
        for (int a = 1; a < dims.length; a++) {
            p *= dims[a];
        }
        return p;
    }

    /** Element {@code flat} (C order) as a double. */
    public double value(long flat) {
        int o = (int) (flat * itemSize);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
        return switch (type) {
            case 0x08 -> raw[o] & 0xff;
            case 0x09 -> raw[o];
            case 0x0B -> b.getShort(o);
            case 0x0C -> b.getInt(o);
            case 0x0D -> b.getFloat(o);
            default -> b.getDouble(o);
        };
    }

    /** The selected examples as a float64 tensor of shape {@code (indices.length, dims[1], …)}. */
    public Tensor rows(int[] indices) {
        int p = perExample();
        double[] out = new double[Math.multiplyExact(indices.length, p)];
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            if (i < 0 || i >= dims[0]) {
                throw new IndexOutOfBoundsException("example " + i + " of " + dims[0] + " in " + file);
            }
            long base = (long) i * p;
            if (type == 0x08) {
                int o = (int) base;
                for (int e = 0; e < p; e++) {
                    out[r * p + e] = raw[o + e] & 0xff;
                }
            } else {
                for (int e = 0; e < p; e++) {
                    out[r * p + e] = value(base + e);
                }
            }
        }
        int[] shape = dims.clone();
        shape[0] = indices.length;
        return Tensor.of(out, shape);
    }

    /** A 1-D file's values as integers (labels); fails on non-integral values. */
    public int[] labels() throws ArrayFileException {
        if (dims.length != 1) {
            throw new ArrayFileException(file, "labels must be a 1-D IDX array, this one has dimensions " + Arrays.toString(dims));
        }
        int[] out = new int[dims[0]];
        for (int i = 0; i < out.length; i++) {
            double v = value(i);
            if (v != Math.rint(v) || v < 0 || v > 1_000_000) {
                throw new ArrayFileException(file, "label " + i + " is " + v + ", not a class index");
            }
            out[i] = (int) v;
        }
        return out;
    }
}
