package org.ntkworkbench.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Benchmarks contributed from outside this module (a plugin such as Spark), found by
 * {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/org.ntkworkbench.bench.BenchmarkProvider}. The bench module therefore
 * depends on no plugin; a plugin that contributes entries depends on this module.
 */
public interface BenchmarkProvider {

    /**
     * The contributed benchmarks; their names must not clash with the built-in ones.
     *
     * @param home the repository root, where reference scripts ({@code bench/numpy}, {@code bench/torch}) live
     */
    List<Benchmark> benchmarks(Path home);
}
