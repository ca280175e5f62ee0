package org.ntkworkbench.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.io.AtomicFiles;
import org.ntkworkbench.io.MappedNpy;
import org.ntkworkbench.io.NpyReader;
import org.ntkworkbench.io.NpyWriter;
import org.ntkworkbench.io.Npz;
import org.ntkworkbench.tensor.Tensor;

/**
 * Array files for plugins: NumPy {@code .npy}/{@code .npz} reading and writing (the formats of DESIGN.md),
 * memory-mapped reading of {@code .npy} files larger than the heap, and atomic writes (content to a
 * temporary sibling, flushed, then renamed over the target, so a reader never sees a half-written file
 * under the final name). Core's {@code io} package does the work; this is the part plugins may call.
 * Bad input raises an {@link IOException} with a one-line message naming the file.
 */
public final class ArrayFiles {
    private ArrayFiles() {}

    /** The body of an atomic write: puts the whole content into {@code out} (do not close it). */
    @FunctionalInterface
    public interface Body {
        /** Writes the content to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** A float64 C-order tensor from an {@code .npy} file. */
    public static Tensor readNpy(Path file) throws IOException {
        return NpyReader.read(file);
    }

    /** Writes {@code tensor} as float64 little-endian C-order {@code .npy} (as {@code np.save}), atomically. */
    public static void writeNpy(Path file, Tensor tensor) throws IOException {
        NpyWriter.write(file, tensor);
    }

    /** All arrays of an {@code .npz} archive, by name, in archive order. */
    public static LinkedHashMap<String, Tensor> readNpz(Path file) throws IOException {
        return Npz.read(file);
    }

    /** Writes {@code arrays} as an uncompressed {@code .npz} archive (as {@code np.savez}), in map order, atomically. */
    public static void writeNpz(Path file, Map<String, Tensor> arrays) throws IOException {
        Npz.write(file, arrays);
    }

    /**
     * The header of a float64 C-order {@code .npy} file of {@code shape} (magic, version, padded dictionary):
     * for writers that place the data themselves, e.g. through their own memory map; the data start at
     * {@code header.length}.
     */
    public static byte[] npyHeader(int... shape) {
        return NpyWriter.header(shape);
    }

    /** A read-only memory-mapped view of a float64 C-order {@code .npy} file; close it to unmap. */
    public static MappedArray mapNpy(Path file) throws IOException {
        return new MappedArray(NpyReader.map(file));
    }

    /** Writes {@code target} atomically with the content produced by {@code body}; missing parent directories are created. */
    public static void writeAtomically(Path target, Body body) throws IOException {
        AtomicFiles.write(target, body::writeTo);
    }

    /**
     * Renames a finished temporary file (in {@code target}'s directory, so on the same file system) over
     * {@code target} in one step, for writers that fill the temporary file themselves.
     */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        AtomicFiles.moveIntoPlace(temp, target);
    }

    /** A memory-mapped float64 {@code .npy} array: element reads without loading the file onto the heap. */
    public static final class MappedArray implements AutoCloseable {
        private final MappedNpy npy;

        private MappedArray(MappedNpy npy) {
            this.npy = npy;
        }

        /** The array's shape. */
        public int[] shape() {
            return npy.shape();
        }

        /** The length of the first axis. */
        public int rows() {
            return npy.rows();
        }

        /** The number of elements per row (the product of the other axes). */
        public long rowLength() {
            return npy.rowLength();
        }

        /** Element {@code i} in C order. */
        public double get(long i) {
            return npy.get(i);
        }

        /** Element ({@code row}, {@code column}) of a 2-D array. */
        public double get(int row, int column) {
            return npy.get(row, column);
        }

        /** {@code rowCount} rows from {@code rowStart}, row-major. */
        public double[] readRows(int rowStart, int rowCount) {
            return npy.readRows(rowStart, rowCount);
        }

        /** Unmaps the file. */
        @Override
        public void close() {
            npy.close();
        }
    }
}
