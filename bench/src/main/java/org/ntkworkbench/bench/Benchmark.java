package org.ntkworkbench.bench;

import java.util.Map;

/**
 * One benchmark: a named measurement that the {@link BenchmarkRunner} repeats (after warm-up runs) and
 * summarises by median, minimum and maximum.
 *
 * <p>{@link #run} performs one repetition and returns named numbers (e.g. {@code seconds},
 * {@code gflops}, {@code stepsPerSecond}); it times only the work it means to measure (set-up such as
 * allocating inputs should be cached or left outside its own timer). A benchmark that cannot run here
 * (a missing tool) throws {@link BenchmarkSkippedException} with the reason.
 */
public interface Benchmark {

    /** Short identifier, e.g. {@code dgemm}; used on the command line. */
    String name();

    /** One sentence: what is measured, on which sizes. */
    String description();

    /** Parameters used when the caller gives none (shown in the report). */
    default Map<String, Object> defaultParams() {
        return Map.of();
    }

    /** One repetition with {@code params} (defaults merged in by the runner). */
    Measurement run(Map<String, Object> params) throws Exception;

    /**
     * True for a benchmark that warms up and bounds its own work (e.g. one that runs reference processes, each
     * method within a time budget): the runner then runs it once, whatever warm-up and repeats it was given, and
     * says so in the result's notes.
     */
    default boolean runsOnce() {
        return false;
    }

    /** An integer parameter. */
    static int intParam(Map<String, Object> params, String key) {
        Object v = params.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("benchmark parameter " + key + "=" + s + " is not an integer");
            }
        }
        throw new IllegalArgumentException("benchmark parameter " + key + " is missing");
    }
}
