package org.ntkworkbench.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.io.NpyWriter;
import org.ntkworkbench.spectrum.EigenDecomposition;
import org.ntkworkbench.spectrum.NativeSpectra;
import org.ntkworkbench.spectrum.Spectra;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * All eigenvalues of a symmetric positive definite {@code n×n} matrix {@code A = G Gᵀ/n + I}
 * ({@code G} an {@code (n, n)} seeded standard Gaussian) through {@link Spectra#eigh} without vectors
 * (LAPACK's two-stage reduction, {@code Lapack.syevd}; NumPy's {@code eigvalsh} calls dsyevd). Reports {@code seconds}, and two independent checks of the spectrum:
 * {@code trace_rel_error} = |Σλ − tr A| / tr A and {@code frobenius_rel_error} = |Σλ² − ‖A‖_F²| / ‖A‖_F².
 * The matrix is built once (outside the timer) and shared with {@link EigvalshNumpyBenchmark}, which
 * reads it from an {@code .npy} file so that NumPy decomposes exactly the same numbers.
 */
public final class EigvalshBenchmark implements Benchmark {
    private final Spectra spectra = new NativeSpectra();

    @Override
    public String name() {
        return "eigvalsh";
    }

    @Override
    public String description() {
        return "all eigenvalues of the symmetric n x n matrix A = G G^T/n + I (seeded Gaussian G) by Spectra.eigh "
                + "(no vectors: LAPACK two-stage reduction + dsterf); reports seconds and trace / Frobenius checks";
    }

    @Override
    public Map<String, Object> defaultParams() {
        return defaults();
    }

    static Map<String, Object> defaults() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("n", 4000);
        p.put("seed", 0);
        return p;
    }

    @Override
    public Measurement run(Map<String, Object> params) {
        Problem pr = Problem.get(Benchmark.intParam(params, "n"), Benchmark.intParam(params, "seed"));
        long t0 = System.nanoTime();
        EigenDecomposition e = spectra.eigh(pr.a, pr.n, false);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        pr.remember(e.values());
        double sum = 0, sumSq = 0;
        for (double v : e.values()) {
            sum += v;
            sumSq += v * v;
        }
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("seconds", seconds);
        v.put("lambda_max", e.values()[0]);
        v.put("lambda_min", e.values()[pr.n - 1]);
        v.put("trace_rel_error", Math.abs(sum - pr.trace) / pr.trace);
        v.put("frobenius_rel_error", Math.abs(sumSq - pr.frobeniusSq) / pr.frobeniusSq);
        return Measurement.of(v);
    }

    /**
     * The test matrix of one (n, seed), built once per JVM and kept (the last one only): the array,
     * its trace and squared Frobenius norm, the {@code .npy} copy for NumPy (written on demand) and
     * the eigenvalues Java computed (descending), once known.
     */
    static final class Problem {
        private static Problem last;

        final int n;
        final long seed;
        final double[] a;
        final double trace;
        final double frobeniusSq;
        private Path file;
        private double[] values;

        private Problem(int n, long seed) {
            if (n < 1) {
                throw new IllegalArgumentException("eigvalsh benchmark needs n >= 1, got n=" + n);
            }
            this.n = n;
            this.seed = seed;
            double[] g = Tensor.randn(seed, n, n).data();
            a = new double[n * n];
            Blas.syrk(false, n, n, 1.0 / n, g, 0.0, a);
            double tr = 0, fro = 0;
            for (int i = 0; i < n; i++) {
                a[i * n + i] += 1.0;
                tr += a[i * n + i];
            }
            for (double x : a) {
                fro += x * x;
            }
            trace = tr;
            frobeniusSq = fro;
        }

        static synchronized Problem get(int n, long seed) {
            if (last == null || last.n != n || last.seed != seed) {
                last = null; // let the old matrix go before allocating the new one
                last = new Problem(n, seed);
            }
            return last;
        }

        synchronized void remember(double[] descending) {
            values = descending.clone();
        }

        /** Java's eigenvalues (descending), computed now (outside any timer) if no benchmark run has yet. */
        synchronized double[] javaValues(Spectra spectra) {
            if (values == null) {
                values = spectra.eigh(a, n, false).values();
            }
            return values;
        }

        /** The matrix as an {@code .npy} file in a temporary directory (deleted at exit). */
        synchronized Path npy() {
            if (file == null) {
                try {
                    Path dir = Files.createTempDirectory("ntk-eigvalsh");
                    Path f = dir.resolve("a_n" + n + "_seed" + seed + ".npy");
                    NpyWriter.write(f, Tensor.of(a, n, n));
                    f.toFile().deleteOnExit();
                    dir.toFile().deleteOnExit();
                    file = f;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the eigvalsh test matrix: " + e.getMessage(), e);
                }
            }
            return file;
        }
    }
}
