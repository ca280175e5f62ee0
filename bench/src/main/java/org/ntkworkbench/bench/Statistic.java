package org.ntkworkbench.bench;

import java.util.Arrays;

/**
 * Summary of repeated measurements: the median (the mean of the two middle values for an even
 * count), the minimum and the maximum, and the samples in the order measured.
 */
public record Statistic(double median, double min, double max, double[] samples) {

    public Statistic {
        samples = samples.clone();
    }

    /** Summarises at least one sample. */
    public static Statistic of(double... samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("a statistic needs at least one sample");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        return new Statistic(median, sorted[0], sorted[n - 1], samples);
    }

    @Override
    public double[] samples() {
        return samples.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Statistic s && Arrays.equals(samples, s.samples);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "median " + median + " [" + min + ", " + max + "] of " + samples.length;
    }
}
