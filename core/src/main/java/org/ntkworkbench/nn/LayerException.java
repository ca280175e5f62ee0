package org.ntkworkbench.nn;

/**
 * An {@link IllegalArgumentException} located at a layer: the message starts with
 * {@code layer <path> (<word>): }. Combinators add the location once, at the innermost layer.
 */
public class LayerException extends IllegalArgumentException {
    private final String path;
    private final String word;

    /** Wraps {@code cause}'s message with the layer location. */
    public LayerException(String path, String word, String message, Throwable cause) {
        super("layer " + Params.displayPath(path) + " (" + word + "): " + message, cause);
        this.path = path;
        this.word = word;
    }

    /** The layer path ({@code ""} for the root). */
    public String path() {
        return path;
    }

    /** The layer's DSL word. */
    public String word() {
        return word;
    }
}
