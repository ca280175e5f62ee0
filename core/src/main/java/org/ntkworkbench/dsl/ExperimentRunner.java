package org.ntkworkbench.dsl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.io.ArrayIO;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.report.PointRun;
import org.ntkworkbench.report.Reports;
import org.ntkworkbench.report.RunContext;
import org.ntkworkbench.report.RunDirectory;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.PointExecutor;
import org.ntkworkbench.spi.PointJob;
import org.ntkworkbench.spi.PointTask;
import org.ntkworkbench.train.Training;

/**
 * Runs a declared {@link ExperimentSpec} in the current run directory.
 *
 * <p>The runner finds which points a previous run completed ({@link ResumeStore}), hands the others to a
 * {@link PointExecutor} (the thread pool by default), each point computing data → model → train →
 * analyse ({@link PointStages}, outputs cached by {@link StageCache}) in {@code points/<point>/}, with
 * one progress bar per stage ({@link StageProgressBars}). Completed points are not touched; a point's
 * computation depends only on its parameters and seed, so the results are the same for any thread count
 * and any interruption.
 *
 * <p>The {@link ReportStage} then runs once over all points; the run's results get every point's results
 * as {@code <point>/<name>} plus the report stage's, and {@code report.html} is written. Failed points are
 * recorded and reported at the end ({@link ExperimentFailedException}); the others still run.
 */
final class ExperimentRunner {
    private final ExperimentSpec spec;
    private final RunContext run;
    private final CurrentRun current;
    private final PointExecutor executor;
    private final ResumeStore store;
    private final StageCalls calls = new StageCalls();
    private final PointStages stages;
    private final ReportStage report;

    /** Must be called on the script's thread (failure messages name the script's file from its stack). */
    ExperimentRunner(ExperimentSpec spec, RunContext run, CurrentRun current, Training training, ArrayIO io, Reports reports,
                     PointExecutor executor) {
        this.spec = spec;
        this.run = run;
        this.current = current;
        this.executor = executor;
        this.store = new ResumeStore(spec.name, run, io.json());
        this.stages = new PointStages(spec, store, new StageCache(io), training, calls,
                run instanceof RunDirectory rd ? rd.script() : null);
        this.report = new ReportStage(spec, run, reports, io.json(), calls);
    }

    /** How many times each stage closure was called in this run (for logs and tests). */
    Map<String, Integer> invocations() {
        return calls.snapshot();
    }

