package org.ntkworkbench.spectrum;

import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.SeededRandom;

/**
 * Not a test: times top-k (block Krylov) against the full dsyevd on K/n of the two-layer ReLU NTK on
 * n points of S^{d−1}. Usage: TopKTiming [n] [k] [d].
 */
public final class TopKTiming {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int d = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        double[] x = new double[n * d];
        SeededRandom.derived(1, "timing").fillGaussian(x);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[i * d + j] * x[i * d + j];
            }
            for (int j = 0; j < d; j++) {
                x[i * d + j] /= Math.sqrt(s);
            }
        }
        double[] g = new double[n * n];
        Blas.syrk(false, n, d, 1.0, x, 0.0, g);
        for (int i = 0; i < n * n; i++) {
            double t = Math.max(-1, Math.min(1, g[i]));
            double k0 = (Math.PI - Math.acos(t)) / Math.PI;
            double k1 = (Math.sqrt(1 - t * t) + (Math.PI - Math.acos(t)) * t) / Math.PI;
            g[i] = (t * k0 + k1) / n;
        }
        Spectra spectra = new NativeSpectra();
        // Warm-up (JIT, native library load).
        spectra.topK(g, n, k, false);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        EigenDecomposition top = spectra.topK(g, n, k, true);
        long t1 = System.nanoTime();
        long c1 = os.getProcessCpuTime();
        EigenDecomposition fullValues = spectra.eigh(g, n, false);
        long t2 = System.nanoTime();
        long c2 = os.getProcessCpuTime();
        EigenDecomposition full = spectra.eigh(g, n, true);
        long t3 = System.nanoTime();
        long c3 = os.getProcessCpuTime();
        System.out.printf("CPU seconds: top-k %.3f, syevd values %.3f, syevd vectors %.3f (load average %.1f)%n",
                (c1 - c0) / 1e9, (c2 - c1) / 1e9, (c3 - c2) / 1e9, os.getSystemLoadAverage());
        double worst = 0;
        for (int j = 0; j < k; j++) {
            worst = Math.max(worst, Math.abs(top.values()[j] - full.values()[j]) / Math.abs(full.values()[j]));
        }
        System.out.printf("n=%d k=%d d=%d: top-k %.3f s (%d products, converged=%b), syevd values %.3f s, syevd vectors %.3f s, max rel diff %.2e%n",
                n, k, d, (t1 - t0) / 1e9, top.products(), top.converged(), (t2 - t1) / 1e9, (t3 - t2) / 1e9, worst);
        if (fullValues.values()[0] != full.values()[0] && Math.abs(fullValues.values()[0] - full.values()[0]) > 1e-12) {
            System.out.println("warning: values-only and vectors runs differ at lambda_1");
        }
    }
}
