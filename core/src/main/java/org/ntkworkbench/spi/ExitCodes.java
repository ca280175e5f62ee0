package org.ntkworkbench.spi;

import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.codehaus.groovy.runtime.typehandling.GroovyCastException;

/** DESIGN.md's exit codes, and which failures are whose fault. */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** The computation failed: divergence, non-finite values, a numerical routine that gave up. */
    public static final int COMPUTATION_FAILED = 1;
    /** Bad usage or bad input: unknown word, wrong argument, unreadable file. */
    public static final int BAD_INPUT = 2;

    /** Classifies a failure: bad input (2) or failed computation (1). */
    public static int of(Throwable e) {
        if (e instanceof IllegalArgumentException || e instanceof MissingMethodException
                || e instanceof MissingPropertyException || e instanceof GroovyCastException
                || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof ClassCastException || e instanceof IndexOutOfBoundsException) {
            return BAD_INPUT;
        }
        return COMPUTATION_FAILED;
    }
}
