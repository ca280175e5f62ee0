package org.ntkworkbench.data

import groovy.transform.CompileStatic

/** Small statistics helpers for the sampler specs. */
@CompileStatic
class Stats {
    /** Column means of an (n, d) row-major array. */
    static double[] means(double[] x, int n, int d) {
        double[] m = new double[d]
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) m[j] += x[i * d + j]
        for (int j = 0; j < d; j++) m[j] /= n
        return m
    }

    /** Second-moment matrix E[x xᵀ] of an (n, d) row-major array, as d*d row-major. */
    static double[] secondMoments(double[] x, int n, int d) {
        double[] s = new double[d * d]
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) s[a * d + b] += x[i * d + a] * x[i * d + b]
        for (int k = 0; k < s.length; k++) s[k] /= n
        return s
    }

    /** Kolmogorov–Smirnov statistic sup |F_n − F| of a sample against a continuous CDF. */
    static double ksStatistic(double[] sample, Closure<Double> cdf) {
        double[] s = sample.clone()
        Arrays.sort(s)
        int n = s.length
        double dmax = 0
        for (int i = 0; i < n; i++) {
            double f = cdf.call(s[i]) as double
            dmax = Math.max(dmax, Math.max(f - i / (double) n, (i + 1) / (double) n - f))
        }
        return dmax
    }

    /** The KS critical value at significance 0.001 for large n: 1.95 / √n. */
    static double ksCritical(int n) {
        return 1.95d / Math.sqrt(n)
    }

    /** max_i |‖row_i‖ − 1| over the rows of a (rows, width) row-major array. */
    static double maxUnitNormError(double[] x, int rows, int width) {
        double worst = 0
        for (int i = 0; i < rows; i++) {
            double s = 0
            for (int j = 0; j < width; j++) s += x[i * width + j] * x[i * width + j]
            worst = Math.max(worst, Math.abs(Math.sqrt(s) - 1))
        }
        return worst
    }

    /** The (n, c) block of position {@code pos} of an (n, p, c) row-major array. */
    static double[] position(double[] x, int n, int p, int c, int pos) {
        double[] block = new double[n * c]
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) block[i * c + j] = x[(i * p + pos) * c + j]
        return block
    }

    /** Mean over examples of x[i, pos1, ch] · x[i, pos2, ch] for an (n, p, c) array. */
    static double crossMoment(double[] x, int n, int p, int c, int pos1, int pos2, int ch) {
        double s = 0
        for (int i = 0; i < n; i++) s += x[(i * p + pos1) * c + ch] * x[(i * p + pos2) * c + ch]
        return s / n
    }
}
