package org.ntkworkbench.plugins.stylegan;

import com.google.inject.Module;
import org.ntkworkbench.spi.NtkPlugin;

/** StyleGAN building blocks (mapping network, modulated convolution, AdaIN, noise injection, style blocks) with their NTKs. */
public final class StyleganPlugin implements NtkPlugin {
    @Override
    public String name() {
        return "stylegan";
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String description() {
        return "StyleGAN blocks: mapping network, modulated conv, AdaIN, noise injection, style blocks, synthesis net";
    }

    @Override
    public Module module() {
        return new StyleganModule();
    }
}
