package org.ntkworkbench.data;

import java.math.BigInteger;

/**
 * Legendre (Gegenbauer) polynomials of dimension d, normalised to P_k^{(d)}(1) = 1: the zonal
 * polynomials of the sphere S^{d−1}. P_k^{(2)}(cos θ) = cos kθ (Chebyshev), P_k^{(3)} are the Legendre
 * polynomials, and in general P_k^{(d)} = C_k^{λ}/C_k^{λ}(1) with λ = (d − 2)/2.
 *
 * <p>Computed with the three-term recurrence P_0 = 1, P_1 = t,
 * P_{k+1}(t) = ((2k + d − 2) t P_k(t) − k P_{k−1}(t)) / (k + d − 2), which is stable on [−1, 1].
 * They are orthogonal for the weight (1 − t²)^{(d−3)/2}, with
 * E_{x uniform on S^{d−1}}[P_j(⟨x, ζ⟩) P_k(⟨x, ζ⟩)] = δ_{jk} / N(d, k) for a unit ζ.
 */
public final class Gegenbauer {
    private Gegenbauer() {
    }

    /** P_k^{(d)}(t). */
    public static double value(int k, int d, double t) {
        checkArgs(k, d);
        if (k == 0) {
            return 1.0;
        }
        double previous = 1.0, current = t;
        for (int j = 1; j < k; j++) {
            double next = ((2.0 * j + d - 2) * t * current - j * previous) / (j + d - 2);
            previous = current;
            current = next;
        }
        return current;
    }

    /** P_0^{(d)}(t), ..., P_maxDegree^{(d)}(t) in one pass of the recurrence. */
    public static double[] values(int maxDegree, int d, double t) {
        checkArgs(maxDegree, d);
        double[] p = new double[maxDegree + 1];
        p[0] = 1.0;
        if (maxDegree >= 1) {
            p[1] = t;
        }
        for (int j = 1; j < maxDegree; j++) {
            p[j + 1] = ((2.0 * j + d - 2) * t * p[j] - j * p[j - 1]) / (j + d - 2);
        }
        return p;
    }

    /**
     * N(d, k), the number of linearly independent spherical harmonics of degree k on S^{d−1}:
     * (2k + d − 2)/k · C(k + d − 3, d − 2) for k ≥ 1, and 1 for k = 0 (on S¹: 1, 2, 2, ...).
     *
     * @throws ArithmeticException if the count does not fit a long
     */
    public static long multiplicity(int d, int k) {
        checkArgs(k, d);
        if (k == 0) {
            return 1;
        }
        BigInteger c = binomial(k + d - 3, d - 2);
        return c.multiply(BigInteger.valueOf(2L * k + d - 2)).divide(BigInteger.valueOf(k)).longValueExact();
    }

    private static BigInteger binomial(int n, int r) {
        BigInteger b = BigInteger.ONE;
        for (int i = 1; i <= r; i++) {
            b = b.multiply(BigInteger.valueOf(n - r + i)).divide(BigInteger.valueOf(i));
        }
        return b;
    }

    private static void checkArgs(int k, int d) {
        if (d < 2) {
            throw new IllegalArgumentException("Gegenbauer polynomials need dimension d >= 2 (sphere S^{d-1}), got d = " + d);
        }
        if (k < 0) {
            throw new IllegalArgumentException("negative degree k = " + k);
        }
    }
}