    /** Runs every point, then the report; throws {@link ExperimentFailedException} if a point failed. */
    List<PointOutcome> run() {
        List<ExperimentPoint> points = spec.points();
        store.claim(points);
        List<String> axes = new ArrayList<>();
        spec.factors.forEach(f -> axes.addAll(f.axes().keySet()));
        // Find the points that are already complete.
        List<PointOutcome> outcomes = new ArrayList<>(Collections.nCopies(points.size(), (PointOutcome) null));
        Map<ExperimentPoint, Map<String, Object>> previous = new LinkedHashMap<>();
        List<ExperimentPoint> todo = new ArrayList<>();
        for (ExperimentPoint p : points) {
            Map<String, Object> st = store.read(p);
            if (st != null && "ok".equals(st.get("status"))) {
                outcomes.set(p.getIndex(), new PointOutcome(p, "ok", null, ResumeStore.results(st), false));
                run.log("experiment " + spec.name + ": point " + p.getName() + " skipped (complete in a previous run)");
                store.warnIfChanged(p, st);
            } else {
                if (st != null) {
                    run.log("experiment " + spec.name + ": point " + p.getName() + " resumes (previous status "
                            + st.get("status") + ", stages done " + st.get("stages") + ")");
                    store.warnIfChanged(p, st);
                }
                previous.put(p, st);
                todo.add(p);
            }
        }
        int reused = points.size() - todo.size();
        String head = "experiment " + spec.name + ": " + points.size() + " points, "
                + (reused == 0 ? "" : reused + " complete from a previous run, ")
                + todo.size() + " to compute on " + executor.description(todo.size());
        run.log(head);
        System.err.println(head);
        long t0 = System.nanoTime();
        try (StageProgressBars bars = new StageProgressBars(todo.isEmpty() ? List.of() : spec.stages.keySet().stream()
                .filter(s -> !s.equals("model") && !s.equals("report")).toList(), todo.size())) {
            List<PointTask<PointOutcome>> tasks = new ArrayList<>();
            for (ExperimentPoint p : todo) {
                tasks.add(new Task(job(p), p, previous.get(p), bars));
            }
            List<PointOutcome> computed = executor.computeAll(tasks);
            for (int i = 0; i < todo.size(); i++) {
                outcomes.set(todo.get(i).getIndex(), computed.get(i));
            }
        }
        run.timing("experiment_points", (System.nanoTime() - t0) / 1e9);
        for (PointOutcome o : outcomes) {
            run.seed(o.getName(), o.getPoint().getSeed());
            if (o.isOk()) {
                o.getResults().forEach((k, v) -> run.result(o.getName() + "/" + k, v));
            }
        }
        report.run(outcomes, axes);
        List<PointOutcome> failed = outcomes.stream().filter(o -> !o.isOk()).toList();
        String tail = "experiment " + spec.name + ": " + (points.size() - failed.size()) + " of " + points.size() + " points ok"
                + (failed.isEmpty() ? "" : ", " + failed.size() + " failed") + "; stage calls " + invocations();
        run.log(tail);
        System.err.println(tail);
        if (!failed.isEmpty()) {
            String msg = failed.get(0).getError() + " (point " + failed.get(0).getName() + "; " + failed.size() + " of "
                    + points.size() + " points failed, see points/<point>/status.json)";
            boolean allMisuse = failed.stream().allMatch(PointOutcome::misuse);
            throw allMisuse ? new ExperimentFailedException.Misuse(msg) : new ExperimentFailedException(msg);
        }
        return outcomes;
    }

    /**
     * Computes (or resumes) only the point named {@code point} into this run directory, as a worker of a
     * remote {@link PointExecutor} does: no claim, no report; the point's status records the outcome.
     * Returns its status ({@code ok} or {@code failed}).
     */
    String computeOne(String point) {
        ExperimentPoint p = spec.points().stream().filter(q -> q.getName().equals(point)).findFirst()
                .orElseThrow(() -> new DslException("experiment " + spec.name + " has no point " + point + " (the script changed?)"));
        try (StageProgressBars none = new StageProgressBars(List.of(), 1)) {
            return new Task(job(p), p, store.read(p), none).compute().getStatus();
        }
    }

    private PointJob job(ExperimentPoint p) {
        return new PointJob(spec.name, p.getName(), p.getIndex(), p.getSeed(), run.dir().toAbsolutePath().toString(),
                stages.scriptPath(), store.scriptSha(), store.scriptParams());
    }

    /** One point in this JVM: its stages within the point's own run directory ({@code points/<point>/}). */
    private final class Task implements PointTask<PointOutcome> {
        private final PointJob job;
        private final ExperimentPoint point;
        private final Map<String, Object> previous;
        private final StageProgressBars bars;

        Task(PointJob job, ExperimentPoint point, Map<String, Object> previous, StageProgressBars bars) {
            this.job = job;
            this.point = point;
            this.previous = previous;
            this.bars = bars;
        }

        @Override
        public PointJob job() {
            return job;
        }

        @Override
        public PointOutcome collect() {
            Map<String, Object> st = store.read(point);
            if (st != null && "ok".equals(st.get("status"))) {
                return new PointOutcome(point, "ok", null, ResumeStore.results(st), true);
            }
            String error = st == null ? "the engine did not compute the point (no points/" + point.getName() + "/status.json)"
                    : String.valueOf(st.get("error"));
            return new PointOutcome(point, "failed", error, Map.of(), true, false);
        }

        @Override
        public PointOutcome compute() {
            PointRun pr = new PointRun(run, point.getName());
            try {
                return current.within(pr, () -> stages.compute(point, pr, previous, bars));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}
