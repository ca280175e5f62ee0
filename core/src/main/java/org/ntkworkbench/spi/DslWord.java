package org.ntkworkbench.spi;

/**
 * A word of the Groovy DSL, callable from scripts, the REPL and (as {@code Workbench.word(...)}) JShell.
 * Words are thin sugar over the Java API: they convert arguments and call services, nothing more.
 */
public interface DslWord {
    /**
     * Calls the word. Groovy passes named arguments ({@code dense(512, bStd: 0.1)}) as
     * {@link DslArgs#named()} and the rest as {@link DslArgs#positional()}.
     *
     * @throws DslException for bad arguments, with a message that names the word and argument
     */
    Object call(DslArgs args);
}
