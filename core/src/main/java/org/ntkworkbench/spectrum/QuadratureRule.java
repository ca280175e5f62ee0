package org.ntkworkbench.spectrum;

import java.util.Arrays;
import org.ntkworkbench.tensor.Lapack;

/**
 * A quadrature rule Σ_i w_i g(t_i) on [−1, 1]. The sphere rules here approximate the expectation
 * E[g(⟨x, e⟩)] for x uniform on S^{d−1}, i.e. c_d ∫ g(t) (1−t²)^{(d−3)/2} dt, so their weights sum to 1.
 *
 * @param nodes       t_i, ascending
 * @param weights     w_i
 * @param complements 1 − |t_i| to full relative precision (rules built from angles know it exactly;
 *                    it lets polynomials be evaluated stably near t = ±1)
 */
public record QuadratureRule(double[] nodes, double[] weights, double[] complements) {

    public QuadratureRule {
        if (nodes.length != weights.length || nodes.length != complements.length) {
            throw new IllegalArgumentException("quadrature rule: " + nodes.length + " nodes but " + weights.length
                    + " weights and " + complements.length + " complements");
        }
    }

    /** A rule whose complements are computed as 1 − |t_i|. */
    public QuadratureRule(double[] nodes, double[] weights) {
        this(nodes, weights, complementsOf(nodes));
    }

