package org.ntkworkbench.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A compute engine other than the local, embedded one, contributed by a plugin through
 * {@code META-INF/services/org.ntkworkbench.spi.EngineProvider} (the {@code spark} plugin is one).
 * The core knows only this interface, so neither the core nor the launcher pay for the engine's
 * libraries until a command asks for {@code --engine NAME}: implementations must not touch their
 * heavy classes before {@link #open}.
 */
public interface EngineProvider {

    /** The name used in {@code --engine NAME} and {@code engine: 'NAME'}, e.g. {@code spark}. */
    String name();

    /**
     * Connects to (or starts, for embedded masters such as {@code local[*]}) the engine.
     *
     * @param master where to run, e.g. {@code local[*]} or {@code spark://127.0.0.1:7077}; {@code null} for the default
     * @throws IllegalArgumentException when the master is unreachable or malformed (one-line message)
     */
    ComputeEngine open(String master);

    /** The engine's local test cluster control ({@code ntk cluster ...}), when it has one. */
    default Optional<ClusterControl> cluster() {
        return Optional.empty();
    }

    /** The provider named {@code name} on the class path, if any. */
    static Optional<EngineProvider> find(String name) {
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class, EngineProvider.class.getClassLoader())) {
            if (p.name().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Names of the providers on the class path. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(EngineProvider.class, EngineProvider.class.getClassLoader()).forEach(p -> names.add(p.name()));
        return names;
    }

    /**
     * The provider for {@code engine}, or a one-line {@link IllegalArgumentException} saying which
     * plugin to add (bad usage, exit 2).
     */
    static EngineProvider require(String engine) {
        return find(engine).orElseThrow(() -> new IllegalArgumentException("--engine " + engine
                + ": no such engine on the class path (known: local" + (names().isEmpty() ? "" : ", " + String.join(", ", names()))
                + "); the spark engine needs the plugin plugins/spark (ntk-plugin-spark jar)"));
    }
}
