package org.ntkworkbench.spi;

import com.google.inject.Binder;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;

/**
 * The one way to contribute DSL words from a Guice module (core or plugin):
 * <pre>{@code DslBindings.addWord(binder(), new WordInfo("ccp", "ccp(degree:, width:)", "..."), CcpWord.class);}</pre>
 * The word is bound into a {@code MapBinder<String, DslWord>} and its {@link WordInfo} into a set,
 * from which {@code ntk plugins} and the generated DSL reference read.
 */
public final class DslBindings {
    private DslBindings() {}

    public static void addWord(Binder binder, WordInfo info, Class<? extends DslWord> implementation) {
        MapBinder.newMapBinder(binder, String.class, DslWord.class).addBinding(info.name()).to(implementation);
        Multibinder.newSetBinder(binder, WordInfo.class).addBinding().toInstance(info);
    }

    public static void addWord(Binder binder, WordInfo info, DslWord instance) {
        MapBinder.newMapBinder(binder, String.class, DslWord.class).addBinding(info.name()).toInstance(instance);
        Multibinder.newSetBinder(binder, WordInfo.class).addBinding().toInstance(info);
    }

    /** Makes sure the word map and info set exist even when no module adds a word. */
    public static void declare(Binder binder) {
        MapBinder.newMapBinder(binder, String.class, DslWord.class);
        Multibinder.newSetBinder(binder, WordInfo.class);
    }
}
