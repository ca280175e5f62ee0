package org.ntkworkbench.spi;

/** Bad use of the DSL (unknown word, wrong argument type or value); reported as {@code file:line: message}. */
public class DslException extends IllegalArgumentException {
    public DslException(String message) {
        super(message);
    }

    public DslException(String message, Throwable cause) {
        super(message, cause);
    }
}
