package org.ntkworkbench.spectrum;

import com.google.inject.AbstractModule;

/** Binds {@link Spectra} to {@link NativeSpectra} (stateless, so one instance serves everyone). */
public final class SpectrumModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(Spectra.class).toInstance(create());
    }

    /** The one {@link Spectra} instance a workbench uses (the core-only workbench, which has no injector, too). */
    public static Spectra create() {
        return new NativeSpectra();
    }
}
