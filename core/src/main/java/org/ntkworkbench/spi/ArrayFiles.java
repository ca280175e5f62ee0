package org.ntkworkbench.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.io.AtomicFiles;
import org.ntkworkbench.io.MappedNpy;
import org.ntkworkbench.io.NpyReader;
import org.ntkworkbench.io.NpyTileFile;
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

    /**
     * A float64 {@code (n1, n2)} {@code .npy} file filled tile by tile with positional writes: the writer the
     * local engine uses for kernels too big for memory (core's {@code io.NpyTileFile}: one place decides how
     * kernel tiles reach a file; its Javadoc has the measurements behind positional writes over a memory map).
     * Distinct tiles may be written from several threads or processes at once.
     */
    public static final class TileFile implements AutoCloseable {
        private final NpyTileFile file;

        private TileFile(NpyTileFile file) {
            this.file = file;
        }

        /** Creates (or truncates) {@code file} as an {@code (n1, n2)} float64 NPY of its final size, ready for tiles. */
        public static TileFile create(Path file, int n1, int n2) throws IOException {
            return new TileFile(NpyTileFile.create(file, n1, n2));
        }

        /** Opens an {@code (n1, n2)} file made by {@link #create} (e.g. in another JVM) to write tiles into it. */
        public static TileFile open(Path file, int n1, int n2) throws IOException {
            return new TileFile(NpyTileFile.open(file, n1, n2));
        }

        /**
         * Writes the {@code rows × cols} tile {@code v} (row-major) at ({@code r0}, {@code c0}) and, with
         * {@code mirror}, its transpose at ({@code c0}, {@code r0}). An I/O failure is an {@link java.io.UncheckedIOException}
         * naming the file.
         */
        public void writeTile(int r0, int c0, int rows, int cols, double[] v, boolean mirror) {
            file.writeTile(r0, c0, rows, cols, v, mirror);
        }

        /** Flushes the data to the device. */
        public void force() throws IOException {
            file.force();
        }

        /** Closes the file (it stays where it is). */
        @Override
        public void close() throws IOException {
            file.close();
        }
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
