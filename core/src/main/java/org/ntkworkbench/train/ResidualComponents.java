package org.ntkworkbench.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.data.Gegenbauer;
import org.ntkworkbench.spectrum.HarmonicProjection;
import org.ntkworkbench.tensor.Tensor;

/**
 * Named magnitudes of components of a residual r = f(x) − y ∈ R^n over the n training points: the
 * spectral-bias instruments of {@link ResidualRecorder}. Each component is a non-negative function of r,
 * the same for the trained network and for the linearised prediction, so their curves compare directly.
 * <ul>
 *   <li>{@link #harmonicDegrees}: ‖P_k r‖ = √((1/n) Σ_i r_i (P_k r)(x_i)), the L²(uniform) norm of the
 *       degree-k spherical-harmonic component (Monte Carlo, {@link HarmonicProjection#normSquared},
 *       diagonal included so it is ≥ 0 and a seminorm);</li>
 *   <li>{@link #zonal}: |(N(d,k)/n) Σ_i r_i P_k(⟨ζ_k, x_i⟩)|, the projection length of Cao et al. 2019;</li>
 *   <li>{@link #zonalFit}: |c_k| of the least-squares fit r ≈ Σ_k c_k P_k(⟨ζ_k, x⟩) on the n points, which
 *       removes the cross-talk of the other terms that the plain projection has when N(d,k) is not ≪ n
 *       (for the target y = Σ c_k P_k(⟨ζ_k, x⟩) itself it returns the c_k exactly);</li>
 *   <li>{@link #eigenvectors}: ‖V_gᵀ r‖/√n for groups g of orthonormal columns of V (e.g. Gram
 *       eigenvectors grouped by degree), the root-mean-square of r inside span(V_g).</li>
 * </ul>
 */
public final class ResidualComponents {
    /** One component: a name and r ↦ magnitude. */
    @FunctionalInterface
    interface Measure {
        void apply(double[] r, double[] out, int offset);
    }

    private final int n;
    private final String[] names;
    private final Measure measure;

    private ResidualComponents(int n, String[] names, Measure measure) {
        this.n = n;
        this.names = names;
        this.measure = measure;
    }

    /** Number of training points n the components expect. */
    public int points() {
        return n;
    }

    /** Component names, in the order of {@link #measure}'s output. */
    public List<String> names() {
        return List.of(names);
    }

    /** The magnitudes of all components of a residual {@code r} (length n). */
    public double[] measure(double[] r) {
        if (r.length != n) {
            throw new IllegalArgumentException("residual of length " + r.length + " for components over " + n + " points");
        }
        double[] out = new double[names.length];
        measure.apply(r, out, 0);
        return out;
    }

    /** Components "k<degree>": ‖P_k r‖ for every degree of the projection. */
    public static ResidualComponents harmonicDegrees(HarmonicProjection p) {
        int[] ks = p.degrees();
        String[] names = Arrays.stream(ks).mapToObj(k -> "k" + k).toArray(String[]::new);
        return new ResidualComponents(p.points(), names, (r, out, o) -> {
            double[][] sq = p.normsSquared(r, 1, false);
            for (int q = 0; q < ks.length; q++) {
                out[o + q] = Math.sqrt(Math.max(0, sq[q][0]));
            }
        });
    }

    /** Components "k<degree>": |zonal coefficient| of r along P_k(⟨ζ_k, x⟩), one unit direction per degree. */
    public static ResidualComponents zonal(HarmonicProjection p, int[] degrees, double[][] zetas) {
        checkZonal(degrees, zetas, p.dim());
        String[] names = Arrays.stream(degrees).mapToObj(k -> "k" + k).toArray(String[]::new);
        return new ResidualComponents(p.points(), names, (r, out, o) -> {
            for (int q = 0; q < degrees.length; q++) {
                out[o + q] = Math.abs(p.zonalCoefficient(degrees[q], zetas[q], r));
            }
        });
    }

