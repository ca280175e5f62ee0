package org.ntkworkbench.plugins.stylegan;

import com.google.inject.AbstractModule;
import org.ntkworkbench.dsl.DslBindings;

/** Bindings of the StyleGAN plugin: its DSL words. */
public final class StyleganModule extends AbstractModule {
    @Override
    protected void configure() {
        DslBindings.declare(binder());
        for (org.ntkworkbench.dsl.WordInfo w : StyleganWords.WORDS) {
            DslBindings.addWord(binder(), w, new StyleganWords());
        }
    }
}
