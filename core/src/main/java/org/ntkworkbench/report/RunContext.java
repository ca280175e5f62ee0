package org.ntkworkbench.report;

import java.io.IOException;
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
    Path plotsDir();

    /** {@code dir()/arrays}, created. */
    Path arraysDir();

    /** Records a named scalar result for the manifest and report. */
    void result(String name, Object value);

    Map<String, Object> results();

    /** Records a seed that a computation drew with. */
    void seed(String what, long seed);

    /** Records the wall time of a named stage, in seconds. */
    void timing(String stage, double seconds);

    /** Appends a line to {@code log.txt}. */
    void log(String line);

    /** Writes {@code manifest.json} with the given status ({@code running}, {@code ok}, {@code failed}). */
    void writeManifest(String status, String error) throws IOException;
}
