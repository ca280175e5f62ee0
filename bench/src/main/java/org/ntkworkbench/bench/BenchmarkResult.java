package org.ntkworkbench.bench;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one benchmark: {@code status} is {@code ok}, {@code skipped} (with the reason in
 * {@code notes}) or {@code failed} (with the error in {@code notes}); {@code numbers} summarise each
 * named value over the {@code repeats} timed repetitions (after {@code warmup} untimed ones), and
 * {@code info} holds the non-numeric facts of the last repetition.
 */
public record BenchmarkResult(String name, String description, Map<String, Object> params, String status,
                              int warmup, int repeats, Map<String, Statistic> numbers, Map<String, String> info,
                              List<String> notes) {

    public BenchmarkResult {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        numbers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(numbers));
        info = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(info));
        notes = List.copyOf(notes);
    }

    /** Median of a named number. */
    public double median(String key) {
        Statistic s = numbers.get(key);
        if (s == null) {
            throw new IllegalArgumentException("benchmark " + name + " has no number '" + key + "'; it has " + numbers.keySet());
        }
        return s.median();
    }
}
