package org.ntkworkbench.kernel;

/**
 * The closed-form duals behind {@link Dual}'s factories, as pure functions of one pair's variances
 * {@code a = Σ11}, {@code b = Σ22} and covariance {@code c = Σ12}, writing {@code out[0] = T},
 * {@code out[1] = T'}. Correlations are clamped to [−1, 1] (round-off can push them past ±1); a zero
 * variance gives correlation 0.
 */
final class ClosedForms {
    private ClosedForms() {}

    private static final double TWO_PI = 2 * Math.PI;

    static double correlation(double r, double c) {
        if (r <= 0) {
            return 0.0;
        }
        double rho = c / r;
        return rho > 1 ? 1 : (rho < -1 ? -1 : rho);
    }

    static void relu(double a, double b, double c, double[] out) {
        double r = Math.sqrt(a * b);
        double rho = correlation(r, c);
        double theta = Math.acos(rho);
        double s = Math.sqrt(Math.max(0.0, 1 - rho * rho));
        out[0] = r * (s + (Math.PI - theta) * rho) / TWO_PI;
        out[1] = (Math.PI - theta) / TWO_PI;
    }

    /**
     * {@link #relu} on a row segment ({@link PairwiseDual.RowMap}): entry m pairs variance {@code a} with
     * {@code varB[b0 + m]} and covariance {@code nngp[off + m]}, with the operations of {@link #relu} in the same
     * order (the same bits), in one plain loop: no per-entry calls through the evaluator interfaces and no
     * {@code out} array. (Splitting it into vectorisable loops around {@link Math#acos} saved about 8 % of the
     * steady-state time but cost more JIT compilation than that in a one-shot {@code ntk kernel}; acos is most
     * of the time either way.)
     */
    static void reluRow(double a, double[] varB, int b0, int len, double[] nngp, double[] ntk, int off) {
        for (int m = 0; m < len; m++) {
            int e = off + m;
            double r = Math.sqrt(a * varB[b0 + m]);
            double rho = correlation(r, nngp[e]);
            double theta = Math.acos(rho);
            double s = Math.sqrt(Math.max(0.0, 1 - rho * rho));
            nngp[e] = r * (s + (Math.PI - theta) * rho) / TWO_PI;
            if (ntk != null) {
                ntk[e] = (Math.PI - theta) / TWO_PI * ntk[e];
            }
        }
    }

    static void abRelu(double alpha, double a, double b, double c, double[] out) {
        relu(a, b, c, out);
        double w = (1 - alpha) * (1 - alpha);
        out[0] = w * out[0] + alpha * c;
        out[1] = w * out[1] + alpha;
    }

    /** {@link #abRelu} on a row segment ({@link PairwiseDual.RowMap}; same operations per entry, same order). */
    static void abReluRow(double alpha, double a, double[] varB, int b0, int len, double[] nngp, double[] ntk, int off) {
        double w = (1 - alpha) * (1 - alpha);
        for (int m = 0; m < len; m++) {
            int e = off + m;
            double c = nngp[e];
            double r = Math.sqrt(a * varB[b0 + m]);
            double rho = correlation(r, c);
            double theta = Math.acos(rho);
            double s = Math.sqrt(Math.max(0.0, 1 - rho * rho));
            double t = r * (s + (Math.PI - theta) * rho) / TWO_PI;
            nngp[e] = w * t + alpha * c;
            if (ntk != null) {
                ntk[e] = (w * ((Math.PI - theta) / TWO_PI) + alpha) * ntk[e];
            }
        }
    }

    static void erf(double a, double b, double c, double[] out) {
        double p = (1 + 2 * a) * (1 + 2 * b);
        double arg = 2 * c / Math.sqrt(p);
        arg = arg > 1 ? 1 : (arg < -1 ? -1 : arg);
        out[0] = 2 / Math.PI * Math.asin(arg);
        out[1] = 4 / Math.PI / Math.sqrt(Math.max(0.0, p - 4 * c * c));
    }

    /** {@link #erf} on a row segment ({@link PairwiseDual.RowMap}; same operations per entry, same order). */
    static void erfRow(double a, double[] varB, int b0, int len, double[] nngp, double[] ntk, int off) {
        for (int m = 0; m < len; m++) {
            int e = off + m;
            double c = nngp[e];
            double p = (1 + 2 * a) * (1 + 2 * varB[b0 + m]);
            double arg = 2 * c / Math.sqrt(p);
            arg = arg > 1 ? 1 : (arg < -1 ? -1 : arg);
            nngp[e] = 2 / Math.PI * Math.asin(arg);
            if (ntk != null) {
                ntk[e] = 4 / Math.PI / Math.sqrt(Math.max(0.0, p - 4 * c * c)) * ntk[e];
            }
        }
    }

