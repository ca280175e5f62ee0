package org.ntkworkbench.plugins.stylegan;

import com.google.inject.AbstractModule;
import org.ntkworkbench.spi.DslBindings;
import org.ntkworkbench.spi.WordInfo;

/** Bindings of the StyleGAN plugin: its DSL words. */
public final class StyleganModule extends AbstractModule {
    @Override
    protected void configure() {
        DslBindings.declare(binder());
        for (WordInfo w : StyleganWords.WORDS) {
            DslBindings.addWord(binder(), w, new StyleganWords());
        }
    }
}
