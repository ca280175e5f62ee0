package org.ntkworkbench.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-point and per-region convergence times from recorded residuals (Basri et al. 2020): point i has
 * converged at the first recorded step t with |r_i(t)| < threshold · max(|y_i|, floor) (the floor keeps
 * points near a zero of the target from counting as converged at once); a region's time is the median over
 * its points, a point that never converged counting as +∞ (it converges after every recorded step), so the
 * median is +∞ when at least half of the region (the upper middle point) has not converged.
 */
public final class ConvergenceTimes {
    private ConvergenceTimes() {}

    /**
     * First recorded step of convergence per point, NaN if it never converges.
     *
     * @param steps     recorded steps (ascending)
     * @param residuals {@code [observation][point]}
     */
    public static double[] perPoint(double[] steps, double[][] residuals, double[] y, double threshold, double floor) {
        if (steps.length != residuals.length) {
            throw new IllegalArgumentException(steps.length + " steps but " + residuals.length + " residual rows");
        }
        int n = y.length;
        double[] out = new double[n];
        Arrays.fill(out, Double.NaN);
        for (int t = 0; t < steps.length; t++) {
            if (residuals[t].length != n) {
                throw new IllegalArgumentException("residual row " + t + " has " + residuals[t].length + " points, targets " + n);
            }
            for (int i = 0; i < n; i++) {
                if (Double.isNaN(out[i]) && Math.abs(residuals[t][i]) < threshold * Math.max(Math.abs(y[i]), floor)) {
                    out[i] = steps[t];
                }
            }
        }
        return out;
    }

    /**
     * Median of the {@code times} of the points with {@code groups[i] == g}, NaN (never converged) counting as +∞,
     * for g = 0..count−1 (NaN for an empty group).
     */
    public static double[] medianByGroup(double[] times, int[] groups, int count) {
        if (times.length != groups.length) {
            throw new IllegalArgumentException(times.length + " times but " + groups.length + " group labels");
        }
        double[] out = new double[count];
        for (int g = 0; g < count; g++) {
            List<Double> v = new ArrayList<>();
            for (int i = 0; i < times.length; i++) {
                if (groups[i] == g) {
                    v.add(Double.isNaN(times[i]) ? Double.POSITIVE_INFINITY : times[i]);
                }
            }
            out[g] = median(v.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return out;
    }

    /** Number of NaN (never converged) entries. */
    public static int unconverged(double[] times) {
        int c = 0;
        for (double t : times) {
            if (Double.isNaN(t)) {
                c++;
            }
        }
        return c;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
