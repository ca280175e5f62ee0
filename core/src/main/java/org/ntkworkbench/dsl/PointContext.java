package org.ntkworkbench.dsl;

import groovy.lang.GroovyObjectSupport;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.train.TrainingResult;

/**
 * What the stages of one point have produced so far, seen by the stages as {@code ctx}:
 * {@code ctx.data} (the map the data stage returned; {@code ctx.x} is short for {@code ctx.data.x}),
 * {@code ctx.model}, {@code ctx.training} (the {@link TrainingResult} of the train stage, or null),
 * {@code ctx.params} (the trained parameters, or null), {@code ctx.point}, {@code ctx.seed} and
 * {@code ctx.dir} (the point's directory).
 */
public final class PointContext extends GroovyObjectSupport {
    private final ExperimentPoint point;
    private final Path dir;
    Map<String, Object> data = Map.of();
    Object model;
    TrainingResult training;

    PointContext(ExperimentPoint point, Path dir) {
        this.point = point;
        this.dir = dir;
    }

    /** The point being computed. */
    public ExperimentPoint getPoint() {
        return point;
    }

    /** The point's seed ({@link ExperimentPoint#getSeed()}). */
    public long getSeed() {
        return point.getSeed();
    }

    /** The point's directory {@code points/<point>/}. */
    public Path getDir() {
        return dir;
    }

    /** What the data stage returned (read back from disk when resumed), read-only. */
    public Map<String, Object> getData() {
        return Collections.unmodifiableMap(data);
    }

    /** What the model stage returned, or null. */
    public Object getModel() {
        return model;
    }

    /** The train stage's result (parameters and loss curve; when resumed, the curve has no learning rates or wall times), or null. */
    public TrainingResult getTraining() {
        return training;
    }

    /** The trained parameters, or null when nothing was trained. */
    public LinkedHashMap<String, Tensor> getParams() {
        return training == null ? null : training.params();
    }

    /** The properties above by name, else a key of the data (so {@code ctx.x} is {@code ctx.data.x}). */
    @Override
    public Object getProperty(String property) {
        return switch (property) {
            case "point" -> point;
            case "seed" -> getSeed();
            case "dir" -> dir;
            case "data" -> getData();
            case "model" -> model;
            case "training" -> training;
            case "params" -> getParams();
            case "name" -> point.getName();
            default -> {
                if (data.containsKey(property)) {
                    yield data.get(property);
                }
                throw new DslException("ctx has no '" + property + "'" + NtkScript.suggestion(property, data.keySet())
                        + " (it has point, seed, dir, data, model, training, params"
                        + (data.isEmpty() ? "" : " and the data keys " + String.join(", ", data.keySet())) + ")");
            }
        };
    }

    /** The context is read-only: stages hand on values by returning them. */
    @Override
    public void setProperty(String property, Object newValue) {
        throw new DslException("ctx is read-only: cannot set '" + property + "'; return values from the stage instead");
    }
}
