package org.ntkworkbench.io;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parsed header of an NPY file: format version, element type, memory order, shape, and the byte
 * offset at which the raw data starts.
 *
 * <p>NPY layout: the magic {@code \x93NUMPY}, major and minor version bytes, the header length
 * (uint16 little-endian for 1.0, uint32 for 2.0 and 3.0), then a Python dict literal
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }} (latin-1; UTF-8 in 3.0)
 * padded with spaces and ended by a newline, then the elements.
 */
public record NpyHeader(int majorVersion, int minorVersion, NpyDtype dtype, boolean fortranOrder, int[] shape,
                        long dataOffset) {
    /** The six magic bytes every NPY file starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Header length limit: far beyond any real header, small enough to refuse garbage lengths early. */
    static final int MAX_HEADER_LENGTH = 1 << 24;

    /** Copies the shape. */
    public NpyHeader {
        shape = shape.clone();
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements (product of the shape; 1 for a 0-d array). */
    public long elementCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Number of data bytes after the header. */
    public long dataBytes() {
        return elementCount() * dtype.itemSize();
    }

    /** Shape and dtype for messages, e.g. {@code "(3, 4) float64"}. */
    public String describe() {
        return pythonShape(shape) + " " + dtype.name().toLowerCase();
    }

    static String pythonShape(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /**
     * Reads and checks a header from the start of {@code in}, leaving the stream at the first data byte.
     *
     * @param source the file (or archive entry) name for error messages
     */
    public static NpyHeader read(InputStream in, String source) throws IOException {
        byte[] prefix = in.readNBytes(8);
        if (prefix.length == 0) {
            throw new ArrayFileException(source, "empty file, not an NPY array");
        }
        int m = Math.min(prefix.length, 6);
        if (!Arrays.equals(prefix, 0, m, MAGIC, 0, m)) {
            throw new ArrayFileException(source, "not an NPY file (missing magic \\x93NUMPY)");
        }
        if (prefix.length < 8) {
            throw new ArrayFileException(source, "truncated NPY header (" + prefix.length + " bytes)");
        }
        int major = prefix[6] & 0xff, minor = prefix[7] & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw new ArrayFileException(source, "unsupported NPY format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lenBytes = in.readNBytes(lengthBytes);
        if (lenBytes.length < lengthBytes) {
            throw new ArrayFileException(source, "truncated NPY header (no header length)");
        }
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLength = (headerLength << 8) | (lenBytes[i] & 0xff);
        }
        if (headerLength > MAX_HEADER_LENGTH) {
            throw new ArrayFileException(source, "NPY header length " + headerLength + " is implausibly large");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new ArrayFileException(source, "truncated NPY header: length field says " + headerLength
                    + " bytes but only " + headerBytes.length + " follow");
        }
        String text = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        long dataOffset = 6 + 2 + lengthBytes + headerLength;
        return parseDict(text, major, minor, dataOffset, source);
    }

    private static NpyHeader parseDict(String text, int major, int minor, long dataOffset, String source)
            throws ArrayFileException {
        Object literal;
        try {
            literal = PyLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ArrayFileException(source, "bad NPY header (" + e.getMessage() + "): " + abbreviate(text));
        }
        if (!(literal instanceof Map<?, ?> dict)) {
            throw new ArrayFileException(source, "bad NPY header: not a dict: " + abbreviate(text));
        }
        Set<String> keys = new TreeSet<>();
        for (Object k : dict.keySet()) {
            keys.add(String.valueOf(k));
        }
        if (!keys.equals(Set.of("descr", "fortran_order", "shape"))) {
            throw new ArrayFileException(source, "bad NPY header: keys " + keys
                    + ", expected [descr, fortran_order, shape]");
        }
        Object descr = dict.get("descr");
        if (!(descr instanceof String descrString)) {
            throw new ArrayFileException(source, "structured dtype " + abbreviate(String.valueOf(descr))
                    + " is not supported (only plain numeric arrays)");
        }
        NpyDtype dtype = NpyDtype.parse(descrString, source);
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new ArrayFileException(source, "bad NPY header: fortran_order is not True/False");
        }
        if (!(dict.get("shape") instanceof PyLiteral.Tuple(List<Object> items))) {
            throw new ArrayFileException(source, "bad NPY header: shape is not a tuple");
        }
        int[] shape = new int[items.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(items.get(i) instanceof BigInteger dim) || dim.signum() < 0) {
                throw new ArrayFileException(source, "bad NPY header: shape entry " + items.get(i)
                        + " is not a non-negative integer");
            }
            if (dim.bitLength() > 31) {
                throw new ArrayFileException(source, "shape entry " + dim + " exceeds " + Integer.MAX_VALUE);
            }
            shape[i] = dim.intValue();
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException e) {
                count = -1;
            }
            if (count < 0 || count > Long.MAX_VALUE / 8) {
                throw new ArrayFileException(source, "shape " + items + " has too many elements");
            }
        }
        return new NpyHeader(major, minor, dtype, fortran, shape, dataOffset);
    }

    private static String abbreviate(String s) {
        String oneLine = s.strip().replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && majorVersion == h.majorVersion && minorVersion == h.minorVersion
                && dtype == h.dtype && fortranOrder == h.fortranOrder && Arrays.equals(shape, h.shape)
                && dataOffset == h.dataOffset;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + dtype.hashCode() + Long.hashCode(dataOffset);
    }

    @Override
    public String toString() {
        return "NpyHeader[v" + majorVersion + "." + minorVersion + ", " + dtype.descr() + ", fortran_order="
                + fortranOrder + ", shape=" + pythonShape(shape) + ", dataOffset=" + dataOffset + "]";
    }
}
