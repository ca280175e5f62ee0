package org.ntkworkbench.data

import groovy.transform.CompileStatic

/**
 * Gauss–Legendre quadrature for the specs, built independently of the code under test: nodes are the
 * roots of the Legendre polynomial P_m found by Newton's method from Chebyshev guesses, with P_m and P_m'
 * from Bonnet's recurrence; weights 2 / ((1 − x²) P_m'(x)²). Exact for polynomials of degree ≤ 2m − 1.
 */
@CompileStatic
class GaussLegendre {
    final double[] nodes
    final double[] weights

    GaussLegendre(int m) {
        nodes = new double[m]
        weights = new double[m]
        for (int i = 0; i < m; i++) {
            double x = Math.cos(Math.PI * (i + 0.75d) / (m + 0.5d))
            double dp = 0
            for (int iter = 0; iter < 100; iter++) {
                double p0 = 1, p1 = x
                for (int k = 1; k < m; k++) {
                    double p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1)
                    p0 = p1
                    p1 = p2
                }
                dp = m * (x * p1 - p0) / (x * x - 1)
                double dx = p1 / dp
                x -= dx
                if (Math.abs(dx) < 1e-16) break
            }
            nodes[i] = x
            weights[i] = 2 / ((1 - x * x) * dp * dp)
        }
    }

    /** ∫_a^b f(t) dt. */
    double integrate(double a, double b, Closure<Double> f) {
        double s = 0
        for (int i = 0; i < nodes.length; i++) {
            s += weights[i] * (f.call((a + b) / 2 + (b - a) / 2 * nodes[i]) as double)
        }
        return s * (b - a) / 2
    }
}
