package org.ntkworkbench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link RunContext} of one point of an experiment: the sub-directory {@code points/<point>/} of the
 * run directory. DSL words called while the point computes ({@code save}, {@code plot}, {@code result})
 * write here; seeds and log lines go to the parent run, prefixed with the point's name. Its status file
 * is written by the experiment, so {@link #writeManifest} only makes sure the directory exists.
 */
public final class PointRun implements RunContext {
    private final RunContext parent;
    private final String point;
    private final Path dir;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, Double> timings = new LinkedHashMap<>();

    /** The point {@code point} of the run {@code parent}, in {@code parent.dir()/points/<point>}. */
    public PointRun(RunContext parent, String point) {
        this.parent = parent;
        this.point = point;
        this.dir = parent.dir().resolve("points").resolve(point);
    }

    /** The parent run. */
    public RunContext parent() {
        return parent;
    }

    @Override
    public String name() {
        return point;
    }

    @Override
    public Path dir() {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create point directory " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void result(String key, Object value) {
        results.put(key, RunContext.resultValue(key, value));
    }

    @Override
    public synchronized Map<String, Object> results() {
        return new LinkedHashMap<>(results);
    }

    @Override
    public void describeResult(String key, String description, String unit) {
        parent.describeResult(key, description, unit);
    }

    @Override
    public void seed(String what, long seed) {
        parent.seed(point + "/" + what, seed);
    }

    @Override
    public synchronized void timing(String stage, double seconds) {
        timings.put(stage, seconds);
    }

    /** Seconds per stage of this point. */
    public synchronized Map<String, Double> timings() {
        return new LinkedHashMap<>(timings);
    }

    @Override
    public void log(String line) {
        parent.log("[" + point + "] " + line);
    }

    @Override
    public void writeManifest(String status, String error) {
        dir();
    }
}
