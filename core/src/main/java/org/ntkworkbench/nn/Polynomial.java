package org.ntkworkbench.nn;

import java.util.Arrays;
import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.PairwiseDual;

/**
 * A polynomial {@code φ(x) = Σ_j p_j x^j} given by its coefficients {@code p_0, p_1, …}.
 *
 * <p>Kernel rule, exact for any variances (no unit-variance assumption): by Isserlis' theorem a
 * moment {@code E[u^j v^k]} pairs {@code m} factors of u with m of v (each such pairing contributes
 * {@code Σ12^m}) and the rest among themselves, so
 * <pre>
 *   E[u^j v^k] = Σ_m C(j,m) C(k,m) m! (j−m−1)!! (k−m−1)!! Σ11^{(j−m)/2} Σ22^{(k−m)/2} Σ12^m   (j−m, k−m even),
 *   T = Σ_m m! Σ12^m A_m(Σ11) A_m(Σ22),   A_m(v) = Σ_{j ≥ m, j−m even} p_j C(j,m) (j−m−1)!! v^{(j−m)/2},
 * </pre>
 * and {@code T'} is the same with the coefficients of {@code φ′}. ({@code A_m(v)·√(m!)·v^{−m/2}} are the
 * Hermite coefficients of {@code φ(√v z)}, so this is Mehler's formula made exact.) O(degree²) per pair.
 */
public class Polynomial extends Activation {
    /** Highest degree accepted: beyond it the moments overflow double precision for unit variances. */
    public static final int MAX_DEGREE = 60;
    private final double[] coefficients;
    private final double[] derivativeCoefficients;

    /** {@code φ(x) = Σ_j coefficients[j] x^j}. */
    public Polynomial(double... coefficients) {
        if (coefficients.length == 0) {
            throw new IllegalArgumentException("polynomial needs at least one coefficient");
        }
        if (coefficients.length - 1 > MAX_DEGREE) {
            throw new IllegalArgumentException("polynomial degree " + (coefficients.length - 1) + " exceeds " + MAX_DEGREE);
        }
        for (double p : coefficients) {
            if (!Double.isFinite(p)) {
                throw new IllegalArgumentException("polynomial coefficients must be finite, got " + Arrays.toString(coefficients));
            }
        }
        this.coefficients = coefficients.clone();
        this.derivativeCoefficients = new double[Math.max(1, coefficients.length - 1)];
        for (int j = 1; j < coefficients.length; j++) {
            derivativeCoefficients[j - 1] = j * coefficients[j];
        }
    }

    /** The coefficients {@code p_0, p_1, …} (a copy). */
    public double[] coefficients() {
        return coefficients.clone();
    }

    @Override
    public String word() {
        return "polynomial";
    }

    /** Odd when every even-degree coefficient is zero. */
    @Override
    protected boolean odd() {
        for (int j = 0; j < coefficients.length; j += 2) {
            if (coefficients[j] != 0) {
                return false;
            }
        }
        return true;
    }

    /** No constant term and degree at most 1: φ(x) = p₁x. */
    @Override
    protected boolean linear() {
        return coefficients[0] == 0 && coefficients.length <= 2;
    }

    @Override
    public double value(double x) {
        return horner(coefficients, x);
    }

    @Override
    public double derivative(double x) {
        return horner(derivativeCoefficients, x);
    }

    @Override
    public String toString() {
        return "polynomial(" + Arrays.toString(coefficients) + ")";
    }

    /** The Isserlis form above. */
    @Override
    public Dual dual() {
        double[] p = coefficients;
        double[] dp = derivativeCoefficients;
        return new PairwiseDual(toString(), (v1, v2, s, out) -> {
            out[0] = moment(p, v1, v2, s);
            out[1] = moment(dp, v1, v2, s);
        });
    }

    static double horner(double[] p, double x) {
        double r = 0;
        for (int k = p.length - 1; k >= 0; k--) {
            r = r * x + p[k];
        }
        return r;
    }

    /** {@code E[q(u) q(v)]} for the polynomial q with coefficients {@code q}, by the formula above. */
    static double moment(double[] q, double v1, double v2, double s) {
        int n = q.length;
        double[] a1 = reduced(q, v1);
        double[] a2 = reduced(q, v2);
        double t = 0;
        double sm = 1; // s^m / m! · m!² = s^m m! accumulated as (s^m) and m! separately below
        double fact = 1;
        for (int m = 0; m < n; m++) {
            if (m > 0) {
                sm *= s;
                fact *= m;
            }
            t += fact * sm * a1[m] * a2[m];
        }
        return t;
    }

    /** {@code A_m(v)} for m = 0 … n−1. */
    static double[] reduced(double[] q, double v) {
        int n = q.length;
        double[] a = new double[n];
        for (int m = 0; m < n; m++) {
            // j = m + 2h: C(m+2h, m) (2h−1)!! v^h = (m+2h)! / (m! (2h)!) (2h)! / (2^h h!) v^h = (m+2h)!/(m! h! 2^h) v^h
            double coef = 1; // (m+2h)!/(m! h! 2^h) v^h at h = 0
            double sum = 0;
            for (int h = 0; m + 2 * h < n; h++) {
                if (h > 0) {
                    int j = m + 2 * h;
                    coef *= (double) j * (j - 1) / (2.0 * h) * v;
                }
                sum += q[m + 2 * h] * coef;
            }
            a[m] = sum;
        }
        return a;
    }
}
