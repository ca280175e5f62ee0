package org.ntkworkbench.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.ntkworkbench.tensor.Tensor;

/**
 * Persistence of a checkpoint as an ordered map of named arrays (see {@link Checkpoint#toArrays()}),
 * so that any array container (NPZ, a plain stream) can hold it. Implementations must write to a
 * temporary file and rename it, so that a crash never leaves a half-written checkpoint under
 * {@code file}, and must round-trip every double bit for bit.
 */
public interface CheckpointStore {

    /** Writes {@code arrays} to {@code file} atomically (temporary file, then rename). */
    void write(Path file, LinkedHashMap<String, Tensor> arrays) throws IOException;

    /** Reads the arrays back in the order written. */
    LinkedHashMap<String, Tensor> read(Path file) throws IOException;

    /** Writes a checkpoint. */
    default void save(Path file, Checkpoint checkpoint) throws IOException {
        write(file, checkpoint.toArrays());
    }

    /** Reads a checkpoint. */
    default Checkpoint load(Path file) throws IOException {
        return Checkpoint.fromArrays(read(file));
    }
}
