package org.ntkworkbench.runtime;

import com.google.inject.Module;
import java.util.List;
import org.ntkworkbench.spi.WordInfo;

/**
 * A plugin that loaded: its identity, where it came from, the DSL words its module binds.
 *
 * @param source class path or the jar it was loaded from
 */
public record LoadedPlugin(String name, String version, String description, String source,
                           List<WordInfo> words, Module module) {}
