package org.ntkworkbench.dsl;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;

/**
 * What scripts need from the running workbench: its DSL words, its services and the plugins it loaded.
 * {@code runtime.Workbench} implements it; the DSL depends on this interface only, so {@code runtime}
 * (which wires the DSL words into Guice) sits above {@code dsl} and there is no cycle between them.
 */
public interface DslContext {

    /** All DSL words by name (core and plugins). */
    Map<String, DslWord> words();

    /** The documentation of every word, by name. */
    Map<String, WordInfo> wordInfo();

    /** An injected service, e.g. {@code service(Plots.class)}. */
    <T> T service(Class<T> type);

    /** Services by the names scripts and the REPL see them under ({@code kernels}, {@code plots}, ...). */
    Map<String, Object> serviceBindings();

    /** The loaded plugins as {@code "name version"}, for the run manifest. */
    List<String> pluginVersions();
}
