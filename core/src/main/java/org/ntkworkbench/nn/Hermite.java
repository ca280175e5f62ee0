package org.ntkworkbench.nn;

/**
 * The normalised probabilists' Hermite polynomial {@code φ = He_n/√(n!)} (neural-tangents'
 * {@code stax.Hermite(degree)}; {@code He_0 = 1}, {@code He_1 = x}, {@code He_{k+1} = x He_k − k He_{k−1}}),
 * orthonormal under the standard Gaussian.
 *
 * <p>Kernel rule: {@link Polynomial}'s exact one. On unit variances it is {@code T = Σ12^n},
 * {@code T' = n Σ12^{n−1}}, which is the rule neural-tangents applies for every input (it assumes
 * unit-variance pre-activations and warns); here other variances get the true expectation of the finite
 * network instead.
 */
public final class Hermite extends Polynomial {
    private final int degree;

    /** {@code He_degree/√(degree!)}, {@code 0 ≤ degree ≤ }{@value Polynomial#MAX_DEGREE}. */
    public Hermite(int degree) {
        super(coefficients(degree));
        this.degree = degree;
    }

    /** The degree n. */
    public int degree() {
        return degree;
    }

    @Override
    public String word() {
        return "hermite";
    }

    @Override
    public String toString() {
        return "hermite(" + degree + ")";
    }

    /** Coefficients of {@code He_n/√(n!)} in the monomials {@code 1, x, …, x^n}. */
    static double[] coefficients(int n) {
        if (n < 0 || n > MAX_DEGREE) {
            throw new IllegalArgumentException("hermite degree must be in 0.." + MAX_DEGREE + ", got " + n);
        }
        double[] prev = new double[n + 1];
        double[] cur = new double[n + 1];
        cur[0] = 1;
        for (int k = 0; k < n; k++) {
            double[] next = new double[n + 1];
            for (int j = 0; j < n; j++) {
                next[j + 1] += cur[j];
            }
            for (int j = 0; j <= n; j++) {
                next[j] -= k * prev[j];
            }
            prev = cur;
            cur = next;
        }
        double norm = 1;
        for (int k = 2; k <= n; k++) {
            norm *= k;
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j <= n; j++) {
            cur[j] /= norm;
        }
        return cur;
    }
}