    static void gelu(double a, double b, double c, double[] out) {
        double prod = a * b;
        double prod1 = (a + 1) * (b + 1);
        double delta2 = prod1 - c * c;
        double delta = Math.sqrt(delta2);
        double angle = Math.atan2(c, delta);
        double t = (c * c + prod * delta2) / (prod1 * delta) + c * angle;
        out[0] = t / TWO_PI + 0.25 * c;
        double first = (1 / delta2 + (1 - prod) / prod1 + 1) * c / delta / TWO_PI;
        out[1] = first + 0.25 + angle / TWO_PI;
    }

    static void sin(double a, double b, double c, double[] out) {
        double e = Math.exp(-(a + b) / 2);
        out[0] = e * Math.sinh(c);
        out[1] = e * Math.cosh(c);
    }

    static void cos(double a, double b, double c, double[] out) {
        double e = Math.exp(-(a + b) / 2);
        out[0] = e * Math.cosh(c);
        out[1] = e * Math.sinh(c);
    }

    static void rbf(double gamma, double a, double b, double c, double[] out) {
        double d = (1 + 2 * gamma * a) * (1 + 2 * gamma * b) - 4 * gamma * gamma * c * c;
        double inv = 1 / Math.sqrt(d);
        out[0] = inv;
        out[1] = 4 * gamma * gamma * c * inv * inv * inv;
    }

    static void sign(double a, double b, double c, double[] out) {
        double rho = correlation(Math.sqrt(a * b), c);
        out[0] = 2 / Math.PI * Math.asin(rho);
        out[1] = 0.0;
    }

