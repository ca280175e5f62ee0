package org.ntkworkbench.spectrum;

/**
 * Least-squares fit of a power-law decay μ_k ≈ C k^{−s}: the line log|μ_k| = log C − s log k over the
 * non-zero degrees in [kMin, kMax] of one parity, with a 95% confidence interval for s from the
 * slope's standard error and Student's t with (n−2) degrees of freedom.
 *
 * @param exponent   s (positive for decay)
 * @param ciLow      lower end of the 95% confidence interval of s
 * @param ciHigh     upper end of the 95% confidence interval of s
 * @param logC       fitted intercept log C
 * @param degrees    the degrees used
 * @param rSquared   coefficient of determination of the log-log fit
 */
public record DecayFit(double exponent, double ciLow, double ciHigh, double logC, int[] degrees, double rSquared) {

    /** Which degrees enter a fit. */
    public enum Parity {
        /** Every degree. */
        ALL,
        /** Even degrees only. */
        EVEN,
        /** Odd degrees only. */
        ODD;

        boolean accepts(int k) {
            return this == ALL || (k % 2 == 0) == (this == EVEN);
        }
    }

    /**
     * Fit over the degrees k in [kMin, kMax] (kMin >= 1) of the given parity that do not count as zero
     * in {@code spectrum}. Needs at least 3 such degrees.
     */
    public static DecayFit fit(SphereSpectrum spectrum, int kMin, int kMax, Parity parity) {
        if (kMin < 1 || kMax > spectrum.maxDegree() || kMin > kMax) {
            throw new IllegalArgumentException("decay fit: need 1 <= kMin <= kMax <= " + spectrum.maxDegree()
                    + ", got [" + kMin + ", " + kMax + "]");
        }
        int[] ks = java.util.stream.IntStream.rangeClosed(kMin, kMax)
                .filter(parity::accepts).filter(k -> !spectrum.isZero(k)).toArray();
        double[] mu = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            mu[i] = spectrum.eigenvalue(ks[i]);
        }
        return fit(ks, mu);
    }

    /** Fit log|μ_i| = log C − s log k_i for given degrees (all k_i >= 1, μ_i ≠ 0, at least 3 points). */
    public static DecayFit fit(int[] degrees, double[] values) {
        int n = degrees.length;
        if (n < 3 || values.length != n) {
            throw new IllegalArgumentException("decay fit needs at least 3 non-zero degrees, got " + n);
        }
        double[] x = new double[n];
        double[] y = new double[n];
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            if (degrees[i] < 1 || values[i] == 0) {
                throw new IllegalArgumentException("decay fit: degree " + degrees[i] + " with value " + values[i] + " cannot enter a log-log fit");
            }
            x[i] = Math.log(degrees[i]);
            y[i] = Math.log(Math.abs(values[i]));
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
            syy += (y[i] - my) * (y[i] - my);
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double rss = Math.max(0, syy - slope * sxy);
        double se = Math.sqrt(rss / (n - 2) / sxx);
        double half = SpecialFunctions.studentTQuantile(0.975, n - 2) * se;
        double s = -slope;
        double r2 = syy == 0 ? 1 : 1 - rss / syy;
        return new DecayFit(s, s - half, s + half, intercept, degrees.clone(), r2);
    }
}
