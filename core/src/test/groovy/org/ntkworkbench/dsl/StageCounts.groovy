package org.ntkworkbench.dsl

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger

/** Counts stage calls from test scripts: {@code StageCounts.hit('train')}. */
class StageCounts {
    static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>()

    static void hit(String stage) {
        COUNTS.computeIfAbsent(stage) { new AtomicInteger() }.incrementAndGet()
    }

    static Map<String, Integer> snapshot() {
        COUNTS.collectEntries { k, v -> [k, v.get()] } as Map<String, Integer>
    }

    static void reset() {
        COUNTS.clear()
    }
}
