package org.ntkworkbench.runtime;

/**
 * A plugin that could not be loaded; the others load regardless.
 *
 * @param plugin the plugin's name or class, as far as it is known
 * @param source class path or jar
 * @param error  one line saying what went wrong
 * @param cause  the exception, for {@code --debug}
 */
public record PluginFailure(String plugin, String source, String error, Throwable cause) {}
