package org.ntkworkbench.plugins.analyses;

import com.google.inject.AbstractModule;
import org.ntkworkbench.spi.DslBindings;

/** Bindings of the analyses plugin: one DSL word per study. */
public final class AnalysesModule extends AbstractModule {
    @Override
    protected void configure() {
        DslBindings.declare(binder());
        DslBindings.addWord(binder(), ExtrapolationWord.INFO, ExtrapolationWord.class);
        DslBindings.addWord(binder(), LocalityWord.INFO, LocalityWord.class);
        DslBindings.addWord(binder(), DensityConvergenceWord.INFO, DensityConvergenceWord.class);
    }
}
