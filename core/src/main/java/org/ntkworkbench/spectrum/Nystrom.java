package org.ntkworkbench.spectrum;

import java.util.function.DoubleUnaryOperator;
import org.ntkworkbench.tensor.Blas;

/**
 * Nyström approximation of the eigenpairs of the density-weighted integral operator
 * (T f)(x) = ∫ κ(⟨x, z⟩) f(z) p(z) dz on S^{d−1} from n samples x_i ~ p: the eigenpairs (λ_j, v_j) of
 * K/n (K_il = κ(⟨x_i, x_l⟩)) approximate those of T, and φ_j(x) = (√n / (n λ_j)) Σ_i κ(⟨x, x_i⟩) v_ij
 * extends the eigenvector to an eigenfunction normalised in L²(p) ((1/n) Σ_i φ_j(x_i)² = 1, and
 * φ_j(x_i) = √n v_ij at the samples).
 *
 * @param points      the samples, row-major (n, d)
 * @param n           number of samples
 * @param d           ambient dimension
 * @param kappa       the kernel profile κ(t)
 * @param eigenvalues λ_1 ≥ … ≥ λ_k
 * @param vectors     eigenvectors of K/n as columns of a row-major (n, k) array
 */
public record Nystrom(double[] points, int n, int d, DoubleUnaryOperator kappa, double[] eigenvalues, double[] vectors) {

    /** The top-k Nyström eigenpairs from samples (row-major (n, d) unit vectors). */
    public static Nystrom fit(double[] points, int n, int d, DoubleUnaryOperator kappa, int k, Spectra spectra) {
        if (points.length != (long) n * d) {
            throw new IllegalArgumentException("Nystrom: " + points.length + " values for " + n + " points of dimension " + d);
        }
        double[] g = new double[n * n];
        Blas.syrk(false, n, d, 1.0, points, 0.0, g);
        for (int i = 0; i < n; i++) {
            for (int l = i; l < n; l++) {
                double v = kappa.applyAsDouble(clamp(g[i * n + l])) / n;
                g[i * n + l] = v;
                g[l * n + i] = v;
            }
        }
        EigenDecomposition e = spectra.topK(g, n, k, true);
        return new Nystrom(points.clone(), n, d, kappa, e.values(), e.vectors());
    }

    /** Samples on S¹ given as angles: x_i = (cos θ_i, sin θ_i). */
    public static Nystrom fitCircle(double[] angles, DoubleUnaryOperator kappa, int k, Spectra spectra) {
        return fit(circlePoints(angles), angles.length, 2, kappa, k, spectra);
    }

    /** Number of eigenpairs held. */
    public int count() {
        return eigenvalues.length;
    }

    /** φ_j at m query points (row-major (m, d)). */
    public double[] eigenfunction(int j, double[] query, int m) {
        if (j < 0 || j >= count()) {
            throw new IllegalArgumentException("eigenfunction index " + j + " outside [0, " + count() + ")");
        }
        double[] all = eigenfunctions(query, m);
        int k = count();
        double[] out = new double[m];
        for (int q = 0; q < m; q++) {
            out[q] = all[q * k + j];
        }
        return out;
    }

    /**
     * All k eigenfunctions at m query points (row-major (m, d)) as a row-major (m, k) array: the cross
     * kernel κ(X_q Xᵀ) once (one gemm for the dot products), then one gemm with the eigenvectors.
     */
    public double[] eigenfunctions(double[] query, int m) {
        if (query.length != (long) m * d) {
            throw new IllegalArgumentException("Nystrom: " + query.length + " query values for " + m + " points of dimension " + d);
        }
        double[] cross = new double[m * n];
        Blas.gemm(false, true, m, n, d, 1.0, query, points, 0.0, cross);
        for (int i = 0; i < cross.length; i++) {
            cross[i] = kappa.applyAsDouble(clamp(cross[i]));
        }
        int k = count();
        double[] out = new double[m * k];
        Blas.gemm(false, false, m, k, n, 1.0, cross, vectors, 0.0, out);
        for (int j = 0; j < k; j++) {
            double scale = Math.sqrt(n) / (n * eigenvalues[j]);
            for (int q = 0; q < m; q++) {
                out[q * k + j] *= scale;
            }
        }
        return out;
    }

    /** All k eigenfunctions on S¹ at the given angles, row-major (m, k). */
    public double[] eigenfunctionsOnCircle(double[] angles) {
        return eigenfunctions(circlePoints(angles), angles.length);
    }

    /** φ_j on S¹ at the given angles. */
    public double[] eigenfunctionOnCircle(int j, double[] angles) {
        return eigenfunction(j, circlePoints(angles), angles.length);
    }

    /**
     * Local angular frequency of a function sampled on an ascending grid of angles, on the arc [a, b):
     * ω = π · (sign changes between consecutive grid points inside the arc) / (b − a), so that
     * sin(ωθ + c) gives ω back (up to one crossing's worth, π/(b−a)).
     */
    public static double localFrequency(double[] angles, double[] values, double a, double b) {
        if (angles.length != values.length || !(b > a)) {
            throw new IllegalArgumentException("localFrequency: need equal-length arrays and b > a, got "
                    + angles.length + ", " + values.length + ", [" + a + ", " + b + ")");
        }
        int crossings = 0;
        for (int i = 1; i < angles.length; i++) {
            if (angles[i - 1] >= a && angles[i] < b && values[i - 1] * values[i] < 0) {
                crossings++;
            }
        }
        return Math.PI * crossings / (b - a);
    }

    /** (cos θ_i, sin θ_i) as a row-major (n, 2) array. */
    public static double[] circlePoints(double[] angles) {
        double[] x = new double[2 * angles.length];
        for (int i = 0; i < angles.length; i++) {
            x[2 * i] = Math.cos(angles[i]);
            x[2 * i + 1] = Math.sin(angles[i]);
        }
        return x;
    }

    private static double clamp(double t) {
        return Math.max(-1, Math.min(1, t));
    }
}
