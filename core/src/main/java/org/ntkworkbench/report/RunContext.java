package org.ntkworkbench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The run directory of one script run or REPL session ({@code runs/<name>-<yyyyMMdd-HHmmss>/}):
 * where arrays, plots, the log, the report and {@code manifest.json} go, and the named results.
 */
public interface RunContext {
    /** The run's name (script base name or experiment name). */
    String name();

    /** The run directory (created on first use). */
    Path dir();

    /** {@code dir()/plots}, created. */
    default Path plotsDir() {
        return subdirectory(dir(), "plots");
    }

    /** {@code dir()/arrays}, created. */
    default Path arraysDir() {
        return subdirectory(dir(), "arrays");
    }

    /** {@code dir/name}, created. */
    static Path subdirectory(Path dir, String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A result value as the manifest stores it: numbers other than integers as doubles, strings and
     * booleans as they are; anything else is refused naming the result.
     */
    static Object resultValue(String name, Object value) {
        if (!(value instanceof Number || value instanceof String || value instanceof Boolean)) {
            throw new IllegalArgumentException("result '" + name + "' must be a number, string or boolean, got "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return value instanceof Number n && !(value instanceof Integer || value instanceof Long) ? n.doubleValue() : value;
    }

    /** Records a named scalar result for the manifest and report. */
    void result(String name, Object value);

    Map<String, Object> results();

    /**
     * What a result means, for the report's results table and the manifest's {@code result_info}.
     *
     * @param description one line, e.g. "median convergence step, densest arc"
     * @param unit        e.g. "GD steps", or empty for a pure number
     */
    record ResultInfo(String description, String unit) {}

    /**
     * Records the description and unit of result {@code name} (a point's results share the description
     * of their bare name). Default: ignored.
     */
    default void describeResult(String name, String description, String unit) {}

    /** Descriptions of results by name; empty by default. */
    default Map<String, ResultInfo> resultInfo() {
        return Map.of();
    }

    /**
     * Remembers that report.html was written with this title and notes, so that the runner can write it
     * again with the final manifest when the run ends. Default: not remembered.
     */
    default void reportWritten(String title, String notes) {}

    /** Title and notes of the last report written ({@code [title, notes]}), or null. */
    default String[] lastReport() {
        return null;
    }

    /** Records a seed that a computation drew with. */
    void seed(String what, long seed);

    /** Records the wall time of a named stage, in seconds. */
    void timing(String stage, double seconds);

    /** Appends a line to {@code log.txt}. */
    void log(String line);

    /** Writes {@code manifest.json} with the given status ({@code running}, {@code ok}, {@code failed}). */
    void writeManifest(String status, String error) throws IOException;
}
