package org.ntkworkbench.bench;

import static org.ntkworkbench.nn.Layers.dense;
import static org.ntkworkbench.nn.Layers.relu;
import static org.ntkworkbench.nn.Layers.serial;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.model.RowBlockKernelService;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * Benchmark (i): the analytic NNGP and NTK of a depth-3 ReLU MLP with bias
 * ({@code serial(dense(·, 1.4, 0.1), relu(), dense(·, 1.4, 0.1), relu(), dense(1, 1.4, 0.1))}) on
 * n = 4000 Gaussian inputs of d = 64, through the {@code kernels} service (row blocks across cores);
 * compare with {@code analytic_kernel_numpy} ({@code bench/numpy/analytic_kernel.py}, the same
 * recursion). Reports {@code seconds} (wall), {@code cpu_seconds} (process CPU time, all threads: on a
 * busy shared machine the wall time stretches with the load, the CPU time much less) and
 * {@code ntk_diagonal_mean}. The network is one serial run of dense and ReLU layers, so
 * {@code Serial} evaluates it as one fused pass ({@link org.ntkworkbench.kernel.EntrywiseChain}).
 */
public final class AnalyticKernelBenchmark implements Benchmark {

    @Override
    public String name() {
        return "analytic_kernel_java";
    }

    @Override
    public String description() {
        return "analytic NNGP+NTK of a depth-3 ReLU MLP with bias, n = 4000, d = 64 (compare analytic_kernel_numpy)";
    }

    @Override
    public Map<String, Object> defaultParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("d", 64);
        p.put("n", 4000);
        return p;
    }

    @Override
    public Measurement run(Map<String, Object> params) {
        int d = Benchmark.intParam(params, "d");
        int n = Benchmark.intParam(params, "n");
        Layer net = serial(dense(512, 1.4, 0.1), relu(), dense(512, 1.4, 0.1), relu(), dense(1, 1.4, 0.1));
        Tensor x = Tensor.randn(0, n, d);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        Kernel k = new RowBlockKernelService().analytic(net, x, null);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        double cpuSeconds = (processCpuNanos() - cpu0) * 1e-9;
        double diag = 0;
        for (int i = 0; i < n; i++) {
            diag += k.ntk().get(i, i) / n;
        }
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("seconds", seconds);
        v.put("cpu_seconds", cpuSeconds);
        v.put("ntk_diagonal_mean", diag);
        return Measurement.of(v);
    }

    /** CPU time of this process (all threads), or 0 where unavailable. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
