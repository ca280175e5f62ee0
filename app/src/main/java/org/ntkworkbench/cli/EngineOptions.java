package org.ntkworkbench.cli;

import org.ntkworkbench.spi.EngineProvider;
import picocli.CommandLine.Option;

/**
 * {@code --engine local|spark [--master URL]} of the commands that can compute elsewhere (kernel, fit): where the
 * kernel is computed, {@code local} (this JVM, the default) or an engine from a plugin ({@code spark}), and that
 * engine's master. One place for the options' names, help and the check that {@code --master} goes with an engine.
 */
public final class EngineOptions {
    /** The built-in engine. */
    static final String LOCAL = "local";

    @Option(names = "--engine", paramLabel = "local|spark",
            description = "Where to compute: local (default, this JVM) or spark (tiles as Spark tasks; needs the spark plugin).")
    String engine = LOCAL;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master with --engine spark: local[*] (default, embedded) or spark://HOST:PORT (e.g. from ntk cluster start).")
    String master;

    /** The engine's name. */
    String engine() {
        return engine;
    }

    /** The master URL, or null for the engine's default. */
    String master() {
        return master;
    }

    /** Whether the work runs in this JVM. */
    boolean local() {
        return LOCAL.equals(engine);
    }

    /**
     * Refuses in one line (exit 2) an engine that no plugin provides ({@link EngineProvider#require} names the
     * known ones) and {@code --master} with the local engine.
     */
    void check() {
        if (!local()) {
            EngineProvider.require(engine);
        } else if (master != null) {
            throw new IllegalArgumentException("--master needs --engine spark");
        }
    }
}
