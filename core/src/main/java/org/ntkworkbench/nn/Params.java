package org.ntkworkbench.nn;

import java.util.function.Supplier;
import org.ntkworkbench.tensor.SeededRandom;
import org.ntkworkbench.tensor.Tensor;

/** Helpers for layer paths, parameter keys and seeded parameter draws. */
public final class Params {
    private Params() {}

    /** The key of parameter {@code name} of the layer at {@code path}: {@code path/name}, or {@code name} at the root. */
    public static String key(String path, String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }

    /** The path of child {@code index} of the layer at {@code path}. */
    public static String child(String path, int index) {
        return path.isEmpty() ? Integer.toString(index) : path + "." + index;
    }

    /** The path as shown in messages ({@code <root>} for the root). */
    public static String displayPath(String path) {
        return path.isEmpty() ? "<root>" : path;
    }

    /**
     * Standard normal draws of the given shape for parameter {@code key}: the stream is
     * {@code SeededRandom.derived(seed, key)}, so it depends only on the seed and the key.
     */
    public static Tensor normal(long seed, String key, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SeededRandom.derived(seed, key).fillGaussian(t.data());
        return t;
    }

    /**
     * Runs {@code body}, turning a plain {@link IllegalArgumentException} into a {@link LayerException}
     * located at {@code path}; already located exceptions pass through unchanged.
     */
    public static <T> T located(String path, Layer layer, Supplier<T> body) {
        try {
            return body.get();
        } catch (LayerException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new LayerException(path, layer.word(), e.getMessage(), e);
        }
    }
}
