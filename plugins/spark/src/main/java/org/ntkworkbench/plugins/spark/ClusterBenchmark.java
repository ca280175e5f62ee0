package org.ntkworkbench.plugins.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * The cost model of docs/scale.md against real standalone clusters of 1 and 2 executors on this machine:
 * for each executor count E it starts a loopback cluster of E workers with one core each (executors
 * limited to one processor, so that E is the parallelism), then measures
 * <ul>
 * <li>start-up: cluster start, and the first job until the executors answered (JVM start, class loading);</li>
 * <li>a tiled symmetric NNGP+NTK of n examples written by the executors into the driver's memory-mapped
 *     files: wall seconds, the executors' process CPU ({@code /proc}), Spark's task CPU, per-tile seconds,
 *     bytes sent to the driver (0: tiles placed by the executors);</li>
 * <li>the same kernel with every tile sent to the driver ({@code ntk.direct=false}, what executors on other
 *     machines do): bytes to the driver as Spark measured them;</li>
 * <li>one operator application (a CG iteration) on the cached kernel, forced through the shuffle: wall
 *     seconds and shuffle bytes as Spark measured them;</li>
 * </ul>
 * and prints each next to the model's prediction from κ, the CPU seconds per kernel entry of a tile computed
 * in this JVM before the clusters start.
 *
 * <pre>java -cp "app/target/ntk-app-*.jar:$(cat app/target/classpath.txt)" [JVM flags of ./ntk] \
 *   org.ntkworkbench.plugins.spark.ClusterBenchmark [n=8000] [d=16] [tile=1024] [executors=1,2] [k=4] [dir=/tmp]</pre>
 *
 * Prints one JSON object per executor count. Run with {@code nice} and report {@code uptime}.
 */
public final class ClusterBenchmark {
    private ClusterBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>(Map.of("n", "8000", "d", "16", "tile", "1024", "executors", "1,2", "k", "4",
                "dir", System.getProperty("java.io.tmpdir"),
                "model", "serial(dense(512, bStd: 0.1), relu(), dense(512, bStd: 0.1), relu(), dense(1))"));
        for (String s : args) {
            int eq = s.indexOf('=');
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        int n = Integer.parseInt(a.get("n")), d = Integer.parseInt(a.get("d")), tile = Integer.parseInt(a.get("tile"));
        int k = Integer.parseInt(a.get("k"));
        String model = a.get("model");
        Tensor x = Tensor.randn(42, n, d);
        double kappa = kappa(model, x, tile);
        System.out.println(json(Map.of("kappa_us", kappa * 1e6, "load", ScaleBenchmark.load(), "n", n, "tile", tile)));
        for (String e : a.get("executors").split(",")) {
            Path dir = Files.createTempDirectory(Path.of(a.get("dir")), "ntk-cluster-bench-");
            try {
                System.out.println(json(run(Integer.parseInt(e.trim()), model, x, tile, k, kappa, dir)));
            } finally {
                ScaleBenchmark.deleteTree(dir);
            }
        }
        System.exit(0);
    }

    /** CPU seconds per entry of one off-diagonal tile computed here (median of 3, after a warm-up). */
    static double kappa(String model, Tensor x, int tile) {
        int t = Math.min(tile, x.dim(0) / 2);
        TileJob job = new TileJob(SparkEngine.shippable(model), x.rowRange(0, 2 * t), null, null, true, true, t);
        TileComputer.compute(job, 0, 1);
        double[] s = new double[3];
        for (int i = 0; i < s.length; i++) {
            double c0 = processCpu();
            TileComputer.compute(job, 0, 1);
            s[i] = (processCpu() - c0) / ((double) t * t);
        }
        Arrays.sort(s);
        return s[1];
    }

