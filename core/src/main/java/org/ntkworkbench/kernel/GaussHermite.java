package org.ntkworkbench.kernel;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;
import org.ntkworkbench.tensor.Lapack;

/**
 * Gauss–Hermite quadrature for the standard normal measure: {@code E[h(z)] ≈ Σ_i w_i h(x_i)},
 * {@code z ~ N(0, 1)}, exact for polynomials of degree {@code < 2N}.
 *
 * <p>Nodes are the eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials
 * (Golub–Welsch, off-diagonal {@code √k}), polished by Newton steps on the orthonormal polynomial
 * {@code p_N}; weights by the Christoffel formula {@code w_i = 1 / Σ_{k<N} p_k(x_i)²}, which keeps the
 * small weights accurate. The orthonormal polynomials {@code p_0 = 1, p_1 = x,
 * p_{k+1} = (x p_k − √k p_{k−1}) / √(k+1)} are {@code He_k/√k!}. {@code N ≤ 300} keeps {@code p_k(x_i)²}
 * below the double range.
 */
public final class GaussHermite {
    /** Largest supported number of nodes. */
    public static final int MAX_NODES = 300;

    private static final ConcurrentHashMap<Integer, GaussHermite> CACHE = new ConcurrentHashMap<>();

    private final double[] nodes;
    private final double[] weights;

    private GaussHermite(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /** The {@code n}-node rule (cached). */
    public static GaussHermite of(int n) {
        if (n < 1 || n > MAX_NODES) {
            throw new IllegalArgumentException("Gauss-Hermite nodes must be in [1, " + MAX_NODES + "], got " + n);
        }
        return CACHE.computeIfAbsent(n, GaussHermite::compute);
    }

    private static GaussHermite compute(int n) {
        double[] jacobi = new double[n * n];
        for (int k = 1; k < n; k++) {
            jacobi[k * n + k - 1] = Math.sqrt(k);
            jacobi[(k - 1) * n + k] = Math.sqrt(k);
        }
        double[] x = Lapack.syevd(jacobi, n, false).values();
        double[] w = new double[n];
        double[] p = new double[n + 1];
        for (int i = 0; i < n; i++) {
            for (int it = 0; it < 3; it++) {
                orthonormal(x[i], n, p);
                double step = p[n] / (Math.sqrt(n) * p[n - 1]);
                if (Double.isFinite(step)) {
                    x[i] -= step;
                }
            }
            orthonormal(x[i], n, p);
            double s = 0;
            for (int k = 0; k < n; k++) {
                s += p[k] * p[k];
            }
            w[i] = 1.0 / s;
        }
        // Symmetrise: the rule is exactly symmetric about 0.
        for (int i = 0; i < n / 2; i++) {
            double xm = 0.5 * (x[n - 1 - i] - x[i]);
            double wm = 0.5 * (w[i] + w[n - 1 - i]);
            x[i] = -xm;
            x[n - 1 - i] = xm;
            w[i] = wm;
            w[n - 1 - i] = wm;
        }
        if (n % 2 == 1) {
            x[n / 2] = 0.0;
        }
        return new GaussHermite(x, w);
    }

    /** Fills {@code p[0..n]} with the orthonormal Hermite polynomials at {@code x}. */
    static void orthonormal(double x, int n, double[] p) {
        p[0] = 1.0;
        if (n >= 1) {
            p[1] = x;
        }
        for (int k = 1; k < n; k++) {
            p[k + 1] = (x * p[k] - Math.sqrt(k) * p[k - 1]) / Math.sqrt(k + 1);
        }
    }

    /** The nodes {@code x_i} (ascending, a copy). */
    public double[] nodes() {
        return nodes.clone();
    }

    /** The weights {@code w_i} (summing to 1, a copy). */
    public double[] weights() {
        return weights.clone();
    }

    /** Number of nodes N. */
    public int size() {
        return nodes.length;
    }

    /** {@code E[h(z)]}, {@code z ~ N(0, 1)}. */
    public double expect(DoubleUnaryOperator h) {
        double s = 0;
        for (int i = 0; i < nodes.length; i++) {
            s += weights[i] * h.applyAsDouble(nodes[i]);
        }
        return s;
    }

    /**
     * {@code E[f(u) g(v)]} for {@code (u, v) ~ N(0, [[v1, c], [c, v2]])} by the tensor-product rule:
     * {@code u = √v1 z1}, {@code v = (c/√v1) z1 + √(v2 − c²/v1) z2} (roles swapped when {@code v1 = 0}).
     * Accurate for smooth {@code f, g}; the conditional variance is clamped at 0 so {@code ρ = ±1} works.
     */
    public double expect2d(DoubleUnaryOperator f, DoubleUnaryOperator g, double v1, double v2, double c) {
        if (v1 < 0 || v2 < 0) {
            throw new IllegalArgumentException("negative variance " + Math.min(v1, v2));
        }
        if (v1 == 0) {
            double f0 = f.applyAsDouble(0.0);
            return f0 * expect(z -> g.applyAsDouble(Math.sqrt(v2) * z));
        }
        double su = Math.sqrt(v1);
        double beta = c / su;
        double sCond = Math.sqrt(Math.max(0.0, v2 - beta * beta));
        double s = 0;
        for (int i = 0; i < nodes.length; i++) {
            double fu = f.applyAsDouble(su * nodes[i]);
            if (fu == 0.0) {
                continue;
            }
            double inner = 0;
            for (int j = 0; j < nodes.length; j++) {
                inner += weights[j] * g.applyAsDouble(beta * nodes[i] + sCond * nodes[j]);
            }
            s += weights[i] * fu * inner;
        }
        return s;
    }
}
