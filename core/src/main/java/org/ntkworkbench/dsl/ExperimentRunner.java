package org.ntkworkbench.dsl;

import groovy.lang.Closure;
import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ntkworkbench.io.ArrayIO;
import org.ntkworkbench.io.AtomicFiles;
import org.ntkworkbench.io.Npz;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.report.PointRun;
import org.ntkworkbench.report.Reports;
import org.ntkworkbench.report.RunContext;
import org.ntkworkbench.report.RunDirectory;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.train.ProgressMode;
import org.ntkworkbench.train.StepRecord;
import org.ntkworkbench.train.Training;
import org.ntkworkbench.train.TrainingResult;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs a declared {@link ExperimentSpec} in the current run directory.
 *
 * <p>Every point computes data → model → train → analyse in one task of a fixed thread pool; the
 * point's files live in {@code points/<point>/}: {@code arrays/<key>.npy} (tensors the data stage
 * returned), {@code params.npz} and {@code loss.csv} (training), and {@code status.json} (parameters,
 * seed, which stages are done, status {@code running|ok|failed}, error, results, timings), each written
 * to a temporary name and renamed. A stage is done once its outputs and then the status saying so are
 * on disk, so a run killed at any moment resumes ({@code --resume}) from the last completed stage of
 * each point; completed points are not touched. A point's computation depends only on its parameters and
 * seed, so the results are the same for any thread count and any interruption.
 *
 * <p>The report stage then runs once over all points; the run's results get every point's results as
 * {@code <point>/<name>} plus the report stage's, and {@code report.html} is written. Failed points are
 * recorded and reported at the end ({@link ExperimentFailedException}); the others still run.
 */
final class ExperimentRunner {
    /** Stages with outputs, in order. */
    private static final List<String> POINT_STAGES = List.of("data", "model", "train", "analyse");

    private final ExperimentSpec spec;
    private final RunContext run;
    private final CurrentRun current;
    private final Training training;
    private final ArrayIO io;
    private final Reports reports;
    private final ObjectMapper json;
    private final String scriptPath;
    private final String scriptFile;
    private final String scriptSha;
    private final Map<String, Object> scriptParams;
    private final Map<String, AtomicInteger> invocations = new LinkedHashMap<>();

    ExperimentRunner(ExperimentSpec spec, RunContext run, CurrentRun current, Training training, ArrayIO io, Reports reports) {
        this.spec = spec;
        this.run = run;
        this.current = current;
        this.training = training;
        this.io = io;
        this.reports = reports;
        this.json = io.json();
        String path = run instanceof RunDirectory rd ? rd.script() : null;
        this.scriptFile = fileOf(spec);
        this.scriptPath = path == null ? scriptFile : path;
        this.scriptSha = run instanceof RunDirectory rd ? rd.scriptSha256() : "";
        this.scriptParams = run instanceof RunDirectory rd ? rd.parameters() : new LinkedHashMap<>();
        this.scriptParams.remove("threads"); // does not change results
        for (String s : List.of("data", "model", "train", "analyse", "report")) {
            invocations.put(s, new AtomicInteger());
        }
    }

