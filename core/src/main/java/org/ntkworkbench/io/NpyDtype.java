package org.ntkworkbench.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The NumPy element types we read, all converted to {@code double}: little-endian ({@code '<'}) or
 * byte-order-free ({@code '|'}) floats, signed and unsigned integers and booleans. 64-bit integers
 * beyond 2^53 lose precision in the conversion.
 */
public enum NpyDtype {
    FLOAT64('f', 8),
    FLOAT32('f', 4),
    INT64('i', 8),
    INT32('i', 4),
    INT16('i', 2),
    INT8('i', 1),
    UINT64('u', 8),
    UINT32('u', 4),
    UINT16('u', 2),
    UINT8('u', 1),
    BOOL('b', 1);

    private static final ValueLayout.OfDouble F8 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F4 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I8 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I4 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I2 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final char kind;
    private final int itemSize;

    NpyDtype(char kind, int itemSize) {
        this.kind = kind;
        this.itemSize = itemSize;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** The NumPy type string as written in headers, e.g. {@code "<f8"} or {@code "|u1"}. */
    public String descr() {
        return (itemSize == 1 ? "|" : "<") + kind + itemSize;
    }

    /**
     * The dtype of a header's {@code descr} string, or an exception naming {@code source} and saying why
     * it is refused (big-endian, object, unknown).
     */
    public static NpyDtype parse(String descr, String source) throws ArrayFileException {
        if (descr.isEmpty()) {
            throw new ArrayFileException(source, "empty dtype descr");
        }
        char order = descr.charAt(0);
        String rest = "<>|=".indexOf(order) >= 0 ? descr.substring(1) : descr;
        if (rest.startsWith("O")) {
            throw new ArrayFileException(source, "object arrays (dtype '" + descr + "', pickled Python objects) are not supported");
        }
        NpyDtype found = null;
        if (rest.length() >= 2) {
            char kind = rest.charAt(0);
            int size = -1;
            try {
                size = Integer.parseInt(rest.substring(1));
            } catch (NumberFormatException ignored) {
                // unknown, reported below
            }
            for (NpyDtype t : values()) {
                if (t.kind == kind && t.itemSize == size) {
                    found = t;
                }
            }
        }
        if (found == null) {
            throw new ArrayFileException(source, "unsupported dtype '" + descr
                    + "' (supported: float64, float32, int8-64, uint8-64, bool)");
        }
        if (found.itemSize > 1) {
            if (order == '>') {
                throw new ArrayFileException(source, "big-endian dtype '" + descr + "' is not supported; save it little-endian ('<')");
            }
            if (order != '<') {
                throw new ArrayFileException(source, "dtype '" + descr + "' has no explicit little-endian byte order '<'");
            }
        }
        return found;
    }

    /**
     * Converts {@code count} elements starting at byte {@code offset} of {@code src} into
     * {@code dst[dstIndex..]}.
     */
    void decode(MemorySegment src, long offset, double[] dst, int dstIndex, int count) {
        switch (this) {
            case FLOAT64 -> MemorySegment.copy(src, F8, offset, dst, dstIndex, count);
            case FLOAT32 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(F4, offset + 4L * i);
                }
            }
            case INT64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(I8, offset + 8L * i);
                }
            }
            case UINT64 -> {
                for (int i = 0; i < count; i++) {
                    long v = src.get(I8, offset + 8L * i);
                    // unsigned: add 2^64 back when the sign bit is set
                    dst[dstIndex + i] = v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
                }
            }
            case INT32 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(I4, offset + 4L * i);
                }
            }
            case UINT32 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = Integer.toUnsignedLong(src.get(I4, offset + 4L * i));
                }
            }
            case INT16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(I2, offset + 2L * i);
                }
            }
            case UINT16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = Short.toUnsignedInt(src.get(I2, offset + 2L * i));
                }
            }
            case INT8 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(ValueLayout.JAVA_BYTE, offset + i);
                }
            }
            case UINT8 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, offset + i));
                }
            }
            case BOOL -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(ValueLayout.JAVA_BYTE, offset + i) != 0 ? 1.0 : 0.0;
                }
            }
        }
    }
}
