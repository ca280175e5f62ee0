package org.ntkworkbench.plugins.cnn;

import com.google.inject.Module;
import org.ntkworkbench.spi.NtkPlugin;

/** Circular 1-D convolutional nets on multi-sphere inputs and the spectra of their CNTK/CGPK (Geifman et al. 2022). */
public final class CnnPlugin implements NtkPlugin {
    @Override
    public String name() {
        return "cnn";
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String description() {
        return "Circular 1-D conv nets, their CNTK/CGPK as multi-dot-product kernels and spectra (Geifman et al. 2022)";
    }

    @Override
    public Module module() {
        return new CnnModule();
    }
}