    private static double[] complementsOf(double[] t) {
        double[] c = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            c[i] = 1 - Math.abs(t[i]);
        }
        return c;
    }

    /** Number of nodes. */
    public int size() {
        return nodes.length;
    }

    /** Σ_i w_i g(t_i). */
    public double integrate(java.util.function.DoubleUnaryOperator g) {
        double s = 0;
        for (int i = 0; i < nodes.length; i++) {
            s += weights[i] * g.applyAsDouble(nodes[i]);
        }
        return s;
    }

    /**
     * m-point Gauss–Legendre rule for ∫_{−1}^{1} g(t) dt (weights sum to 2), nodes by Newton's method
     * on the Legendre recurrence: exact for polynomials of degree ≤ 2m−1.
     */
    public static QuadratureRule gaussLegendre(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("gaussLegendre: need at least 1 node, got " + m);
        }
        double[] x = new double[m];
        double[] w = new double[m];
        for (int i = 0; i < (m + 1) / 2; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (m + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = z;
                for (int k = 1; k < m; k++) {
                    double p2 = ((2.0 * k + 1) * z * p1 - k * p0) / (k + 1);
                    p0 = p1;
                    p1 = p2;
                }
                if (m == 1) {
                    p1 = z;
                    p0 = 1;
                }
                dp = m * (z * p1 - p0) / (z * z - 1);
                double dz = p1 / dp;
                z -= dz;
                if (Math.abs(dz) < 1e-16) {
                    break;
                }
            }
            // Derivative at the converged node (one more evaluation for the weight).
            double p0 = 1;
            double p1 = z;
            for (int k = 1; k < m; k++) {
                double p2 = ((2.0 * k + 1) * z * p1 - k * p0) / (k + 1);
                p0 = p1;
                p1 = p2;
            }
            dp = m == 1 ? 1 : m * (z * p1 - p0) / (z * z - 1);
            x[i] = -z;
            x[m - 1 - i] = z;
            w[i] = 2 / ((1 - z * z) * dp * dp);
            w[m - 1 - i] = w[i];
        }
        if (m % 2 == 1) {
            x[m / 2] = 0;
        }
        return new QuadratureRule(x, w);
    }

    /**
     * m-point Gauss–Gegenbauer rule for the uniform measure on S^{d−1}: weight c_d (1−t²)^{(d−3)/2}
     * (Gauss–Jacobi with α = β = (d−3)/2), by Golub–Welsch: nodes are the eigenvalues of the Jacobi
     * matrix of the orthonormal recurrence, weights the squared first eigenvector components (the
     * measure has mass 1). Exact for polynomials of degree ≤ 2m−1. Intended for m up to a few hundred.
     */
    public static QuadratureRule gaussGegenbauer(int d, int m) {
        SpecialFunctions.requireDimension(d);
        if (m < 1) {
            throw new IllegalArgumentException("gaussGegenbauer: need at least 1 node, got " + m);
        }
        double lambda = (d - 2) / 2.0;
        double[] jac = new double[m * m];
        for (int k = 1; k < m; k++) {
            // Monic Gegenbauer recurrence p_{k+1} = t p_k − β_k p_{k−1}, β_k = k(k+2λ−1)/(4(k+λ)(k+λ−1)).
            double beta = (d == 2 && k == 1) ? 0.5 : k * (k + 2 * lambda - 1) / (4 * (k + lambda) * (k + lambda - 1));
            double off = Math.sqrt(beta);
            jac[(k - 1) * m + k] = off;
            jac[k * m + k - 1] = off;
        }
        Lapack.SymmetricEigen e = Lapack.syevd(jac, m, true);
        double[] x = e.values().clone();
        double[] w = new double[m];
        for (int j = 0; j < m; j++) {
            double v0 = e.vectors()[j]; // row 0, column j
            w[j] = v0 * v0;
        }
        // The rule is symmetric: symmetrise to remove rounding asymmetry.
        for (int i = 0; i < m / 2; i++) {
            double xi = 0.5 * (x[m - 1 - i] - x[i]);
            double wi = 0.5 * (w[i] + w[m - 1 - i]);
            x[i] = -xi;
            x[m - 1 - i] = xi;
            w[i] = wi;
            w[m - 1 - i] = wi;
        }
        if (m % 2 == 1) {
            x[m / 2] = 0;
        }
        return new QuadratureRule(x, w);
    }

    /**
     * A rule for the uniform measure on S^{d−1} after the change of variable t = cos θ:
     * E[g(⟨x, e⟩)] = c_d ∫_0^π g(cos θ) sin^{d−2}θ dθ, where arc-cosine singularities √(1−t²),
     * arccos t become smooth. [0, π] is cut into {@code panels} equal panels; the first and last are
     * further cut geometrically (ratio 0.15, {@code gradedLevels} levels) towards θ = 0 and π so that
     * residual algebraic singularities in θ (compositions of arc-cosine kernels) are resolved; each
     * piece gets {@code order}-point Gauss–Legendre.
     */
    public static QuadratureRule sphereTheta(int d, int panels, int order, int gradedLevels) {
        SpecialFunctions.requireDimension(d);
        if (panels < 1 || order < 1 || gradedLevels < 0) {
            throw new IllegalArgumentException("sphereTheta: need panels >= 1, order >= 1, gradedLevels >= 0; got "
                    + panels + ", " + order + ", " + gradedLevels);
        }
        double h = Math.PI / panels;
        double ratio = 0.15;
        // Breakpoints in θ.
        double[] brk = new double[panels + 1 + 2 * gradedLevels];
        int nb = 0;
        brk[nb++] = 0;
        for (int l = gradedLevels; l >= 1; l--) {
            brk[nb++] = h * Math.pow(ratio, l);
        }
        for (int p = 1; p < panels; p++) {
            brk[nb++] = p * h;
        }
        for (int l = 1; l <= gradedLevels; l++) {
            brk[nb++] = Math.PI - h * Math.pow(ratio, l);
        }
        brk[nb++] = Math.PI;
        brk = Arrays.copyOf(brk, nb);
        Arrays.sort(brk);
        QuadratureRule gl = gaussLegendre(order);
        int pieces = brk.length - 1;
        double[] t = new double[pieces * order];
        double[] w = new double[pieces * order];
        double[] comp = new double[pieces * order];
        double cd = SpecialFunctions.sphereConstant(d);
        int idx = 0;
        for (int p = 0; p < pieces; p++) {
            double a = brk[p];
            double b = brk[p + 1];
            double half = 0.5 * (b - a);
            for (int i = 0; i < order; i++) {
                double theta = a + half * (gl.nodes[i] + 1);
                t[idx] = Math.cos(theta);
                double fromEnd = theta <= Math.PI / 2 ? theta : Math.PI - theta;
                double sh = Math.sin(fromEnd / 2);
                comp[idx] = 2 * sh * sh;
                w[idx] = cd * gl.weights[i] * half * Math.pow(Math.sin(theta), d - 2);
                idx++;
            }
        }
        if (d > 2000) {
            // c_d comes from log-gamma there (about 1e-11 relative); the rule integrates its own weight
            // far more accurately, so normalise to unit mass instead.
            double sum = 0;
            for (double v : w) {
                sum += v;
            }
            for (int i = 0; i < w.length; i++) {
                w[i] /= sum;
            }
        }
        // Ascending in t (θ descending).
        reverse(t);
        reverse(w);
        reverse(comp);
        return new QuadratureRule(t, w, comp);
    }

    private static void reverse(double[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
