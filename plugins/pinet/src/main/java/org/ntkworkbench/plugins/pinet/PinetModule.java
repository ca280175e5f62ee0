package org.ntkworkbench.plugins.pinet;

import com.google.inject.AbstractModule;
import org.ntkworkbench.spi.DslBindings;

/** Bindings of the Π-Net plugin: its DSL words. */
public final class PinetModule extends AbstractModule {
    @Override
    protected void configure() {
        DslBindings.addWord(binder(), CcpKernelWord.INFO, new CcpKernelWord());
        DslBindings.addWord(binder(), PresetWords.CCP, new PresetWords());
        DslBindings.addWord(binder(), PresetWords.NCP, new PresetWords());
        DslBindings.addWord(binder(), PresetWords.HADAMARD, new PresetWords());
        DslBindings.addWord(binder(), PresetWords.RELU_PLUS_ONE, new PresetWords());
    }
}
