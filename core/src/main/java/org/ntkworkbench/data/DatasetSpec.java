package org.ntkworkbench.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The command line's data-set arrays: {@code dataset:NAME[:split][:n]} (e.g.
 * {@code dataset:fashion-mnist:train:5000}) wherever an input array is taken. Split defaults to
 * {@code train}, n to all. On the command line the examples are the file's <b>first n</b> (the usual
 * "first 5000" benchmark subsets), standardised per example ({@link DatasetRequest.Normalize#STANDARDIZE});
 * the DSL word {@code dataset(...)} offers stratified seeded draws and the other options.
 *
 * @param request the data-set request this spec names
 */
public record DatasetSpec(DatasetRequest request) {

    /** The prefix that marks a data-set spec. */
    public static final String PREFIX = "dataset:";

    /** True when {@code spec} names a data set rather than an array file. */
    public static boolean isDataset(String spec) {
        return spec != null && spec.startsWith(PREFIX);
    }

    /** Parses {@code dataset:NAME[:split][:n]}; an {@link IllegalArgumentException} naming the spec otherwise. */
    public static DatasetSpec parse(String spec) {
        if (!isDataset(spec)) {
            throw new IllegalArgumentException(spec + ": not a data set (expected dataset:NAME[:split][:n])");
        }
        String[] parts = spec.substring(PREFIX.length()).split(":", -1);
        if (parts.length > 3 || parts[0].isBlank()) {
            throw new IllegalArgumentException(spec + ": expected dataset:NAME[:split][:n], e.g. dataset:fashion-mnist:train:5000");
        }
        String split = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : "train";
        int n = 0;
        if (parts.length > 2) {
            try {
                n = Integer.parseInt(parts[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(spec + ": n '" + parts[2] + "' is not a whole number");
            }
            if (n < 1) {
                throw new IllegalArgumentException(spec + ": n must be positive, got " + n);
            }
        }
        try {
            return new DatasetSpec(DatasetRequest.of(parts[0], split).withN(n, DatasetRequest.Sample.FIRST));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(spec + ": " + e.getMessage());
        }
    }

    /** Loads the examples, flattened to {@code (n, d)} or NHWC. */
    public LabeledData load(boolean flatten, Path dataDir) throws IOException {
        DatasetRequest r = request.withFlatten(flatten);
        if (dataDir != null) {
            r = new DatasetRequest(r.name(), r.split(), r.n(), r.sample(), r.seed(), r.classes(), r.normalize(), r.flatten(), dataDir);
        }
        return DatasetFiles.load(r);
    }
}
