package org.ntkworkbench.spectrum;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Eigenvalues of a multi-dot-product kernel on (S^{c−1})^p w.r.t. the uniform probability measure: the
 * products Y_{k₁}(x₁)⋯Y_{k_p}(x_p) of spherical harmonics share the eigenvalue λ(k₁, …, k_p), with
 * multiplicity Π_j N(c, k_j).
 *
 * @param c         dimension of each sphere's ambient space (each x_j ∈ S^{c−1})
 * @param p         number of positions
 * @param maxDegree K, degrees 0 … K per position
 * @param values    λ for every tuple, row-major over (K+1)^p with k₁ the most significant index
 * @param method    how the values were computed ("cosine-transform M=…" or "gauss-gegenbauer m=…")
 */
public record MultiSphereSpectrum(int c, int p, int maxDegree, double[] values, String method) {

    /** One degree tuple with its eigenvalue and multiplicity. */
    public record Entry(int[] degrees, double value, double multiplicity) {
        /** k₁ + … + k_p. */
        public int totalDegree() {
            int s = 0;
            for (int k : degrees) {
                s += k;
            }
            return s;
        }

        @Override
        public String toString() {
            return java.util.Arrays.toString(degrees) + " -> " + value + " (x" + (long) multiplicity + ")";
        }
    }

    /** λ(k₁, …, k_p). */
    public double value(int... degrees) {
        return values[index(degrees)];
    }

    /** Π_j N(c, k_j). */
    public double multiplicity(int... degrees) {
        double m = 1;
        for (int k : degrees) {
            m *= SpecialFunctions.multiplicity(c, k);
        }
        return m;
    }

    /** max |λ| over all tuples. */
    public double maxAbs() {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Whether the tuple counts as zero: |λ| < 1e-13 · max|λ| (DESIGN.md). */
    public boolean isZero(int... degrees) {
        return Math.abs(value(degrees)) < SphereSpectrum.ZERO_RELATIVE * maxAbs();
    }

    /** All tuples with their values, in row-major tuple order. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            int[] k = tuple(i);
            out.add(new Entry(k, values[i], multiplicity(k)));
        }
        return out;
    }

    /** Tuples that count as zero (|λ| < 1e-13 · max|λ|), in row-major order. */
    public List<Entry> zeroTuples() {
        double thr = SphereSpectrum.ZERO_RELATIVE * maxAbs();
        return entries().stream().filter(e -> Math.abs(e.value()) < thr).toList();
    }

    /** Tuples that do not count as zero, by descending value. */
    public List<Entry> nonZeroDescending() {
        double thr = SphereSpectrum.ZERO_RELATIVE * maxAbs();
        return entries().stream().filter(e -> Math.abs(e.value()) >= thr)
                .sorted(Comparator.comparingDouble(Entry::value).reversed()).toList();
    }

    /** The tuple at a row-major index. */
    public int[] tuple(int index) {
        int[] k = new int[p];
        for (int j = p - 1; j >= 0; j--) {
            k[j] = index % (maxDegree + 1);
            index /= maxDegree + 1;
        }
        return k;
    }

    private int index(int[] degrees) {
        if (degrees.length != p) {
            throw new IllegalArgumentException("expected " + p + " degrees, got " + degrees.length);
        }
        int idx = 0;
        for (int k : degrees) {
            if (k < 0 || k > maxDegree) {
                throw new IllegalArgumentException("degree " + k + " outside [0, " + maxDegree + "]");
            }
            idx = idx * (maxDegree + 1) + k;
        }
        return idx;
    }
}
