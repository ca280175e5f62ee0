package org.ntkworkbench.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.ntkworkbench.io.AtomicFiles;
import org.ntkworkbench.spi.NetworkTraining;
import org.ntkworkbench.tensor.Tensor;

/**
 * The outcome of a run: the trained parameters and the loss curve (rows {@code 0..N}, see
 * {@link StepRecord}).
 */
public record TrainingResult(LinkedHashMap<String, Tensor> params, List<StepRecord> history, String optimizer)
        implements NetworkTraining.Trained {

    public TrainingResult {
        history = List.copyOf(history);
    }

    /** The training loss after the last update (the last row). */
    public double finalLoss() {
        return history.getLast().loss();
    }

    /** The loss column. */
    public double[] losses() {
        return history.stream().mapToDouble(StepRecord::loss).toArray();
    }

    /** The curve as CSV, header {@code step,loss}, losses in shortest round-trip decimal form. */
    public String lossCsv() {
        StringBuilder b = new StringBuilder("step,loss\n");
        for (StepRecord r : history) {
            b.append(r.step()).append(',').append(r.loss()).append('\n');
        }
        return b.toString();
    }

    /** Writes {@link #lossCsv()} to {@code file} through a temporary file and a rename. */
    public void writeLossCsv(Path file) {
        try {
            AtomicFiles.writeString(file, lossCsv());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write loss curve " + file + ": " + e.getMessage(), e);
        }
    }
}
