package org.ntkworkbench.spectrum;

/**
 * Special functions the spectral code needs: log-gamma, the Funk–Hecke constant of S^{d−1},
 * Gegenbauer (Legendre of dimension d) polynomials normalised to P(1) = 1, multiplicities of
 * spherical harmonics, and Student-t quantiles for confidence intervals.
 */
public final class SpecialFunctions {
    private SpecialFunctions() {}

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    /** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, relative error of Γ about 1e-15). */
    public static double logGamma(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("logGamma: argument must be positive, got " + x);
        }
        if (x < 0.5) {
            // Reflection Γ(x)Γ(1−x) = π / sin(πx) keeps the series in its accurate range.
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double z = x - 1;
        double a = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /**
     * The Funk–Hecke constant c_d = Γ(d/2) / (√π Γ((d−1)/2)) = 1 / ∫_{−1}^{1} (1−t²)^{(d−3)/2} dt, the
     * density of t = ⟨x, e⟩ for x uniform on S^{d−1}. Exact recurrence c_{d+2} = c_d · d/(d−1) from
     * c_2 = 1/π, c_3 = 1/2 for d ≤ 2000, log-gamma beyond.
     */
    public static double sphereConstant(int d) {
        requireDimension(d);
        if (d <= 2000) {
            double c = d % 2 == 0 ? 1 / Math.PI : 0.5;
            for (int e = d % 2 == 0 ? 2 : 3; e < d; e += 2) {
                c *= (double) e / (e - 1);
            }
            return c;
        }
        return Math.exp(logGamma(d / 2.0) - logGamma((d - 1) / 2.0)) / Math.sqrt(Math.PI);
    }

    /**
     * Values P_0(t), …, P_K(t) of the Legendre polynomials of dimension d (Gegenbauer C_k^{(d−2)/2}
     * normalised to P_k(1) = 1; Chebyshev T_k for d = 2), by the three-term recurrence
     * P_{k+1} = ((2k+d−2) t P_k − k P_{k−1}) / (k+d−2).
     */
    public static double[] gegenbauer(int d, int maxDegree, double t) {
        double[] p = new double[maxDegree + 1];
        gegenbauer(d, maxDegree, t, p, 0);
        return p;
    }

    /** As {@link #gegenbauer(int, int, double)} writing into {@code out[offset … offset+K]}. */
    public static void gegenbauer(int d, int maxDegree, double t, double[] out, int offset) {
        requireDimension(d);
        out[offset] = 1.0;
        if (maxDegree == 0) {
            return;
        }
        out[offset + 1] = t;
        double pm = 1.0;
        double p = t;
        for (int k = 1; k < maxDegree; k++) {
            double next = ((2.0 * k + d - 2) * t * p - k * pm) / (k + d - 2.0);
            pm = p;
            p = next;
            out[offset + k + 1] = p;
        }
    }

    /**
     * As {@link #gegenbauer(int, int, double, double[], int)} but with {@code oneMinusAbsT} = 1 − |t| given
     * to full relative precision (e.g. 2 sin²(θ/2) for t = cos θ): near t = ±1 the recurrence runs on the
     * differences D_k = P_k − P_{k−1} (Reinsch's modification),
     * D_{k+1} = (k D_k − (2k+d−2) s P_k)/(k+d−2), D_1 = −s, which avoids the k²·ε error that rounding t
     * to a double causes there; P_k(−t) = (−1)^k P_k(t) handles t < 0.
     */
    public static void gegenbauerNearEnds(int d, int maxDegree, double t, double oneMinusAbsT, double[] out, int offset) {
        double a = Math.abs(t);
        if (a < 0.5) {
            gegenbauer(d, maxDegree, t, out, offset);
            return;
        }
        double s = oneMinusAbsT;
        out[offset] = 1.0;
        if (maxDegree > 0) {
            double p = 1.0 - s;
            double dk = -s;
            out[offset + 1] = p;
            for (int k = 1; k < maxDegree; k++) {
                dk = (k * dk - (2.0 * k + d - 2) * s * p) / (k + d - 2.0);
                p += dk;
                out[offset + k + 1] = p;
            }
        }
        if (t < 0) {
            for (int k = 1; k <= maxDegree; k += 2) {
                out[offset + k] = -out[offset + k];
            }
        }
    }

    /**
     * N(d, k) = (2k+d−2)/k · C(k+d−3, d−2), the number of degree-k spherical harmonics on S^{d−1}
     * (N(d,0) = 1; on S¹ 1, 2, 2, …), as a double: a product recurrence that never forms the
     * factorials (exact integers while below 2^53), +∞ only if the count itself overflows.
     */
    public static double multiplicity(int d, int k) {
        requireDimension(d);
        if (k < 0) {
            throw new IllegalArgumentException("multiplicity: degree must be >= 0, got " + k);
        }
        if (k == 0) {
            return 1.0;
        }
        if (d == 2) {
            return 2.0;
        }
        // N(d,1) = d, and N(d,j+1)/N(d,j) = (2j+d)(j+d−2) / ((2j+d−2)(j+1)).
        double n = d;
        for (int j = 1; j < k; j++) {
            n = n * ((2.0 * j + d) * (j + d - 2.0)) / ((2.0 * j + d - 2) * (j + 1.0));
        }
        return n < 0x1p52 ? Math.rint(n) : n;
    }

    /** ln N(d, k) by log-gamma, for degrees whose multiplicity overflows a double. */
    public static double logMultiplicity(int d, int k) {
        requireDimension(d);
        if (k == 0) {
            return 0.0;
        }
        if (d == 2) {
            return Math.log(2.0);
        }
        return Math.log((2.0 * k + d - 2) / k) + logGamma(k + d - 2.0) - logGamma(d - 1.0) - logGamma(k);
    }

    /** Quantile q of Student's t distribution with ν degrees of freedom (bisection on the CDF). */
    public static double studentTQuantile(double q, int nu) {
        if (!(q > 0 && q < 1) || nu < 1) {
            throw new IllegalArgumentException("studentTQuantile: need 0 < q < 1 and nu >= 1, got q=" + q + ", nu=" + nu);
        }
        if (q < 0.5) {
            return -studentTQuantile(1 - q, nu);
        }
        double lo = 0;
        double hi = 1;
        while (studentTCdf(hi, nu) < q) {
            hi *= 2;
        }
        for (int it = 0; it < 200 && hi - lo > 1e-14 * hi; it++) {
            double mid = 0.5 * (lo + hi);
            if (studentTCdf(mid, nu) < q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** CDF of Student's t with ν degrees of freedom: 1 − I_{ν/(ν+t²)}(ν/2, 1/2)/2 for t ≥ 0. */
    public static double studentTCdf(double t, int nu) {
        double x = nu / (nu + t * t);
        double tail = 0.5 * regularizedBeta(x, nu / 2.0, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** Regularised incomplete beta I_x(a, b) (continued fraction, modified Lentz). */
    public static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        if (x > (a + 1) / (a + b + 2)) {
            return 1 - regularizedBeta(1 - x, b, a);
        }
        double tiny = 1e-300;
        double c = 1;
        double dd = 1 - (a + b) * x / (a + 1);
        dd = Math.abs(dd) < tiny ? tiny : dd;
        dd = 1 / dd;
        double h = dd;
        for (int m = 1; m < 500; m++) {
            int m2 = 2 * m;
            double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            dd = 1 + num * dd;
            dd = Math.abs(dd) < tiny ? tiny : dd;
            c = 1 + num / c;
            c = Math.abs(c) < tiny ? tiny : c;
            dd = 1 / dd;
            h *= dd * c;
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            dd = 1 + num * dd;
            dd = Math.abs(dd) < tiny ? tiny : dd;
            c = 1 + num / c;
            c = Math.abs(c) < tiny ? tiny : c;
            dd = 1 / dd;
            double del = dd * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) {
                break;
            }
        }
        return Math.exp(lnFront) * h / a;
    }

    static void requireDimension(int d) {
        if (d < 2) {
            throw new IllegalArgumentException("sphere dimension d must be >= 2 (S^{d-1}), got d=" + d);
        }
    }
}
