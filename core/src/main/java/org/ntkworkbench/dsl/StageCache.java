package org.ntkworkbench.dsl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.io.ArrayIO;
import org.ntkworkbench.io.Npz;
import org.ntkworkbench.report.PointRun;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.train.StepRecord;
import org.ntkworkbench.train.TrainingResult;

/**
 * The outputs of a point's data and train stages on disk, so a resumed point skips them: the data
 * stage's tensors as {@code arrays/<key>.npy} and its scalars in the status; the trained parameters as
 * {@code params.npz} and the loss curve as {@code loss.csv}. What the status must record to find them
 * again goes into the status map the caller writes afterwards.
 */
final class StageCache {
    private final ArrayIO io;

    StageCache(ArrayIO io) {
        this.io = io;
    }

    /**
     * Saves the data stage's tensors and scalars; returns false (nothing to reuse) when it also returned
     * values of other types, which a resumed run cannot restore.
     */
    boolean saveData(PointContext ctx, PointRun pr, Map<String, Object> status) throws IOException {
        List<String> arrays = new ArrayList<>();
        Map<String, Object> scalars = new LinkedHashMap<>();
        boolean cacheable = true;
        for (Map.Entry<String, Object> e : ctx.data.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Tensor t && e.getKey().matches("[A-Za-z0-9_.-]+")) {
                io.writeNpy(pr.arraysDir().resolve(e.getKey() + ".npy"), t);
                arrays.add(e.getKey());
            } else if (v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof String) {
                scalars.put(e.getKey(), v);
            } else {
                cacheable = false;
            }
        }
        status.put("dataArrays", arrays);
        status.put("dataScalars", scalars);
        if (!cacheable) {
            pr.log("data: not cached (only tensors and scalars are saved); a resumed run calls the data stage again");
        }
        return cacheable;
    }

    /** Reads the data stage's saved values into {@code ctx}; false when any is missing. */
    @SuppressWarnings("unchecked")
    boolean restoreData(PointContext ctx, PointRun pr, Map<String, Object> prev) throws IOException {
        if (!(prev.get("dataArrays") instanceof List<?> arrays) || !(prev.get("dataScalars") instanceof Map<?, ?> scalars)) {
            return false;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (Object k : arrays) {
            Path f = pr.arraysDir().resolve(k + ".npy");
            if (!Files.exists(f)) {
                return false;
            }
            data.put(String.valueOf(k), io.readNpy(f));
        }
        data.putAll((Map<String, Object>) scalars);
        ctx.data = data;
        return true;
    }

    /** Whether a previous run left trained parameters. */
    boolean hasTraining(PointRun pr) {
        return Files.exists(pr.dir().resolve("params.npz"));
    }

    /** Saves the trained parameters and loss curve, and the optimizer and final loss in the status. */
    void saveTraining(TrainingResult r, PointRun pr, Map<String, Object> status) throws IOException {
        Npz.write(pr.dir().resolve("params.npz"), r.params());
        r.writeLossCsv(pr.dir().resolve("loss.csv"));
        status.put("optimizer", r.optimizer());
        status.put("finalLoss", r.finalLoss());
    }

    /** The saved training (its loss curve without learning rates or wall times). */
    TrainingResult restoreTraining(PointRun pr, Map<String, Object> prev) throws IOException {
        LinkedHashMap<String, Tensor> params = Npz.read(pr.dir().resolve("params.npz"));
        List<StepRecord> history = new ArrayList<>();
        Path csv = pr.dir().resolve("loss.csv");
        if (Files.exists(csv)) {
            for (String line : Files.readAllLines(csv)) {
                if (line.isBlank() || line.startsWith("step")) {
                    continue;
                }
                String[] f = line.split(",");
                history.add(new StepRecord(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.NaN, Double.NaN));
            }
        }
        return new TrainingResult(params, history, String.valueOf(prev.getOrDefault("optimizer", "unknown")));
    }
}
