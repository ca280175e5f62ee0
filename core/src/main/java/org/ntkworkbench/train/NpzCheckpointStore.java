package org.ntkworkbench.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.ntkworkbench.io.Npz;
import org.ntkworkbench.tensor.Tensor;

/**
 * A {@link CheckpointStore} as an NPZ file (one {@code .npy} entry per array, in order), so checkpoints
 * open in NumPy ({@code np.load("ckpt.npz")["params/0/W"]}). {@link Npz#write} writes a temporary file
 * and renames it; float64 round-trips bit for bit.
 */
public final class NpzCheckpointStore implements CheckpointStore {

    @Override
    public void write(Path file, LinkedHashMap<String, Tensor> arrays) throws IOException {
        Npz.write(file, arrays);
    }

    @Override
    public LinkedHashMap<String, Tensor> read(Path file) throws IOException {
        return Npz.read(file);
    }
}
