package org.ntkworkbench.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What to load: a named data set's split, subsampled and normalised.
 *
 * @param name      data set name ({@code fashion-mnist}, {@code mnist}, or any folder name under a data root)
 * @param split     {@code train} or {@code test}
 * @param n         examples to keep (0: all)
 * @param sample    {@link Sample#STRATIFIED} (seeded, class proportions kept) or {@link Sample#FIRST} (the file's first n)
 * @param seed      seed of the stratified draw
 * @param classes   keep only these original labels, renumbered 0… in this order (null: all)
 * @param normalize {@link Normalize}
 * @param flatten   {@code (n, d)} instead of NHWC
 * @param dataDir   an explicit data root (null: {@code ntk.data} property, {@code NTK_DATA}, Debian's folder)
 */
public record DatasetRequest(String name, String split, int n, Sample sample, long seed, List<Integer> classes,
                             Normalize normalize, boolean flatten, Path dataDir) {

    /** How examples are chosen. */
    public enum Sample {
        /** A seeded draw keeping each class's share (largest remainders), in file order. */
        STRATIFIED,
        /** The first n examples of the file. */
        FIRST
    }

    /** How pixel values are scaled. */
    public enum Normalize {
        /** Each example to mean 0 and variance 1 over its own entries (no statistics shared between splits). */
        STANDARDIZE,
        /** Divided by 255 (to [0, 1] for 8-bit images); raw values for other files. */
        UNIT,
        /** Raw values. */
        NONE;

        /** {@code 'standardize'}, {@code 'unit'} or {@code 'none'}. */
        public static Normalize parse(String s) {
            return switch (s.toLowerCase()) {
                case "standardize", "standardise" -> STANDARDIZE;
                case "unit" -> UNIT;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("normalize '" + s + "': expected standardize, unit or none");
            };
        }
    }

    public DatasetRequest {
        if (!"train".equals(split) && !"test".equals(split)) {
            throw new IllegalArgumentException("split '" + split + "': expected train or test");
        }
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0 (0 = all), got " + n);
        }
        classes = classes == null ? null : List.copyOf(classes);
    }

    /** All of a split, standardised, flattened, from the default roots. */
    public static DatasetRequest of(String name, String split) {
        return new DatasetRequest(name, split, 0, Sample.FIRST, 0, null, Normalize.STANDARDIZE, true, null);
    }

    /** The same request with {@code n} examples taken by {@code sample}. */
    public DatasetRequest withN(int n, Sample sample) {
        return new DatasetRequest(name, split, n, sample, seed, classes, normalize, flatten, dataDir);
    }

    /** The same request with another flattening. */
    public DatasetRequest withFlatten(boolean flat) {
        return new DatasetRequest(name, split, n, sample, seed, classes, normalize, flat, dataDir);
    }
}
