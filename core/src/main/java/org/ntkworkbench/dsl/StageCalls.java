package org.ntkworkbench.dsl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** How many times each stage closure of an experiment was called in this run (for the log and tests). */
final class StageCalls {
    private final Map<String, AtomicInteger> counts = new LinkedHashMap<>();

    StageCalls() {
        for (String s : List.of("data", "model", "train", "analyse", "report")) {
            counts.put(s, new AtomicInteger());
        }
    }

    /** Counts one call of {@code stage}; safe from the point threads. */
    void count(String stage) {
        counts.get(stage).incrementAndGet();
    }

    /** The counts so far, by stage in order. */
    Map<String, Integer> snapshot() {
        Map<String, Integer> m = new LinkedHashMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }
}
