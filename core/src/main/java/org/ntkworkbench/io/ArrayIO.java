package org.ntkworkbench.io;

import com.google.inject.ImplementedBy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reading and writing the workbench's files: NumPy {@code .npy}/{@code .npz} arrays, numeric CSV
 * tables and JSON documents. Every write goes to a temporary file in the target directory and is
 * renamed into place, so a crash never leaves a half-written file under the target name. Bad input
 * raises an {@link ArrayFileException} (an {@link IOException}) with a one-line message naming the file
 * and the problem.
 */
@ImplementedBy(DefaultArrayIO.class)
public interface ArrayIO {
    /** A float64 C-order tensor from an NPY file (format 1.0-3.0; float, int, bool little-endian; either order). */
    Tensor readNpy(Path file) throws IOException;

    /** Writes {@code tensor} as float64 little-endian C-order NPY (byte-identical to {@code np.save}). */
    void writeNpy(Path file, Tensor tensor) throws IOException;

    /** All arrays of an NPZ archive, by name, in archive order. */
    LinkedHashMap<String, Tensor> readNpz(Path file) throws IOException;

    /** One array of an NPZ archive; the message lists the available names if {@code name} is absent. */
    Tensor readNpz(Path file, String name) throws IOException;

    /** Writes {@code arrays} as an uncompressed NPZ archive (as {@code np.savez}), in map order. */
    void writeNpz(Path file, Map<String, Tensor> arrays) throws IOException;

    /**
     * Writes {@code arrays} as an NPZ archive in map order: deflated (as {@code np.savez_compressed})
     * when {@code compress}, else stored.
     */
    default void writeNpz(Path file, Map<String, Tensor> arrays, boolean compress) throws IOException {
        if (compress) {
            Npz.write(file, arrays, true);
        } else {
            writeNpz(file, arrays);
        }
    }

    /**
     * Reads an array given as {@code A.npy} or {@code A.npz:NAME} (the command-line convention);
     * a bare {@code A.npz} must hold exactly one array.
     */
    Tensor readArray(String spec) throws IOException;

    /**
     * Creates a float64 NPY file of the given shape to fill row block by row block through a memory
     * map (for arrays larger than the heap); closing it renames it into place.
     */
    MappedNpyWriter createMappedNpy(Path file, int... shape) throws IOException;

    /** A read-only memory-mapped view of a float64 C-order NPY file. */
    MappedNpy mapNpy(Path file) throws IOException;

    /** A numeric CSV table with a header line. */
    NumericTable readCsv(Path file) throws IOException;

    /** Writes a numeric CSV table with a header line. */
    void writeCsv(Path file, NumericTable table) throws IOException;

    /** The JSON document in {@code file} as a tree. */
    JsonNode readJson(Path file) throws IOException;

    /** The JSON document in {@code file} mapped onto {@code type} (records, maps, lists, {@link Tensor}s...). */
    <T> T readJson(Path file, Class<T> type) throws IOException;

    /** Writes {@code value} as indented JSON with a final newline. */
    void writeJson(Path file, Object value) throws IOException;

    /** The configured JSON mapper (indented output, {@link TensorJson} support), for in-memory use. */
    ObjectMapper json();
}
