package org.ntkworkbench.plugins.analyses;

import com.google.inject.Module;
import org.ntkworkbench.spi.NtkPlugin;

/** The source papers' studies (extrapolation, frequency bias under density, locality) as DSL words the reproduction scripts call. */
public final class AnalysesPlugin implements NtkPlugin {
    @Override
    public String name() {
        return "analyses";
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String description() {
        return "Paper studies: extrapolation (Wu 2022), frequency bias under density (Basri 2020), locality (Geifman 2022)";
    }

    @Override
    public Module module() {
        return new AnalysesModule();
    }
}
