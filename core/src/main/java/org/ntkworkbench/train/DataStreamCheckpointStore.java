package org.ntkworkbench.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import org.ntkworkbench.tensor.Tensor;

/**
 * A {@link CheckpointStore} in a small binary format written with {@link DataOutputStream}
 * (big-endian): the magic {@code NTKCKPT1}, the array count, then per array its UTF name, rank, shape
 * and IEEE-754 doubles. Doubles are written as their bits, so values round-trip exactly.
 */
public final class DataStreamCheckpointStore implements CheckpointStore {
    private static final String MAGIC = "NTKCKPT1";

    @Override
    public void write(Path file, LinkedHashMap<String, Tensor> arrays) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeBytes(MAGIC);
                out.writeInt(arrays.size());
                for (var e : arrays.entrySet()) {
                    Tensor t = e.getValue();
                    out.writeUTF(e.getKey());
                    int[] shape = t.shape();
                    out.writeInt(shape.length);
                    for (int s : shape) {
                        out.writeInt(s);
                    }
                    for (double v : t.data()) {
                        out.writeLong(Double.doubleToRawLongBits(v));
                    }
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public LinkedHashMap<String, Tensor> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] magic = new byte[MAGIC.length()];
            in.readFully(magic);
            if (!MAGIC.equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new IOException(file + " is not a checkpoint (bad magic)");
            }
            int count = in.readInt();
            LinkedHashMap<String, Tensor> arrays = new LinkedHashMap<>();
            for (int a = 0; a < count; a++) {
                String name = in.readUTF();
                int rank = in.readInt();
                int[] shape = new int[rank];
                long size = 1;
                for (int i = 0; i < rank; i++) {
                    shape[i] = in.readInt();
                    size *= shape[i];
                }
                if (shape.length > 0 && (size < 0 || size > Integer.MAX_VALUE - 8)) {
                    throw new IOException(file + ": array '" + name + "' has a corrupt shape");
                }
                double[] data = new double[(int) size];
                for (int i = 0; i < data.length; i++) {
                    data[i] = Double.longBitsToDouble(in.readLong());
                }
                arrays.put(name, Tensor.of(data, shape));
            }
            return arrays;
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }
}
