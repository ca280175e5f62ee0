package org.ntkworkbench.data;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * The target f(x) = Σ_i c_i P_{k_i}^{(d)}(⟨x, ζ_i⟩) on S^{d−1}, with unit directions ζ_i (one per term):
 * a sum of zonal harmonics of chosen degrees, so every degree's share of f is known exactly. With all
 * degrees distinct the terms are orthogonal and E‖f‖² = Σ c_i² / N(d, k_i) under the uniform measure.
 * Wu et al. 2022 use d = 10, degrees {1, 3, 4, 5, 8, 12}, all c_i = 0.1 ({@link #wu2022(long)}).
 */
public record GegenbauerSum(int d, int[] degrees, double[] coefficients, double[][] directions)
        implements ToDoubleFunction<double[]> {

    /** Checks one degree, coefficient and unit direction of length d per term (and copies them). */
    public GegenbauerSum {
        if (d < 2) {
            throw new IllegalArgumentException("Gegenbauer targets need d >= 2, got d = " + d);
        }
        if (degrees.length != coefficients.length || degrees.length != directions.length) {
            throw new IllegalArgumentException(degrees.length + " degrees, " + coefficients.length + " coefficients and "
                    + directions.length + " directions: need one of each per term");
        }
        double[][] copy = new double[directions.length][];
        for (int i = 0; i < directions.length; i++) {
            if (degrees[i] < 0) {
                throw new IllegalArgumentException("negative degree " + degrees[i]);
            }
            if (directions[i].length != d) {
                throw new IllegalArgumentException("direction " + i + " has length " + directions[i].length + ", expected d = " + d);
            }
            double norm = Math.sqrt(Arrays.stream(directions[i]).map(v -> v * v).sum());
            if (Math.abs(norm - 1) > 1e-9) {
                throw new IllegalArgumentException("direction " + i + " is not a unit vector (norm " + norm + ")");
            }
            copy[i] = directions[i].clone();
        }
        degrees = degrees.clone();
        coefficients = coefficients.clone();
        directions = copy;
    }

    /** Terms with the given degrees and coefficients along independent uniform random directions ζ_i. */
    public static GegenbauerSum random(int d, int[] degrees, double[] coefficients, long seed) {
        return new GegenbauerSum(d, degrees, coefficients, Samplers.sphere(degrees.length, d, seed).toArray2d());
    }

    /** The target of Wu et al. 2022: d = 10, Σ_{k ∈ {1,3,4,5,8,12}} 0.1 · P_k^{(10)}(⟨x, ζ_k⟩). */
    public static GegenbauerSum wu2022(long seed) {
        int[] degrees = {1, 3, 4, 5, 8, 12};
        double[] c = new double[degrees.length];
        Arrays.fill(c, 0.1);
        return random(10, degrees, c, seed);
    }

    /** Number of terms. */
    public int terms() {
        return degrees.length;
    }

    /** The single term c_i P_{k_i}(⟨x, ζ_i⟩), e.g. to measure the residual per degree. */
    public ToDoubleFunction<double[]> term(int i) {
        int k = degrees[i];
        double c = coefficients[i];
        double[] zeta = directions[i];
        return x -> c * Gegenbauer.value(k, d, dot(checked(x), zeta));
    }

    @Override
    public double applyAsDouble(double[] x) {
        checked(x);
        double f = 0;
        for (int i = 0; i < degrees.length; i++) {
            f += coefficients[i] * Gegenbauer.value(degrees[i], d, dot(x, directions[i]));
        }
        return f;
    }

    private double[] checked(double[] x) {
        if (x.length != d) {
            throw new IllegalArgumentException("input of length " + x.length + " for a target on S^" + (d - 1) + " (d = " + d + ")");
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    /** Copies of the arrays. */
    @Override
    public int[] degrees() {
        return degrees.clone();
    }

    @Override
    public double[] coefficients() {
        return coefficients.clone();
    }

    @Override
    public double[][] directions() {
        double[][] copy = new double[directions.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = directions[i].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GegenbauerSum g && d == g.d && Arrays.equals(degrees, g.degrees)
                && Arrays.equals(coefficients, g.coefficients) && Arrays.deepEquals(directions, g.directions);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(degrees) + Arrays.deepHashCode(directions);
    }

    @Override
    public String toString() {
        return "GegenbauerSum[d=" + d + ", degrees=" + Arrays.toString(degrees) + ", coefficients="
                + Arrays.toString(coefficients) + "]";
    }
}
