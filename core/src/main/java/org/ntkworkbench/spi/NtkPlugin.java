package org.ntkworkbench.spi;

import com.google.inject.Module;

/**
 * The plugin SPI: a plugin is a jar with one implementation of this interface listed in
 * {@code META-INF/services/org.ntkworkbench.spi.NtkPlugin}.
 *
 * <p>Stable surface: this interface, {@link org.ntkworkbench.spi.DslBindings} and
 * {@link org.ntkworkbench.spi.DslWord}. A plugin contributes only through its Guice {@link #module()},
 * which should be fast, side-effect free and bind DSL words with {@code DslBindings.addWord}.
 */
public interface NtkPlugin {
    /** Short unique name, e.g. {@code pinet}. */
    String name();

    /** The plugin's own version. */
    String version();

    /** One line saying what it adds. */
    String description();

    /** Guice bindings: services and DSL words. */
    com.google.inject.Module module();
}