    static Map<String, Object> run(int executors, String model, Tensor x, int tile, int k, double kappa, Path dir) throws Exception {
        int n = x.dim(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("executors", executors);
        out.put("load_before", ScaleBenchmark.load());
        LocalCluster cluster = new LocalCluster();
        Path state = dir.resolve("cluster");
        double t0 = now();
        String url = cluster.start(state, executors, 1, 2);
        out.put("cluster_start_s", now() - t0);
        Map<String, String> opts = Map.of(SparkEngine.TILE, String.valueOf(tile), "spark.executor.memory", "1g",
                "spark.executor.extraJavaOptions", String.join(" ", SparkEngine.JVM_FLAGS) + " -XX:ActiveProcessorCount=1");
        try (SparkEngine engine = new SparkEngine(url, opts)) {
            TileJob job = new TileJob(model, x, null, null, true, true, tile);
            int tiles = job.tiles().size();
            long entries = 0;
            for (int[] c : job.tiles()) {
                long r = Math.min(tile, n - (long) c[0] * tile), w = Math.min(tile, n - (long) c[1] * tile);
                entries += c[0] == c[1] ? r * (r + 1) / 2 : r * w;
            }
            // First job: executors start, load the classes and build the model.
            t0 = now();
            engine.kernel(model, x.rowRange(0, Math.min(n, 64)), null, List.of("ntk"), null);
            out.put("first_job_s", now() - t0);

            long[] m0 = engine.taskTotals().await(0, 0).snapshot();
            double e0 = executorCpu(state);
            t0 = now();
            engine.kernelToFile(model, x, null, List.of("nngp", "ntk"), null, dir.resolve("direct"));
            double wall = now() - t0;
            long[] m1 = engine.taskTotals().await(m0[0] + tiles, 10_000).snapshot();
            double cpu = executorCpu(state) - e0;
            double[] ts = engine.lastTileSeconds();
            Arrays.sort(ts);
            double predictedCpu = entries * kappa;
            out.put("tiles", tiles);
            out.put("entries_computed", entries);
            out.put("kernel_wall_s", wall);
            out.put("executor_cpu_s", cpu);
            out.put("task_cpu_s", (m1[2] - m0[2]) * 1e-9);
            out.put("predicted_cpu_s", predictedCpu);
            out.put("cpu_measured_over_predicted", cpu / predictedCpu);
            out.put("predicted_wall_s", predictedCpu / executors);
            out.put("wall_measured_over_predicted", wall / (predictedCpu / executors));
            out.put("tile_s_median", ts[ts.length / 2]);
            out.put("place_s_sum", engine.lastPlaceSeconds());
            out.put("to_driver_bytes", m1[4] - m0[4]);

            // Tiles sent whole to the driver (executors on other machines): bytes as Spark counted them.
            engine.direct = false;
            m0 = engine.taskTotals().snapshot();
            t0 = now();
            engine.kernelToFile(model, x, null, List.of("nngp", "ntk"), null, dir.resolve("sent"));
            out.put("sent_kernel_wall_s", now() - t0);
            m1 = engine.taskTotals().await(m0[0] + tiles, 10_000).snapshot();
            engine.direct = true;
            long tileBytes = 8L * 2 * entriesFull(job);
            out.put("sent_to_driver_bytes", m1[4] - m0[4]);
            out.put("sent_predicted_bytes", tileBytes);

            // One operator application through the shuffle (k vectors) on the cached NTK.
            engine.directReduceBytes = 0;
            try (SparkEngine.CachedKernel ck = engine.cache(model, x, List.of("ntk"), null)) {
                double[] v = Tensor.randn(7, k, n).data(), o = new double[k * n];
                ck.apply("ntk", v, k, o); // warm: the tiles are cached by the first count; this warms the code
                m0 = engine.taskTotals().await(0, 0).snapshot();
                t0 = now();
                ck.apply("ntk", v, k, o);
                out.put("op_wall_s", now() - t0);
                m1 = engine.taskTotals().await(m0[0] + tiles, 10_000).snapshot();
                int rb = job.rowBlocks();
                out.put("op_shuffle_write_bytes", m1[5] - m0[5]);
                out.put("op_shuffle_predicted_bytes", (2L * tiles - rb) * 8L * k * tile);
                out.put("op_task_cpu_s", (m1[2] - m0[2]) * 1e-9);
                out.put("op_predicted_flops", 2.0 * n * n * k);
            }
        } finally {
            cluster.stop(state);
        }
        out.put("load_after", ScaleBenchmark.load());
        return out;
    }

    /** Entries of every tile's full rectangle (what the tiles carry: diagonal tiles whole). */
    private static long entriesFull(TileJob job) {
        long e = 0;
        for (int[] c : job.tiles()) {
            e += (long) Math.min(job.tile, job.n1() - c[0] * job.tile) * Math.min(job.tile, job.n2() - c[1] * job.tile);
        }
        return e;
    }

    /** CPU seconds (user + system) of the executor JVMs the cluster's workers started ({@code /proc/PID/stat}). */
    static double executorCpu(Path state) throws IOException {
        double ticks = 0;
        for (Map.Entry<String, Long> e : LocalCluster.pids(state).entrySet()) {
            if (!e.getKey().startsWith("worker")) {
                continue;
            }
            for (ProcessHandle h : ProcessHandle.of(e.getValue()).map(p -> p.descendants().toList()).orElse(List.of())) {
                try {
                    String stat = Files.readString(Path.of("/proc", String.valueOf(h.pid()), "stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException gone) {
                    // exited
                }
            }
        }
        return ticks / 100.0; // USER_HZ: 100 on Linux
    }

    private static double processCpu() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() * 1e-9;
    }

    private static double now() {
        return System.nanoTime() * 1e-9;
    }

    private static String json(Map<String, ?> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((key, v) -> parts.add("\"" + key + "\": " + (v instanceof Double dv ? String.format(Locale.ROOT, "%.4g", dv)
                : v instanceof Number ? v.toString() : "\"" + v + "\"")));
        return "{" + String.join(", ", parts) + "}";
    }
}