    /**
     * Components "k<degree>": |c_k| of the least-squares fit of r by the zonal harmonics P_k(⟨ζ_k, x⟩)
     * at the unit rows of {@code x} {@code (n, d)} (normal equations, m ≤ n functions).
     *
     * @throws IllegalArgumentException if the m functions are linearly dependent on the points
     */
    public static ResidualComponents zonalFit(Tensor x, int[] degrees, double[][] zetas) {
        int n = x.dim(0), d = x.dim(1), m = degrees.length;
        checkZonal(degrees, zetas, d);
        double[] b = new double[m * n]; // row q: P_kq(<zeta_q, x_i>)
        double[] xs = x.data();
        for (int q = 0; q < m; q++) {
            for (int i = 0; i < n; i++) {
                double t = 0;
                for (int c = 0; c < d; c++) {
                    t += zetas[q][c] * xs[i * d + c];
                }
                b[q * n + i] = Gegenbauer.value(degrees[q], d, Math.max(-1, Math.min(1, t)));
            }
        }
        double[] gram = new double[m * m];
        for (int p = 0; p < m; p++) {
            for (int q = 0; q < m; q++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += b[p * n + i] * b[q * n + i];
                }
                gram[p * m + q] = s;
            }
        }
        double[][] inverse = invert(gram, m);
        String[] names = Arrays.stream(degrees).mapToObj(k -> "k" + k).toArray(String[]::new);
        return new ResidualComponents(n, names, (r, out, o) -> {
            double[] bt = new double[m];
            for (int q = 0; q < m; q++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += b[q * n + i] * r[i];
                }
                bt[q] = s;
            }
            for (int p = 0; p < m; p++) {
                double s = 0;
                for (int q = 0; q < m; q++) {
                    s += inverse[p][q] * bt[q];
                }
                out[o + p] = Math.abs(s);
            }
        });
    }

    /**
     * Components named {@code names[g]}: ‖V_gᵀ r‖/√n where V_g are the columns {@code groups[g]} of
     * {@code vectors} {@code (n, m)} (orthonormal columns, e.g. kernel eigenvectors).
     */
    public static ResidualComponents eigenvectors(Tensor vectors, List<String> names, int[][] groups) {
        if (vectors.rank() != 2 || names.size() != groups.length) {
            throw new IllegalArgumentException("eigenvector components need vectors (n, m) and one name per group, got "
                    + vectors.shapeString() + ", " + names.size() + " names, " + groups.length + " groups");
        }
        int n = vectors.dim(0), m = vectors.dim(1);
        double[] v = vectors.data();
        for (int[] g : groups) {
            for (int c : g) {
                if (c < 0 || c >= m) {
                    throw new IllegalArgumentException("eigenvector column " + c + " outside 0.." + (m - 1));
                }
            }
        }
        return new ResidualComponents(n, names.toArray(String[]::new), (r, out, o) -> {
            for (int g = 0; g < groups.length; g++) {
                double s = 0;
                for (int c : groups[g]) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += v[i * m + c] * r[i];
                    }
                    s += dot * dot;
                }
                out[o + g] = Math.sqrt(s / n);
            }
        });
    }

    /** One component "rms": √((1/n) Σ r_i²). */
    public static ResidualComponents rms(int n) {
        return new ResidualComponents(n, new String[] {"rms"}, (r, out, o) -> {
            double s = 0;
            for (double v : r) {
                s += v * v;
            }
            out[o] = Math.sqrt(s / r.length);
        });
    }

    /** All components of {@code parts} side by side (same n; names must differ). */
    public static ResidualComponents concat(ResidualComponents... parts) {
        List<String> all = new ArrayList<>();
        for (ResidualComponents p : parts) {
            if (p.n != parts[0].n) {
                throw new IllegalArgumentException("components over " + p.n + " and " + parts[0].n + " points");
            }
            for (String s : p.names) {
                if (all.contains(s)) {
                    throw new IllegalArgumentException("component name '" + s + "' appears twice");
                }
                all.add(s);
            }
        }
        return new ResidualComponents(parts[0].n, all.toArray(String[]::new), (r, out, o) -> {
            int at = o;
            for (ResidualComponents p : parts) {
                p.measure.apply(r, out, at);
                at += p.names.length;
            }
        });
    }

    private static void checkZonal(int[] degrees, double[][] zetas, int d) {
        if (degrees.length == 0 || degrees.length != zetas.length) {
            throw new IllegalArgumentException("zonal components need one direction per degree, got "
                    + degrees.length + " degrees and " + zetas.length + " directions");
        }
        for (double[] z : zetas) {
            if (z.length != d) {
                throw new IllegalArgumentException("zonal direction of length " + z.length + " for points in R^" + d);
            }
        }
        for (int k : degrees) {
            if (k < 0) {
                throw new IllegalArgumentException("negative harmonic degree " + k);
            }
        }
    }

    /** Gauss–Jordan inverse with partial pivoting of a small m×m matrix. */
    private static double[][] invert(double[] a, int m) {
        double[][] w = new double[m][2 * m];
        double scale = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                w[i][j] = a[i * m + j];
                scale = Math.max(scale, Math.abs(a[i * m + j]));
            }
            w[i][m + i] = 1;
        }
        for (int c = 0; c < m; c++) {
            int piv = c;
            for (int i = c + 1; i < m; i++) {
                if (Math.abs(w[i][c]) > Math.abs(w[piv][c])) {
                    piv = i;
                }
            }
            if (Math.abs(w[piv][c]) <= 1e-12 * scale) {
                throw new IllegalArgumentException("zonal functions are linearly dependent on these points (pivot "
                        + w[piv][c] + "); use fewer degrees or more points");
            }
            double[] t = w[c];
            w[c] = w[piv];
            w[piv] = t;
            double p = w[c][c];
            for (int j = 0; j < 2 * m; j++) {
                w[c][j] /= p;
            }
            for (int i = 0; i < m; i++) {
                if (i != c && w[i][c] != 0) {
                    double f = w[i][c];
                    for (int j = 0; j < 2 * m; j++) {
                        w[i][j] -= f * w[c][j];
                    }
                }
            }
        }
        double[][] inv = new double[m][m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(w[i], m, inv[i], 0, m);
        }
        return inv;
    }
}
