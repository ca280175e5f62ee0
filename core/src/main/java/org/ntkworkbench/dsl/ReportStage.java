package org.ntkworkbench.dsl;

import groovy.lang.Closure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.io.AtomicFiles;
import org.ntkworkbench.report.Reports;
import org.ntkworkbench.report.RunContext;
import tools.jackson.databind.ObjectMapper;

/**
 * The report stage: runs once over all points after they are computed, with a {@link ReportContext}
 * ({@code points} table first), adds its results to the run's, and writes {@code report.html} even when
 * it fails. {@code report.json} records the points it saw and the results it added, so a resumed run in
 * which no point was recomputed reuses them instead of calling the stage again.
 */
final class ReportStage {
    private final ExperimentSpec spec;
    private final RunContext run;
    private final Reports reports;
    private final ObjectMapper json;
    private final StageCalls calls;

    ReportStage(ExperimentSpec spec, RunContext run, Reports reports, ObjectMapper json, StageCalls calls) {
        this.spec = spec;
        this.run = run;
        this.reports = reports;
        this.json = json;
        this.calls = calls;
    }

    /** Tables the points, runs the report closure (if declared) and writes {@code report.html}. */
    void run(List<PointOutcome> outcomes, List<String> axes) {
        ReportContext rc = new ReportContext(run, outcomes, axes);
        rc.table("points");
        try {
            runClosure(rc, outcomes);
        } finally {
            // Even when the report stage fails, report.html shows the points' tables and results.
            try {
                reports.writeHtml(run, spec.name, spec.notes);
            } catch (IOException e) {
                run.log("experiment " + spec.name + ": cannot write report.html: " + e.getMessage());
            }
        }
    }

    private void runClosure(ReportContext rc, List<PointOutcome> outcomes) {
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
                    res.forEach((k, v) -> run.result(String.valueOf(k), ResumeStore.fromJson(v)));
                    run.log("experiment " + spec.name + ": report stage skipped (complete in a previous run, no point recomputed)");
                    return;
                }
            }
            Map<String, Object> before = run.results();
            long t = System.nanoTime();
            calls.count("report");
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
}
