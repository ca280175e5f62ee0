package org.ntkworkbench.spi;

/**
 * What the DSL reference and {@code ntk plugins} say about a word.
 *
 * @param name    the word as written in scripts
 * @param usage   its call shape, e.g. {@code dense(width, wStd: 1, bStd: 0, parameterization: 'ntk')}
 * @param summary one sentence saying what it gives
 */
public record WordInfo(String name, String usage, String summary) {}
