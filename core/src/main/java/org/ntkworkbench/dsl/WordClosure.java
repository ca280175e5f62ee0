package org.ntkworkbench.dsl;

import groovy.lang.Closure;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslWord;

/**
 * A DSL word as a Groovy closure, so that shells that only know variables (the REPL) can call
 * {@code dense(512)} exactly as scripts do.
 */
public final class WordClosure extends Closure<Object> {
    private final String name;
    private final DslWord word;

    public WordClosure(String name, DslWord word) {
        super(null);
        this.name = name;
        this.word = word;
        this.parameterTypes = new Class<?>[] {Object[].class};
        this.maximumNumberOfParameters = Integer.MAX_VALUE;
    }

    /** Called by Groovy for {@code word(args…)}. */
    public Object doCall(Object... args) {
        return word.call(DslArgs.fromGroovy(name, args));
    }

    @Override
    public Object call(Object... args) {
        return doCall(args);
    }

    @Override
    public String toString() {
        return "DSL word " + name;
    }
}