    /** How many times each stage closure was called in this run (for logs and tests). */
    Map<String, Integer> invocations() {
        Map<String, Integer> m = new LinkedHashMap<>();
        invocations.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Runs every point, then the report; throws {@link ExperimentFailedException} if a point failed. */
    List<PointOutcome> run(int threads) {
        List<ExperimentPoint> points = spec.points();
        claimRunDirectory(points);
        List<String> axes = new ArrayList<>();
        spec.factors.forEach(f -> axes.addAll(f.axes().keySet()));
        // Find the points that are already complete.
        List<PointOutcome> outcomes = new ArrayList<>(java.util.Collections.nCopies(points.size(), (PointOutcome) null));
        Map<ExperimentPoint, Map<String, Object>> previous = new LinkedHashMap<>();
        List<ExperimentPoint> todo = new ArrayList<>();
        for (ExperimentPoint p : points) {
            Map<String, Object> st = readStatus(p);
            if (st != null && "ok".equals(st.get("status"))) {
                outcomes.set(p.getIndex(), new PointOutcome(p, "ok", null, results(st), false));
                run.log("experiment " + spec.name + ": point " + p.getName() + " skipped (complete in a previous run)");
                warnIfChanged(p, st);
            } else {
                if (st != null) {
                    run.log("experiment " + spec.name + ": point " + p.getName() + " resumes (previous status "
                            + st.get("status") + ", stages done " + st.get("stages") + ")");
                    warnIfChanged(p, st);
                }
                previous.put(p, st);
                todo.add(p);
            }
        }
        int pool = Math.max(1, Math.min(threads, todo.size()));
        int reused = points.size() - todo.size();
        String head = "experiment " + spec.name + ": " + points.size() + " points, "
                + (reused == 0 ? "" : reused + " complete from a previous run, ")
                + todo.size() + " to compute on " + pool + " thread" + (pool == 1 ? "" : "s");
        run.log(head);
        System.err.println(head);
        long t0 = System.nanoTime();
        try (StageBars bars = new StageBars(todo.isEmpty() ? List.of() : spec.stages.keySet().stream()
                .filter(s -> !s.equals("model") && !s.equals("report")).toList(), todo.size())) {
            ExecutorService exec = Executors.newFixedThreadPool(pool, r -> {
                Thread t = new Thread(r, "experiment-" + spec.name);
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<PointOutcome>> futures = new ArrayList<>();
                for (ExperimentPoint p : todo) {
                    PointRun pr = new PointRun(run, p.getName());
                    futures.add(exec.submit(() -> current.within(pr, () -> computePoint(p, pr, previous.get(p), bars))));
                }
                for (int i = 0; i < todo.size(); i++) {
                    try {
                        outcomes.set(todo.get(i).getIndex(), futures.get(i).get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException("point " + todo.get(i).getName() + ": " + e.getCause(), e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for point " + todo.get(i).getName(), e);
                    }
                }
            } finally {
                exec.shutdownNow();
            }
        }
        run.timing("experiment_points", (System.nanoTime() - t0) / 1e9);
        for (PointOutcome o : outcomes) {
            run.seed(o.getName(), o.getPoint().getSeed());
            if (o.isOk()) {
                o.getResults().forEach((k, v) -> run.result(o.getName() + "/" + k, v));
            }
        }
        ReportContext rc = new ReportContext(run, outcomes, axes);
        rc.table("points");
        try {
            runReport(rc, outcomes);
        } finally {
            // Even when the report stage fails, report.html shows the points' tables and results.
            try {
                reports.writeHtml(run, spec.name, spec.notes);
            } catch (IOException e) {
                run.log("experiment " + spec.name + ": cannot write report.html: " + e.getMessage());
            }
        }
        List<PointOutcome> failed = outcomes.stream().filter(o -> !o.isOk()).toList();
        String tail = "experiment " + spec.name + ": " + (points.size() - failed.size()) + " of " + points.size() + " points ok"
                + (failed.isEmpty() ? "" : ", " + failed.size() + " failed") + "; stage calls " + invocations();
        run.log(tail);
        System.err.println(tail);
        if (!failed.isEmpty()) {
            String msg = failed.get(0).getError() + " (point " + failed.get(0).getName() + "; " + failed.size() + " of "
                    + points.size() + " points failed, see points/<point>/status.json)";
            boolean allMisuse = failed.stream().allMatch(o -> Boolean.TRUE.equals(misuse.get(o.getName())));
            throw allMisuse ? new ExperimentFailedException.Misuse(msg) : new ExperimentFailedException(msg);
        }
        return outcomes;
    }

    private final Map<String, Boolean> misuse = new java.util.concurrent.ConcurrentHashMap<>();

    /** One experiment per run directory: a directory that holds another experiment's points is refused. */
    private void claimRunDirectory(List<ExperimentPoint> points) {
        Path marker = run.dir().resolve("points").resolve("experiment.json");
        try {
            if (Files.exists(marker)) {
                Object other = json.readValue(marker.toFile(), Map.class).get("experiment");
                if (!spec.name.equals(other)) {
                    throw new DslException("experiment '" + spec.name + "': the run directory " + run.dir() + " already holds experiment '"
                            + other + "'; give each experiment its own script (or run without --resume)");
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("experiment", spec.name);
            m.put("points", points.stream().map(ExperimentPoint::getName).toList());
            AtomicFiles.writeString(marker, json.writeValueAsString(m));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker + ": " + e.getMessage(), e);
        }
    }

    private void warnIfChanged(ExperimentPoint p, Map<String, Object> st) {
        Object sha = st.get("scriptSha256");
        if (sha != null && !scriptSha.isEmpty() && !sha.equals(scriptSha)) {
            run.log("experiment " + spec.name + ": WARNING point " + p.getName()
                    + " was computed by a different version of the script; its saved outputs are reused as they are");
        }
        Object params = st.get("scriptParameters");
        if (params instanceof Map<?, ?> m && !m.equals(scriptParams)) {
            run.log("experiment " + spec.name + ": WARNING point " + p.getName() + " was computed with the parameters " + m
                    + ", this run has " + scriptParams + "; its saved outputs are reused as they are");
        }
    }

    /** Computes (or resumes) one point; never throws: a failure is recorded in its status. */
    private PointOutcome computePoint(ExperimentPoint p, PointRun pr, Map<String, Object> prev, StageBars bars) {
        @SuppressWarnings("unchecked")
        Map<String, Object> prevStages = prev != null && prev.get("stages") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("experiment", spec.name);
        status.put("point", p.getName());
        status.put("index", p.getIndex());
        status.put("parameters", p.asMap());
        status.put("seed", p.getSeed());
        status.put("scriptSha256", scriptSha);
        status.put("scriptParameters", scriptParams);
        status.put("status", "running");
        status.put("error", null);
        Map<String, Object> stages = new LinkedHashMap<>();
        status.put("stages", stages);
        Map<String, Double> timings = new LinkedHashMap<>();
        status.put("timings", timings);
        PointContext ctx = new PointContext(p, pr.dir());
        String stage = "data";
        try {
            // data
            if (spec.stages.containsKey("data")) {
                long t = System.nanoTime();
                if ("done".equals(prevStages.get("data")) && restoreData(ctx, pr, prev)) {
                    pr.log("data: reused from a previous run");
                    copy(prev, status, "dataArrays", "dataScalars");
                    stages.put("data", "done");
                } else {
                    Object v = call("data", p, ctx);
                    if (!(v instanceof Map<?, ?> m)) {
                        throw stageType("data", "a map of named values, e.g. [x: x, y: y]", v);
                    }
                    ctx.data = stringKeys(m);
                    stages.put("data", saveData(ctx, pr, status) ? "done" : "uncached");
                }
                timings.put("data", (System.nanoTime() - t) / 1e9);
                writeStatus(pr, status);
                bars.step("data");
            }
            stage = "model";
            if (spec.stages.containsKey("model")) {
                Object m = call("model", p, ctx);
                if (m == null) {
                    throw stageType("model", "a model such as serial(dense(64), relu(), dense(1))", null);
                }
                ctx.model = m;
            }
            stage = "train";
            if (spec.stages.containsKey("train")) {
                long t = System.nanoTime();
                Object prevTrain = prevStages.get("train");
                if ("done".equals(prevTrain) && Files.exists(pr.dir().resolve("params.npz"))) {
                    ctx.training = restoreTraining(pr, prev);
                    pr.log("train: reused params.npz and loss.csv from a previous run");
                    copy(prev, status, "optimizer");
                    stages.put("train", "done");
                } else if ("none".equals(prevTrain)) {
                    stages.put("train", "none");
                } else {
                    TrainingResult r = train(p, ctx, call("train", p, ctx));
                    ctx.training = r;
                    if (r != null) {
                        Npz.write(pr.dir().resolve("params.npz"), r.params());
                        r.writeLossCsv(pr.dir().resolve("loss.csv"));
                        status.put("optimizer", r.optimizer());
                        status.put("finalLoss", r.finalLoss());
                    }
                    stages.put("train", r == null ? "none" : "done");
                }
                timings.put("train", (System.nanoTime() - t) / 1e9);
                writeStatus(pr, status);
                bars.step("train");
            }
            stage = "analyse";
            Map<String, Object> results = new LinkedHashMap<>();
            if (spec.stages.containsKey("analyse")) {
                long t = System.nanoTime();
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
                bars.step("analyse");
            } else {
                results.putAll(pr.results());
            }
            status.put("results", results);
            status.put("status", "ok");
            writeStatus(pr, status);
            pr.log("ok " + results);
            return new PointOutcome(p, "ok", null, results, true);
        } catch (Throwable e) {
            String msg = locate(e, spec.stages.containsKey(stage) ? spec.stages.get(stage).line() : spec.line);
            misuse.put(p.getName(), e instanceof IllegalArgumentException && !(e instanceof NumberFormatException));
            status.put("status", "failed");
            status.put("error", msg);
            status.put("failedStage", stage);
            try {
                writeStatus(pr, status);
            } catch (RuntimeException ignored) {
                // The failure below is what matters; the log has it too.
            }
            pr.log("FAILED in stage " + stage + ": " + msg);
            bars.fail(stage);
            return new PointOutcome(p, "failed", msg, Map.of(), true);
        }
    }

    private Object call(String stage, ExperimentPoint p, PointContext ctx) {
        invocations.get(stage).incrementAndGet();
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

    private boolean saveData(PointContext ctx, PointRun pr, Map<String, Object> status) throws IOException {
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

    @SuppressWarnings("unchecked")
    private boolean restoreData(PointContext ctx, PointRun pr, Map<String, Object> prev) throws IOException {
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

    private TrainingResult restoreTraining(PointRun pr, Map<String, Object> prev) throws IOException {
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

    private void runReport(ReportContext rc, List<PointOutcome> outcomes) {
        Path marker = run.dir().resolve("report.json");
        List<String> okNames = outcomes.stream().filter(PointOutcome::isOk).map(PointOutcome::getName).toList();
        boolean anyComputed = outcomes.stream().anyMatch(PointOutcome::computed);
        if (!spec.stages.containsKey("report")) {
            return;
        }
        try {
            if (!anyComputed && Files.exists(marker)) {
                Map<?, ?> m = json.readValue(marker.toFile(), Map.class);
                if (okNames.equals(m.get("points")) && m.get("results") instanceof Map<?, ?> res) {
                    res.forEach((k, v) -> run.result(String.valueOf(k), fromJson(v)));
                    run.log("experiment " + spec.name + ": report stage skipped (complete in a previous run, no point recomputed)");
                    return;
                }
            }
            Map<String, Object> before = run.results();
            long t = System.nanoTime();
            invocations.get("report").incrementAndGet();
            Closure<?> body = (Closure<?>) spec.stages.get("report").body().clone();
            body.setDelegate(rc);
            body.setResolveStrategy(Closure.DELEGATE_FIRST);
            Object v = body.getMaximumNumberOfParameters() == 0 ? body.call() : body.call(rc);
            if (v != null && !(v instanceof Map<?, ?>) && !(v instanceof Path) && !(v instanceof List<?>)) {
                // A report closure's last statement is often plot(...) or table(...); only maps are results.
                v = null;
            }
            if (v instanceof Map<?, ?> m) {
                m.forEach((k, val) -> run.result(String.valueOf(k),
                        val instanceof java.math.BigDecimal b ? b.doubleValue() : val));
            }
            run.timing("experiment_report", (System.nanoTime() - t) / 1e9);
            Map<String, Object> added = new LinkedHashMap<>();
            run.results().forEach((k, val) -> {
                if (!before.containsKey(k)) {
                    added.put(k, val);
                }
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("points", okNames);
            m.put("results", added);
            AtomicFiles.writeString(marker, json.writeValueAsString(m));
        } catch (IOException e) {
            throw new UncheckedIOException("report stage: " + e.getMessage(), e);
        }
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

    private Map<String, Object> readStatus(ExperimentPoint p) {
        Path f = run.dir().resolve("points").resolve(p.getName()).resolve("status.json");
        if (!Files.exists(f)) {
            return null;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = json.readValue(f.toFile(), Map.class);
            return m;
        } catch (RuntimeException e) {
            run.log("experiment " + spec.name + ": unreadable " + f + " (" + e.getMessage() + "); recomputing the point");
            return null;
        }
    }

    private void writeStatus(PointRun pr, Map<String, Object> status) {
        try {
            AtomicFiles.writeString(pr.dir().resolve("status.json"), json.writeValueAsString(status) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write status of point " + pr.name() + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> results(Map<String, Object> st) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (st.get("results") instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, fromJson(v)));
        }
        return out;
    }

    /** JSON writes non-finite doubles as strings; read them back as doubles. */
    private static Object fromJson(Object v) {
        if (v instanceof String s && (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity"))) {
            return Double.parseDouble(s);
        }
        return v;
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

    /**
     * One progress bar per stage counting the points that finished it: stacked bars on a terminal, ASCII
     * lines (printed when the count changes) otherwise. Off with {@code -Dntk.progress=false}.
     */
    static final class StageBars implements AutoCloseable {
        private final Map<String, ProgressBar> bars = new LinkedHashMap<>();

        StageBars(List<String> stages, int points) {
            if (points == 0 || "false".equals(System.getProperty("ntk.progress"))) {
                return;
            }
            Console console = System.console();
            boolean tty = console != null && console.isTerminal();
            for (String s : stages) {
                ProgressBarConsumer consumer = tty ? new InteractiveConsoleProgressBarConsumer(System.err)
                        : new DelegatingProgressBarConsumer(new ChangedLines(), 80);
                bars.put(s, new ProgressBarBuilder()
                        .setTaskName(String.format("%-7s", s))
                        .setInitialMax(points)
                        .setStyle(tty ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                        .setConsumer(consumer)
                        .setUpdateIntervalMillis(tty ? 200 : 1000)
                        .continuousUpdate()
                        .build());
            }
        }

        void step(String stage) {
            ProgressBar b = bars.get(stage);
            if (b != null) {
                b.step();
            }
        }

        /** A failed point counts as finished for every stage it will not reach. */
        void fail(String stage) {
            for (Map.Entry<String, ProgressBar> e : bars.entrySet()) {
                if (POINT_STAGES.indexOf(e.getKey()) >= POINT_STAGES.indexOf(stage)) {
                    e.getValue().step();
                }
            }
        }

        @Override
        public void close() {
            bars.values().forEach(ProgressBar::close);
        }
    }

    /** Prints a bar's line only when its text before the timing part changes (no flood in log files). */
    private static final class ChangedLines implements java.util.function.Consumer<String> {
        private String last = "";

        @Override
        public synchronized void accept(String line) {
            int paren = line.indexOf('(');
            String key = paren > 0 ? line.substring(0, paren) : line;
            if (!key.equals(last)) {
                last = key;
                System.err.println(line.strip());
            }
        }
    }
}
