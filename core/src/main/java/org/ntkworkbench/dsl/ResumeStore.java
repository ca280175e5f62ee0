package org.ntkworkbench.dsl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.io.AtomicFiles;
import org.ntkworkbench.report.PointRun;
import org.ntkworkbench.report.RunContext;
import org.ntkworkbench.report.RunDirectory;
import org.ntkworkbench.spi.DslException;
import tools.jackson.databind.ObjectMapper;

/**
 * What a run directory remembers of an experiment, so that {@code --resume} continues it: the claim
 * {@code points/experiment.json} (one experiment per run directory) and each point's
 * {@code points/<point>/status.json} (parameters, seed, the script's hash and parameters, which stages
 * are done, status, error, results, timings), always written to a temporary name and renamed.
 */
final class ResumeStore {
    private final String experiment;
    private final RunContext run;
    private final ObjectMapper json;
    private final String scriptSha;
    private final Map<String, Object> scriptParams;

    ResumeStore(String experiment, RunContext run, ObjectMapper json) {
        this.experiment = experiment;
        this.run = run;
        this.json = json;
        this.scriptSha = run instanceof RunDirectory rd ? rd.scriptSha256() : "";
        this.scriptParams = run instanceof RunDirectory rd ? rd.parameters() : new LinkedHashMap<>();
        ScriptRunner.RUNNER_PARAMETERS.forEach(this.scriptParams::remove); // where and how many at once: results do not change
    }

    /** The SHA-256 of the script that runs the experiment ({@code ""} without a run directory). */
    String scriptSha() {
        return scriptSha;
    }

    /** The script's {@code -P} parameters that can change results (all but the runner's, {@code threads}, {@code engine}, {@code master}). */
    Map<String, Object> scriptParams() {
        return scriptParams;
    }

    /** One experiment per run directory: a directory that holds another experiment's points is refused. */
    void claim(List<ExperimentPoint> points) {
        Path marker = run.dir().resolve("points").resolve("experiment.json");
        try {
            if (Files.exists(marker)) {
                Object other = json.readValue(marker.toFile(), Map.class).get("experiment");
                if (!experiment.equals(other)) {
                    throw new DslException("experiment '" + experiment + "': the run directory " + run.dir() + " already holds experiment '"
                            + other + "'; give each experiment its own script (or run without --resume)");
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("experiment", experiment);
            m.put("points", points.stream().map(ExperimentPoint::getName).toList());
            AtomicFiles.writeString(marker, json.writeValueAsString(m));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker + ": " + e.getMessage(), e);
        }
    }

    /** The point's saved status, or null when it has none (or an unreadable one, which is logged). */
    Map<String, Object> read(ExperimentPoint p) {
        Path f = run.dir().resolve("points").resolve(p.getName()).resolve("status.json");
        if (!Files.exists(f)) {
            return null;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = json.readValue(f.toFile(), Map.class);
            return m;
        } catch (RuntimeException e) {
            run.log("experiment " + experiment + ": unreadable " + f + " (" + e.getMessage() + "); recomputing the point");
            return null;
        }
    }

    /** Writes the point's status (temporary name, then renamed). */
    void write(PointRun pr, Map<String, Object> status) {
        try {
            AtomicFiles.writeString(pr.dir().resolve("status.json"), json.writeValueAsString(status) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write status of point " + pr.name() + ": " + e.getMessage(), e);
        }
    }

    /** Logs a warning when a saved point came from another version of the script or other parameters. */
    void warnIfChanged(ExperimentPoint p, Map<String, Object> st) {
        Object sha = st.get("scriptSha256");
        if (sha != null && !scriptSha.isEmpty() && !sha.equals(scriptSha)) {
            run.log("experiment " + experiment + ": WARNING point " + p.getName()
                    + " was computed by a different version of the script; its saved outputs are reused as they are");
        }
        Object params = st.get("scriptParameters");
        if (params instanceof Map<?, ?> m && !m.equals(scriptParams)) {
            run.log("experiment " + experiment + ": WARNING point " + p.getName() + " was computed with the parameters " + m
                    + ", this run has " + scriptParams + "; its saved outputs are reused as they are");
        }
    }

    /** The results a saved status holds, non-finite doubles restored. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> results(Map<String, Object> st) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (st.get("results") instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, fromJson(v)));
        }
        return out;
    }

    /** JSON writes non-finite doubles as strings; read them back as doubles. */
    static Object fromJson(Object v) {
        if (v instanceof String s && (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity"))) {
            return Double.parseDouble(s);
        }
        return v;
    }
}
