package org.ntkworkbench.dsl;

import groovy.lang.Closure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.report.PointRun;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.train.ProgressMode;
import org.ntkworkbench.train.Training;
import org.ntkworkbench.train.TrainingResult;

/**
 * The stages of one point, data → model → train → analyse, each resumed from disk when a previous run
 * completed it: a stage is done once its outputs ({@link StageCache}) and then the status saying so
 * ({@link ResumeStore}) are on disk, so a run killed at any moment resumes from the last completed stage.
 * A point's computation depends only on its parameters and seed. A failure never escapes: it is recorded
 * in the point's status as {@code file:line: message} and returned as a failed {@link PointOutcome}.
 */
final class PointStages {
    /** Stages with outputs, in order. */
    static final List<String> ORDER = List.of("data", "model", "train", "analyse");

    private final ExperimentSpec spec;
    private final ResumeStore store;
    private final StageCache cache;
    private final Training training;
    private final StageCalls calls;
    private final String scriptPath;

    /**
     * @param scriptPath the script's path as the run records it (null: the script class's source file name)
     */
    PointStages(ExperimentSpec spec, ResumeStore store, StageCache cache, Training training, StageCalls calls, String scriptPath) {
        this.spec = spec;
        this.store = store;
        this.cache = cache;
        this.training = training;
        this.calls = calls;
        this.scriptPath = scriptPath == null ? fileOf(spec) : scriptPath;
    }

    /** The script's path used in failure messages. */
    String scriptPath() {
        return scriptPath;
    }

    /**
     * Computes (or resumes, from {@code prev}, its saved status or null) one point; never throws: a failure
     * is recorded in its status.
     */
    PointOutcome compute(ExperimentPoint p, PointRun pr, Map<String, Object> prev, StageProgressBars bars) {
        Point pt = new Point(p, pr, prev);
        String stage = "data";
        try {
            if (spec.stages.containsKey("data")) {
                pt.data();
                bars.step("data");
            }
            stage = "model";
            if (spec.stages.containsKey("model")) {
                pt.model();
            }
            stage = "train";
            if (spec.stages.containsKey("train")) {
                pt.train();
                bars.step("train");
            }
            stage = "analyse";
            Map<String, Object> results = new LinkedHashMap<>();
            if (spec.stages.containsKey("analyse")) {
                results.putAll(pt.analyse());
                bars.step("analyse");
            } else {
                results.putAll(pr.results());
            }
            pt.status.put("results", results);
            pt.status.put("status", "ok");
            store.write(pr, pt.status);
            pr.log("ok " + results);
            return new PointOutcome(p, "ok", null, results, true);
        } catch (Throwable e) {
            String msg = locate(e, spec.stages.containsKey(stage) ? spec.stages.get(stage).line() : spec.line);
            boolean misuse = e instanceof IllegalArgumentException && !(e instanceof NumberFormatException);
            pt.status.put("status", "failed");
            pt.status.put("error", msg);
            pt.status.put("failedStage", stage);
            try {
                store.write(pr, pt.status);
            } catch (RuntimeException ignored) {
                // The failure below is what matters; the log has it too.
            }
            pr.log("FAILED in stage " + stage + ": " + msg);
            bars.fail(stage);
            return new PointOutcome(p, "failed", msg, Map.of(), true, misuse);
        }
    }

    /** One point being computed: its status as it will be saved, and what its stages produced so far. */
    private final class Point {
        final ExperimentPoint p;
        final PointRun pr;
        final Map<String, Object> prev;
        final Map<String, Object> prevStages;
        final Map<String, Object> status = new LinkedHashMap<>();
        final Map<String, Object> stages = new LinkedHashMap<>();
        final Map<String, Double> timings = new LinkedHashMap<>();
        final PointContext ctx;

        @SuppressWarnings("unchecked")
        Point(ExperimentPoint p, PointRun pr, Map<String, Object> prev) {
            this.p = p;
            this.pr = pr;
            this.prev = prev;
            this.prevStages = prev != null && prev.get("stages") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            status.put("experiment", spec.name);
            status.put("point", p.getName());
            status.put("index", p.getIndex());
            status.put("parameters", p.asMap());
            status.put("seed", p.getSeed());
            status.put("scriptSha256", store.scriptSha());
            status.put("scriptParameters", store.scriptParams());
            status.put("status", "running");
            status.put("error", null);
            status.put("stages", stages);
            status.put("timings", timings);
            this.ctx = new PointContext(p, pr.dir());
        }

        /** The data stage, or its saved outputs; the status is saved after it. */
        void data() throws java.io.IOException {
            long t = System.nanoTime();
            if ("done".equals(prevStages.get("data")) && cache.restoreData(ctx, pr, prev)) {
                pr.log("data: reused from a previous run");
                copy(prev, status, "dataArrays", "dataScalars");
                stages.put("data", "done");
            } else {
                Object v = call("data", p, ctx);
                if (!(v instanceof Map<?, ?> m)) {
                    throw stageType("data", "a map of named values, e.g. [x: x, y: y]", v);
                }
                ctx.data = stringKeys(m);
                stages.put("data", cache.saveData(ctx, pr, status) ? "done" : "uncached");
            }
            timings.put("data", (System.nanoTime() - t) / 1e9);
            store.write(pr, status);
        }

        /** The model stage (always called: a model is not saved). */
        void model() {
            Object m = call("model", p, ctx);
            if (m == null) {
                throw stageType("model", "a model such as serial(dense(64), relu(), dense(1))", null);
            }
            ctx.model = m;
        }

