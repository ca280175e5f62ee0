package org.ntkworkbench.plugins.spark;

import java.util.Optional;
import org.ntkworkbench.spi.ClusterControl;
import org.ntkworkbench.spi.ComputeEngine;
import org.ntkworkbench.spi.EngineProvider;

/** {@code --engine spark}: found by ServiceLoader; touches Spark's classes only in {@link #open}. */
public final class SparkEngineProvider implements EngineProvider {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public ComputeEngine open(String master) {
        return new SparkEngine(master);
    }

    @Override
    public Optional<ClusterControl> cluster() {
        return Optional.of(new LocalCluster());
    }
}
