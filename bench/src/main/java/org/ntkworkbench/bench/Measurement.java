package org.ntkworkbench.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one repetition of a {@link Benchmark} measured: named numbers, and named facts that are not
 * numbers (library versions, the BLAS a script used).
 */
public record Measurement(Map<String, Double> values, Map<String, String> info) {

    public Measurement {
        values = new LinkedHashMap<>(values);
        info = new LinkedHashMap<>(info);
    }

    /** Numbers only. */
    public static Measurement of(Map<String, Double> values) {
        return new Measurement(values, Map.of());
    }
}
