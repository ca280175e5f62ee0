package org.ntkworkbench.train;

import org.ntkworkbench.tensor.SeededRandom;

/**
 * Mini-batches of example indices. With batch size {@code B < n}, each epoch walks a fresh
 * permutation of {@code 0..n-1} in consecutive slices of {@code B}; the last slice of an epoch holds
 * the {@code n mod B} remaining examples when {@code B} does not divide {@code n}, so every example is
 * seen once per epoch. The permutation of epoch {@code e} is a Fisher–Yates shuffle driven by
 * {@code SeededRandom.derived(seed, "batches/epoch/" + e)}: it depends only on the seed and the epoch,
 * so the sampler's whole state is {@code (epoch, cursor)}. With {@code B = 0} or {@code B ≥ n} every
 * batch is the full set in order.
 */
public final class BatchSampler {
    private final int n;
    private final int batchSize;
    private final long seed;
    private final int[] allRows;
    private int[] permutation;
    private long epoch;
    private int cursor;

    /** {@code n} examples, batch size {@code batchSize} (0 = full batch), shuffling seed. */
    public BatchSampler(int n, int batchSize, long seed) {
        if (n <= 0 || batchSize < 0) {
            throw new IllegalArgumentException("batch sampler needs n > 0 and batch >= 0, got n=" + n
                    + ", batch=" + batchSize);
        }
        this.n = n;
        this.batchSize = batchSize == 0 || batchSize >= n ? n : batchSize;
        this.seed = seed;
        this.allRows = Objective.allRows(n);
    }

    /** Whether every batch is the full training set. */
    public boolean fullBatch() {
        return batchSize == n;
    }

    /** Effective batch size ({@code n} for full batches). */
    public int batchSize() {
        return batchSize;
    }

    /** The next batch of row indices (a fresh array; the full-batch array is shared and must not be modified). */
    public int[] next() {
        if (fullBatch()) {
            epoch++;
            return allRows;
        }
        if (permutation == null) {
            permutation = permutation(epoch);
        }
        int len = Math.min(batchSize, n - cursor);
        int[] rows = new int[len];
        System.arraycopy(permutation, cursor, rows, 0, len);
        cursor += len;
        if (cursor == n) {
            epoch++;
            cursor = 0;
            permutation = null;
        }
        return rows;
    }

    /** The current epoch (completed passes over the data). */
    public long epoch() {
        return epoch;
    }

    /** Position within the current epoch's permutation. */
    public int cursor() {
        return cursor;
    }

    /** Continues from a state read from {@link #epoch()} and {@link #cursor()}. */
    public void restore(long epoch, int cursor) {
        if (epoch < 0 || cursor < 0 || cursor >= n) {
            throw new IllegalArgumentException("bad sampler state epoch=" + epoch + ", cursor=" + cursor + " for n=" + n);
        }
        this.epoch = epoch;
        this.cursor = cursor;
        this.permutation = null;
    }

    /** The permutation used in epoch {@code e}. */
    public int[] permutation(long e) {
        int[] p = Objective.allRows(n);
        SeededRandom rng = SeededRandom.derived(seed, "batches/epoch/" + e);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
