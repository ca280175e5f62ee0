package org.ntkworkbench.spectrum;

import java.util.Arrays;
import java.util.function.LongToDoubleFunction;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * Monte Carlo projection onto spherical-harmonic degrees of a function known only at n sample points
 * x_1, …, x_n on S^{d−1} (spectral-bias instruments, Cao et al. 2019 / Wu et al. 2022).
 *
 * <p>The orthogonal projection onto degree k is the integral operator with the zonal kernel
 * N(d, k) P_k^{(d)}(⟨x, x'⟩) (P normalised to P(1) = 1, uniform probability measure), so at the sample
 * points
 * <pre>
 *   P_k f(x_i) ≈ (N(d,k)/n) Σ_j f(x_j) P_k(⟨x_i, x_j⟩)   ({@link #component}),
 *   ‖P_k f‖²   ≈ (1/n) Σ_i f(x_i) P_k f(x_i)              ({@link #normSquared}).
 * </pre>
 * The second estimate includes the diagonal j = i, which adds a bias (N(d,k)/n)·mean f², large when the
 * multiplicity N(d, k) is comparable to n (on S⁹ already N(10, 4) = 1155); {@link #normSquaredUnbiased}
 * leaves the diagonal out (a U-statistic, unbiased, relative standard deviation about
 * √(4/n + 2N(d,k)/n²) for a pure degree-k f). {@link #zonalCoefficient} is the projection of f onto one
 * zonal harmonic P_k(⟨x, ζ⟩), the "projection length" of Cao et al., which needs no n×n matrix.
 *
 * <p>The n×n matrices P_k(⟨x_i, x_j⟩) are built once per degree (Gram matrix by BLAS, then the
 * three-term recurrence entry-wise) and reused for any number of functions; {@link #normsSquared}
 * projects many residual vectors at once with one gemm per degree.
 */
public final class HarmonicProjection {
    private final int n;
    private final int d;
    private final int[] degrees;
    private final double[][] zonal; // per requested degree, row-major (n, n) of P_k(<x_i, x_j>)
    private final double[] x;

    /**
     * Projections onto the given degrees for the n unit rows of {@code points} {@code (n, d)}.
     *
     * @throws IllegalArgumentException if points is not (n, d) with n ≥ 2, d ≥ 2, rows not unit (1e-8),
     *                                  or a degree is negative
     */
    public HarmonicProjection(Tensor points, int... degrees) {
        if (points.rank() != 2 || points.dim(0) < 2 || points.dim(1) < 2) {
            throw new IllegalArgumentException("harmonic projection needs points of shape (n >= 2, d >= 2), got " + points.shapeString());
        }
        this.n = points.dim(0);
        this.d = points.dim(1);
        this.x = points.data().clone();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += x[i * d + c] * x[i * d + c];
            }
            if (Math.abs(s - 1) > 1e-8) {
                throw new IllegalArgumentException("point " + i + " is not on the unit sphere (squared norm " + s + ")");
            }
        }
        if (degrees.length == 0) {
            throw new IllegalArgumentException("harmonic projection needs at least one degree");
        }
        int maxDegree = 0;
        for (int k : degrees) {
            if (k < 0) {
                throw new IllegalArgumentException("negative harmonic degree " + k);
            }
            maxDegree = Math.max(maxDegree, k);
        }
        this.degrees = degrees.clone();
        double[] gram = new double[n * n];
        Blas.gemm(false, true, n, n, d, 1.0, x, x, 0.0, gram);
        this.zonal = new double[degrees.length][n * n];
        double[] p = new double[maxDegree + 1];
        for (int e = 0; e < n * n; e++) {
            double t = Math.max(-1, Math.min(1, gram[e]));
            SpecialFunctions.gegenbauer(d, maxDegree, t, p, 0);
            for (int q = 0; q < degrees.length; q++) {
                zonal[q][e] = p[degrees[q]];
            }
        }
    }

    /** Number of sample points n. */
    public int points() {
        return n;
    }

    /** The ambient dimension d (sphere S^{d−1}). */
    public int dim() {
        return d;
    }

    /** The degrees this projection was built for. */
    public int[] degrees() {
        return degrees.clone();
    }

    /** (N(d,k)/n) Σ_j f_j P_k(⟨x_i, x_j⟩) for every i: the degree-k component of f at the sample points. */
    public double[] component(int k, double[] f) {
        checkValues(f);
        double[] out = new double[n];
        Blas.gemv(false, n, n, SpecialFunctions.multiplicity(d, k) / n, matrix(k), f, 0.0, out);
        return out;
    }

    /** (1/n) Σ_i f_i P_k f(x_i), diagonal included (biased by (N(d,k)/n)·mean f²). */
    public double normSquared(int k, double[] f) {
        double[] c = component(k, f);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += f[i] * c[i];
        }
        return s / n;
    }

    /** (N(d,k)/(n(n−1))) Σ_{i≠j} f_i f_j P_k(⟨x_i, x_j⟩): unbiased for ‖P_k f‖², may be negative by noise. */
    public double normSquaredUnbiased(int k, double[] f) {
        double[] c = component(k, f); // includes the diagonal term (N/n) f_i
        double nk = SpecialFunctions.multiplicity(d, k);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += f[i] * (c[i] - nk / n * f[i]);
        }
        return s / (n - 1);
    }

    /**
     * {@link #normSquared} (or, with {@code unbiased}, {@link #normSquaredUnbiased}) of each of m functions,
     * the rows of {@code f} (row-major {@code (m, n)}); result {@code [degree index][function]}.
     */
    public double[][] normsSquared(double[] f, int m, boolean unbiased) {
        if (f.length != m * n) {
            throw new IllegalArgumentException("expected " + m + " functions of " + n + " values (" + m * n + " numbers), got " + f.length);
        }
        double[][] out = new double[degrees.length][m];
        double[] c = new double[m * n];
        for (int q = 0; q < degrees.length; q++) {
            double nk = SpecialFunctions.multiplicity(d, degrees[q]);
            // C = F G_k (G_k symmetric): row r of C is G_k f_r.
            Blas.gemm(false, false, m, n, n, 1.0, f, zonal[q], 0.0, c);
            for (int r = 0; r < m; r++) {
                double s = 0, diag = 0;
                for (int i = 0; i < n; i++) {
                    double v = f[r * n + i];
                    s += v * c[r * n + i];
                    diag += v * v;
                }
                out[q][r] = unbiased ? nk * (s - diag) / ((double) n * (n - 1)) : nk * s / ((double) n * n);
            }
        }
        return out;
    }

    /**
     * (N(d,k)/n) Σ_i f_i P_k(⟨ζ, x_i⟩): the coefficient c of f along the zonal harmonic P_k(⟨x, ζ⟩) for a unit
     * ζ (exactly c for f = c·P_k(⟨x, ζ⟩) as n → ∞, since E[P_k²] = 1/N(d,k)); works for any degree k.
     */
    public double zonalCoefficient(int k, double[] zeta, double[] f) {
        checkValues(f);
        if (zeta.length != d) {
            throw new IllegalArgumentException("direction of length " + zeta.length + " for points in R^" + d);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int c = 0; c < d; c++) {
                t += zeta[c] * x[i * d + c];
            }
            s += f[i] * org.ntkworkbench.data.Gegenbauer.value(k, d, Math.max(-1, Math.min(1, t)));
        }
        return SpecialFunctions.multiplicity(d, k) * s / n;
    }

    /**
     * The first recorded step at which {@code values} (recorded at increasing {@code steps}) falls to
     * {@code fraction·values[0]} or below, interpolated linearly in log(value) between the two recorded
     * steps around the crossing; NaN if it never does.
     */
    public static double stepsToFraction(double[] steps, double[] values, double fraction) {
        if (steps.length != values.length || steps.length == 0) {
            throw new IllegalArgumentException(steps.length + " steps but " + values.length + " values");
        }
        double target = fraction * values[0];
        for (int i = 1; i < values.length; i++) {
            if (values[i] <= target) {
                double a = values[i - 1], b = values[i];
                if (!(b > 0) || !(a > b)) {
                    return steps[i];
                }
                double w = (Math.log(a) - Math.log(target)) / (Math.log(a) - Math.log(b));
                return steps[i - 1] + w * (steps[i] - steps[i - 1]);
            }
        }
        return Double.NaN;
    }

    /**
     * The smallest integer step t ≤ maxSteps with {@code value(t) ≤ fraction·value(0)}, for a value that
     * decreases in t (then it is exact; otherwise some crossing step): doubling search, then bisection.
     * Returns −1 if value(maxSteps) is still above the target.
     */
    public static long firstStepBelow(LongToDoubleFunction value, double fraction, long maxSteps) {
        double target = fraction * value.applyAsDouble(0);
        long lo = 0, hi = 1;
        while (value.applyAsDouble(Math.min(hi, maxSteps)) > target) {
            if (hi >= maxSteps) {
                return -1;
            }
            lo = hi;
            hi *= 2;
        }
        hi = Math.min(hi, maxSteps);
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (value.applyAsDouble(mid) <= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private double[] matrix(int k) {
        for (int q = 0; q < degrees.length; q++) {
            if (degrees[q] == k) {
                return zonal[q];
            }
        }
        throw new IllegalArgumentException("degree " + k + " not prepared; this projection has degrees " + Arrays.toString(degrees));
    }

    private void checkValues(double[] f) {
        if (f.length != n) {
            throw new IllegalArgumentException("expected " + n + " function values (one per point), got " + f.length);
        }
    }
}
