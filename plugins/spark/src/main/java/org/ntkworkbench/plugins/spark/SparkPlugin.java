package org.ntkworkbench.plugins.spark;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import org.ntkworkbench.spi.NtkPlugin;

/**
 * Scale-out on Apache Spark: the {@code spark} engine ({@code --engine spark}, {@code engine: 'spark'})
 * and {@code ntk cluster}. Listed so {@code ntk plugins} shows it; its module binds nothing, so
 * loading the plugin never loads Spark.
 */
public final class SparkPlugin implements NtkPlugin {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String description() {
        return "Scale-out on Apache Spark 4.2: tiled kernels, distributed solves and spectra, sweeps (--engine spark), ntk cluster";
    }

    @Override
    public Module module() {
        return new AbstractModule() {};
    }
}
