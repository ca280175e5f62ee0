package org.ntkworkbench.plugins.pinet;

import com.google.inject.Module;
import org.ntkworkbench.spi.NtkPlugin;

/** Polynomial nets (Π-Nets: CCP, NCP) of Wu et al. 2022 and their kernels. */
public final class PinetPlugin implements NtkPlugin {
    @Override
    public String name() {
        return "pinet";
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String description() {
        return "Polynomial nets (Pi-Nets) with Hadamard products and their NTK (Wu et al. 2022)";
    }

    @Override
    public Module module() {
        return new PinetModule();
    }
}
