package org.ntkworkbench.plugins.cnn;

import com.google.inject.AbstractModule;
import org.ntkworkbench.spi.DslBindings;

/** Bindings of the CNN plugin: its DSL words. */
public final class CnnModule extends AbstractModule {
    @Override
    protected void configure() {
        DslBindings.addWord(binder(), CnnWords.CNN, new CnnWords());
        DslBindings.addWord(binder(), CnnWords.RECEPTIVE_FIELDS, new CnnWords());
        DslBindings.addWord(binder(), CnnSpectraWord.INFO, CnnSpectraWord.class);
    }
}
