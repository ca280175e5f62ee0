package org.ntkworkbench.dsl;

import org.ntkworkbench.spi.DslException;
/**
 * Some points of an experiment failed (each is recorded in its {@code status.json}; the others ran).
 * Its message is the first failure, {@code file:line: message}, with the count. Exit code 1.
 */
public class ExperimentFailedException extends RuntimeException implements Located {
    public ExperimentFailedException(String message) {
        super(message);
    }

    /** Every failed point failed through bad use of the DSL (wrong stage result type, bad argument): exit code 2. */
    static final class Misuse extends DslException implements Located {
        Misuse(String message) {
            super(message);
        }
    }
}
