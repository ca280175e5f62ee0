package org.ntkworkbench.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.SeededRandom;

/**
 * The machine's double-precision matrix-product rate through {@link Blas#gemm}: {@code C = A B} with
 * {@code n×n} random matrices, {@code 2n³} floating-point operations. The time includes the copies
 * between the Java heap and native memory that every {@code Blas.gemm} call makes, so it is the rate
 * the workbench's own code can reach; other benchmarks report their rate as a percentage of it.
 * Reports {@code seconds} and {@code gflops}.
 */
public final class DgemmBenchmark implements Benchmark {
    private int cachedN = -1;
    private double[] a;
    private double[] b;
    private double[] c;

    @Override
    public String name() {
        return "dgemm";
    }

    @Override
    public String description() {
        return "double-precision C = A B of n x n matrices through Blas.gemm (native OpenBLAS), 2n^3 flops";
    }

    @Override
    public Map<String, Object> defaultParams() {
        return Map.of("n", 2048);
    }

    @Override
    public Measurement run(Map<String, Object> params) {
        int n = Benchmark.intParam(params, "n");
        if (n <= 0) {
            throw new IllegalArgumentException("dgemm size n must be positive, got " + n);
        }
        if (n != cachedN) {
            a = new double[n * n];
            b = new double[n * n];
            c = new double[n * n];
            new SeededRandom(1).fillGaussian(a);
            new SeededRandom(2).fillGaussian(b);
            cachedN = n;
        }
        long t0 = System.nanoTime();
        Blas.gemm(false, false, n, n, n, 1.0, a, b, 0.0, c);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("seconds", seconds);
        v.put("gflops", 2.0 * n * n * (double) n / seconds * 1e-9);
        return Measurement.of(v);
    }

    /** The product of the last run (for checks). */
    double[] lastProduct() {
        return c;
    }

    double[] lastA() {
        return a;
    }

    double[] lastB() {
        return b;
    }
}
