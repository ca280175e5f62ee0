package org.ntkworkbench.nn;

/** Thrown by {@link Layer#kernel} for layers that have no infinite-width kernel rule. */
public class NoKernelRuleException extends UnsupportedOperationException {
    private final String word;

    /** For the layer with DSL word {@code word}. */
    public NoKernelRuleException(String word) {
        super("layer '" + word + "' has no kernel rule");
        this.word = word;
    }

    /** The DSL word of the layer without a rule. */
    public String word() {
        return word;
    }
}
