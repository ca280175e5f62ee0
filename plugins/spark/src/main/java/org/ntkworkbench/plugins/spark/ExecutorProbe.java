package org.ntkworkbench.plugins.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ntkworkbench.tensor.Tensor;

/**
 * The cost model's calibration of the per-entry compute term as an executor sees it, without Spark: a child
 * JVM started with exactly the executors' JVM options ({@link SparkEngine#JVM_FLAGS}, one computing thread per
 * task, one OpenBLAS thread, the executors' heap and collector) computes tiles of the benchmark's kernel on one
 * plain thread, as a Spark task thread does (the kernel code's parallel streams and array zeroing then go where
 * they go in an executor). {@link ClusterBenchmark} starts E of these at once, so that the per-entry CPU and wall
 * include what E computing JVMs cost each other on this machine (shared cores, caches, memory bandwidth), and,
 * in file mode, each also places its tiles and mirrors in one shared fresh kernel file with the executors'
 * writer. The tiles are other tiles than the measured stages compute, and no Spark runs: a calibration, not a
 * fit to the runs it predicts.
 *
 * <p>Arguments: {@code n d tile model warm count index of ready-dir [target-file]}; the JVMs wait for each other
 * after their warm-up (a file barrier in {@code ready-dir}), then time {@code count} off-diagonal tiles. Prints
 * one JSON line: entries, process CPU, the computing thread's CPU, wall, CPU by thread group.
 */
final class ExecutorProbe {
    private ExecutorProbe() {}

    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]), d = Integer.parseInt(a[1]), tile = Integer.parseInt(a[2]);
        String model = a[3];
        int warm = Integer.parseInt(a[4]), count = Integer.parseInt(a[5]), index = Integer.parseInt(a[6]), of = Integer.parseInt(a[7]);
        Path ready = Path.of(a[8]);
        TileSink.FileTarget target = null;
        if (a.length > 9) {
            try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(Path.of(a[9])))) {
                target = (TileSink.FileTarget) in.readObject();
            }
        }
        TileJob job = new TileJob(model, Tensor.randn(42, n, d), null, null, true, true, tile);
        // Full off-diagonal tiles of the upper triangle, distinct per JVM (row blocks index, index + of, ...); reused when n is small.
        int blocks = job.rowBlocks();
        List<int[]> mine = new ArrayList<>();
        for (int bi = index; bi < blocks && mine.size() < warm + count; bi += of) {
            for (int bj = bi + 1; bj < blocks && mine.size() < warm + count; bj++) {
                if ((long) (bj + 1) * tile <= n) {
                    mine.add(new int[] {bi, bj});
                }
            }
        }
        for (int bi = 0; mine.isEmpty() && bi < blocks; bi++) { // small n: share the full tiles there are
            for (int bj = bi + 1; bj < blocks; bj++) {
                if ((long) (bj + 1) * tile <= n) {
                    mine.add(new int[] {bi, bj});
                }
            }
        }
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("n = " + n + " has no full off-diagonal tile of " + tile + " rows for the probes");
        }
        long entries = 0;
        for (int i = 0; i < warm; i++) {
            Tile t = TileComputer.inTask(true, job, mine.get(i % mine.size())[0], mine.get(i % mine.size())[1]);
            if (target != null) {
                target.write(job, t);
            }
        }
        Files.createFile(ready.resolve(String.valueOf(index)));
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (listed(ready) < of && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Map<String, Double> g0 = ClusterBenchmark.Usage.threadGroups(Path.of("/proc/self"));
        double c0 = processCpu(), t0 = threadCpu(), w0 = System.nanoTime() * 1e-9;
        for (int i = warm; i < warm + count; i++) {
            Tile t = TileComputer.inTask(true, job, mine.get(i % mine.size())[0], mine.get(i % mine.size())[1]);
            entries += (long) t.rows * t.cols;
            if (target != null) {
                target.write(job, t);
            }
        }
        double wall = System.nanoTime() * 1e-9 - w0, cpu = processCpu() - c0, th = threadCpu() - t0;
        Map<String, Double> g = new TreeMap<>(ClusterBenchmark.Usage.threadGroups(Path.of("/proc/self")));
        g0.forEach((k, v) -> g.merge(k, -v, Double::sum));
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "{\"entries\": %d, \"process_cpu_s\": %.4f, \"thread_cpu_s\": %.4f, \"wall_s\": %.4f", entries, cpu, th, wall));
        g.forEach((k, v) -> s.append(String.format(Locale.ROOT, ", \"cpu_%s_s\": %.3f", k, v)));
        System.out.println(s.append('}'));
        System.exit(0);
    }

    private static long listed(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }

    private static double processCpu() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() * 1e-9;
    }

    private static double threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() * 1e-9;
    }
}
