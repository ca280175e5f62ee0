package org.ntkworkbench.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read or written as the array format it claims to be (bad header, truncated
 * data, unsupported dtype, malformed CSV/JSON line, ...). The message is one line of the form
 * {@code "<file>: <problem>"}, so command-line tools can print it as is.
 */
public class ArrayFileException extends IOException {
    private final String source;

    /** A problem with {@code source} (a path, or e.g. {@code "K.npz:ntk"} for an archive entry). */
    public ArrayFileException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    /** As {@link #ArrayFileException(String, String)}, keeping the underlying cause. */
    public ArrayFileException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** A problem with the file {@code file}. */
    public ArrayFileException(Path file, String problem) {
        this(String.valueOf(file), problem);
    }

    /** A problem with the file {@code file}, keeping the underlying cause. */
    public ArrayFileException(Path file, String problem, Throwable cause) {
        this(String.valueOf(file), problem, cause);
    }

    /** The file (or archive entry) the problem is in. */
    public String source() {
        return source;
    }
}