        /** The train stage, or its saved parameters and loss curve; the status is saved after it. */
        void train() throws java.io.IOException {
            long t = System.nanoTime();
            Object prevTrain = prevStages.get("train");
            if ("done".equals(prevTrain) && cache.hasTraining(pr)) {
                ctx.training = cache.restoreTraining(pr, prev);
                pr.log("train: reused params.npz and loss.csv from a previous run");
                copy(prev, status, "optimizer");
                stages.put("train", "done");
            } else if ("none".equals(prevTrain)) {
                stages.put("train", "none");
            } else {
                TrainingResult r = PointStages.this.train(p, ctx, call("train", p, ctx));
                ctx.training = r;
                if (r != null) {
                    cache.saveTraining(r, pr, status);
                }
                stages.put("train", r == null ? "none" : "done");
            }
            timings.put("train", (System.nanoTime() - t) / 1e9);
            store.write(pr, status);
        }

        /** The analyse stage (always called): the point's results, after those its words recorded. */
        Map<String, Object> analyse() {
            long t = System.nanoTime();
            Map<String, Object> results = new LinkedHashMap<>();
            Object v = call("analyse", p, ctx);
            if (v != null && !(v instanceof Map<?, ?>)) {
                throw stageType("analyse", "a map of named scalar results, e.g. [test_rmse: 0.12]", v);
            }
            results.putAll(pr.results());
            if (v instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    Object val = e.getValue();
                    if (val instanceof java.math.BigDecimal || val instanceof Float) {
                        val = ((Number) val).doubleValue();
                    }
                    if (!(val instanceof Number || val instanceof CharSequence || val instanceof Boolean)) {
                        throw stageType("analyse", "named scalars (numbers, strings, booleans); result '" + e.getKey() + "' is not",
                                val);
                    }
                    results.put(String.valueOf(e.getKey()), val instanceof CharSequence s ? s.toString() : val);
                }
            }
            timings.put("analyse", (System.nanoTime() - t) / 1e9);
            stages.put("analyse", "done");
            return results;
        }
    }

    private Object call(String stage, ExperimentPoint p, PointContext ctx) {
        calls.count(stage);
        Closure<?> body = spec.stages.get(stage).body();
        return switch (body.getMaximumNumberOfParameters()) {
            case 0 -> body.call();
            case 1 -> body.call(p);
            default -> body.call(p, ctx);
        };
    }

    /** The train stage's value: options for the Training service, a TrainingResult, or null. */
    private TrainingResult train(ExperimentPoint p, PointContext ctx, Object v) {
        if (v == null || v instanceof TrainingResult) {
            return (TrainingResult) v;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw stageType("train", "training options such as [steps: 200, lr: 0.5] (x and y default to the data's x and y),"
                    + " a TrainingResult of train(...), or null", v);
        }
        Map<String, Object> named = stringKeys(m);
        Object x = named.containsKey("x") ? named.remove("x") : ctx.data.get("x");
        Object y = named.containsKey("y") ? named.remove("y") : ctx.data.get("y");
        if (!(ctx.model instanceof Layer net)) {
            throw stageType("model", "a model (Layer) for the train stage's options to train", ctx.model);
        }
        if (x == null || y == null) {
            throw new DslException("train: no training data: return x: and y: from the train stage or x and y from the data stage");
        }
        DslArgs a = new DslArgs("train", named, List.of());
        a.allowOnly("loss", "optimizer", "lr", "steps", "batch", "seed", "init");
        return TrainWords.TrainWord.train(training, a, net, Values.tensor("train", "x", x), Values.tensor("train", "y", y),
                ProgressMode.NEVER, p.getSeed());
    }

    private DslException stageType(String stage, String expected, Object got) {
        return new StageTypeException(stage + " stage must return " + expected + ", got " + DslArgs.describe(got),
                spec.stages.containsKey(stage) ? spec.stages.get(stage).line() : -1);
    }

    /** A stage returned the wrong type: reported at the line the stage was declared on. */
    static final class StageTypeException extends DslException {
        final int line;

        StageTypeException(String message, int line) {
            super(message);
            this.line = line;
        }
    }

    /** {@code file:line: message} of a point's failure: the innermost script line, else the stage's line. */
    private String locate(Throwable e, int stageLine) {
        int line = e instanceof StageTypeException st ? st.line : -1;
        for (Throwable t = e; t != null && line < 0; t = t.getCause() == t ? null : t.getCause()) {
            line = ExperimentSpec.scriptLine(t, spec.script.getClass().getName());
        }
        if (line < 0) {
            line = stageLine;
        }
        return scriptPath + (line > 0 ? ":" + line : "") + ": " + ScriptRunner.message(e);
    }

    /** The script's source file name, found on the calling thread's stack (the script is running it). */
    private static String fileOf(ExperimentSpec spec) {
        Class<?> c = spec.script.getClass();
        String name = c.getSimpleName() + ".groovy";
        for (StackTraceElement f : new Throwable().getStackTrace()) {
            if (f.getClassName().equals(c.getName()) && f.getFileName() != null) {
                return f.getFileName();
            }
        }
        return name;
    }

    private static void copy(Map<String, Object> from, Map<String, Object> to, String... keys) {
        for (String k : keys) {
            if (from.containsKey(k)) {
                to.put(k, from.get(k));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) m).forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