    /**
     * The standard normal CDF Φ by Marsaglia's series {@code Φ(x) = 1/2 + ϕ(x) Σ_k x^{2k+1}/(2k+1)!!},
     * whose terms are all positive for x > 0 (no cancellation; full double precision), and symmetry.
     */
    static double normalCdf(double x) {
        if (x < 0) {
            return 1 - normalCdf(-x);
        }
        if (x > 8) {
            // 1 − Φ(x) = ϕ(x)/x (1 − 1/x² + 3/x⁴ − 15/x⁶ + …) < 7e−16 here; the series would overflow later.
            double x2 = x * x;
            double tail = Math.exp(-0.5 * x2 - 0.5 * Math.log(2 * Math.PI)) / x
                    * (1 - 1 / x2 + 3 / (x2 * x2) - 15 / (x2 * x2 * x2));
            return 1.0 - tail;
        }
        double term = x, sum = x, x2 = x * x;
        for (int k = 1; k < 2000; k++) {
            term *= x2 / (2 * k + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return 0.5 + sum * Math.exp(-0.5 * x2 - 0.5 * Math.log(2 * Math.PI));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    // ---- monomials: Hermite (Mehler) series in the correlation --------------------------

    /** Coefficients of ρ^k in {@code E[z1^n z2^n]} for unit variances and correlation ρ. */
    static double[] monomialSeries(int n) {
        double[] s = new double[n + 1];
        for (int k = n; k >= 0; k -= 2) {
            int h = (n - k) / 2;
            // c = n! / (k! h! 2^h); coefficient c² k!.
            double logC = logFactorial(n) - logFactorial(k) - logFactorial(h) - h * Math.log(2);
            s[k] = Math.exp(2 * logC + logFactorial(k));
        }
        return s;
    }

    private static double logFactorial(int n) {
        double s = 0;
        for (int i = 2; i <= n; i++) {
            s += Math.log(i);
        }
        return s;
    }

    static double horner(double[] p, double x) {
        double s = 0;
        for (int k = p.length - 1; k >= 0; k--) {
            s = s * x + p[k];
        }
        return s;
    }

    static Dual monomial(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("monomial degree must be >= 0, got " + n);
        }
        double[] sn = monomialSeries(n);
        double[] sm = n > 0 ? monomialSeries(n - 1) : new double[] {0.0};
        return new PairwiseDual("monomial(" + n + ")", (a, b, c, out) -> {
            double r = Math.sqrt(a * b);
            double rho = correlation(r, c);
            out[0] = Math.pow(r, n) * horner(sn, rho);
            out[1] = n == 0 ? 0.0 : (double) n * n * Math.pow(r, n - 1) * horner(sm, rho);
        });
    }

    // ---- rectified monomials: arc-cosine kernels of order n ----------------------------

    /**
     * Polynomials {@code {A_n, B_n}} (coefficients in t = cos θ) with
     * {@code J_n(θ) = A_n(t) sin θ + (π − θ) B_n(t)} and {@code E[relu(z1)^n relu(z2)^n] = J_n / (2π)}.
     * From {@code dF_n/dt = n² F_{n−1}}: {@code B_n' = n² B_{n−1}} with {@code B_n(1) = (2n−1)!!}, and
     * {@code (1 − t²) A_n' − t A_n = n² (1 − t²) A_{n−1} − B_n}, whose unique polynomial solution is
     * found coefficient by coefficient ({@code (m+1) a_{m+1} − m a_{m−1} = r_m}).
     */
    static double[][] arcCosinePolynomials(int n) {
        double[] a = {0.0};
        double[] b = {1.0};
        for (int deg = 1; deg <= n; deg++) {
            double nn = (double) deg * deg;
            // B = (2deg-1)!! - nn * (I(1) - I(t)), I = antiderivative of b from 0.
            double[] nb = new double[b.length + 1];
            double i1 = 0;
            for (int k = 0; k < b.length; k++) {
                nb[k + 1] = nn * b[k] / (k + 1);
                i1 += b[k] / (k + 1);
            }
            double dfact = 1;
            for (int k = 2 * deg - 1; k > 1; k -= 2) {
                dfact *= k;
            }
            nb[0] = dfact - nn * i1;
            // r = nn (1 - t²) A_prev - B_new.
            double[] r = new double[Math.max(a.length + 2, nb.length) + 1];
            for (int k = 0; k < a.length; k++) {
                r[k] += nn * a[k];
                r[k + 2] -= nn * a[k];
            }
            for (int k = 0; k < nb.length; k++) {
                r[k] -= nb[k];
            }
            // Solve (m+1) a_{m+1} = r_m + m a_{m-1}; the even chain has a free a_0 fixed by deg(A) = deg-1.
            int len = r.length + 2;
            double[] u = new double[len]; // a_k = u_k + v_k a_0
            double[] v = new double[len];
            v[0] = 1.0;
            for (int m = 0; m + 1 < len; m++) {
                double rm = m < r.length ? r[m] : 0.0;
                double um = m >= 1 ? u[m - 1] : 0.0;
                double vm = m >= 1 ? v[m - 1] : 0.0;
                u[m + 1] = (rm + m * um) / (m + 1);
                v[m + 1] = m * vm / (m + 1);
            }
            int firstZero = deg % 2 == 0 ? deg : deg + 1; // first even index beyond degree deg-1
            double a0 = -u[firstZero] / v[firstZero];
            double[] na = new double[deg];
            for (int k = 0; k < deg; k++) {
                na[k] = u[k] + v[k] * a0;
            }
            a = na;
            b = nb;
        }
        return new double[][] {a, b};
    }

    static Dual rectifiedMonomial(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("rectifiedMonomial degree must be >= 0, got " + n);
        }
        double[][] pn = arcCosinePolynomials(n);
        double[][] pm = n > 0 ? arcCosinePolynomials(n - 1) : null;
        return new PairwiseDual("rectifiedMonomial(" + n + ")", (a, b, c, out) -> {
            double r = Math.sqrt(a * b);
            if (r <= 0) {
                // A zero variance means φ(0) = 0 on that side.
                out[0] = 0.0;
                out[1] = 0.0;
                return;
            }
            double rho = correlation(r, c);
            double theta = Math.acos(rho);
            double s = Math.sqrt(Math.max(0.0, 1 - rho * rho));
            double jn = horner(pn[0], rho) * s + (Math.PI - theta) * horner(pn[1], rho);
            out[0] = Math.pow(r, n) * jn / TWO_PI;
            if (n == 0) {
                out[1] = 0.0;
            } else {
                double jm = horner(pm[0], rho) * s + (Math.PI - theta) * horner(pm[1], rho);
                out[1] = (double) n * n * Math.pow(r, n - 1) * jm / TWO_PI;
            }
        });
    }
}
