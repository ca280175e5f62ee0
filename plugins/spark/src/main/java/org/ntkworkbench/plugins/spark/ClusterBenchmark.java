package org.ntkworkbench.plugins.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.ntkworkbench.tensor.Tensor;

/**
 * The cost model of docs/scale.md against real standalone clusters of 1 and 2 executors on this machine.
 * Before any cluster starts, the model's constants are measured in this JVM on one thread:
 * <ul>
 * <li>κ, CPU seconds of the process per kernel entry (an off-diagonal tile computed alone on one thread, after
 *     warm-up: the computing thread, the pool thread that zeroes the next array, the collector);</li>
 * <li>ω, CPU seconds per computed entry of placing a tile and its mirror in an (n, n) kernel file with the
 *     executors' own writer ({@code TileSink.FileTarget}), first touch of the file's pages included;</li>
 * <li>g, CPU seconds of one tile's share of an operator application (a tile times k vectors).</li>
 * </ul>
 * Then for each executor count E it starts a loopback cluster of E workers with one core each and, after a
 * warm-up job (JIT), runs three stages and prints each next to the model's prediction:
 * <ul>
 * <li><b>kernel</b>: the tiled symmetric NNGP+NTK written by the executors into the driver's files;
 *     predicted CPU N·(κ+ω), predicted wall the makespan of the tiles (cost entries·(κ+ω) each, in Spark's
 *     order) over E slots (= N·(κ+ω)/E up to the last wave);</li>
 * <li><b>sent</b>: the same kernel with every tile sent to the driver (executors on other machines):
 *     predicted wall max(N·κ/E, N·ω / min(E, 2)) (the driver places with two result threads; the transfer
 *     itself is not in the model), predicted bytes 8·A·(tile entries);</li>
 * <li><b>op</b>: one operator application (a CG iteration) on the cached NTK through the shuffle:
 *     predicted wall Σ tile products · g / E, predicted shuffle bytes (2T − ⌈n/t⌉)·8·k·t.</li>
 * </ul>
 * Measured beside them: wall, Spark's stage times and task metrics (from a listener: stage wall, task run
 * and CPU time, the idle gaps between one executor's tasks), the executors' process CPU ({@code /proc})
 * split by thread group (task threads, the common fork-join pool, JIT, GC, other), the driver's and the
 * cluster daemons' CPU, the whole machine's busy CPU ({@code /proc/stat}), the executors' peak RSS.
 *
 * <p>{@code threads=task} (default) runs the executors as the engine configures them (one computing thread
 * per Spark core: {@link SparkEngine#ONE_THREAD_PER_TASK}, one OpenBLAS thread); {@code threads=legacy} as the
 * previous session did (the common pool on, OpenBLAS on its default thread count, executors limited to
 * one processor with {@code -XX:ActiveProcessorCount=1}), to show what changed.
 *
 * <pre>java -cp "app/target/ntk-app-*.jar:$(cat app/target/classpath.txt)" [JVM flags of ./ntk] \
 *   org.ntkworkbench.plugins.spark.ClusterBenchmark [n=20000] [d=16] [tile=1024] [executors=1,2] [k=4] \
 *   [threads=task|legacy] [stages=kernel,sent,op] [dir=/tmp]</pre>
 *
 * Prints one JSON object for the constants, then the model's predictions for each executor count (before any
 * cluster starts), then one JSON object of measurements (with the predictions beside them) per executor count. Run with {@code nice} and report
 * {@code uptime}: on a shared machine the wall times measure the other users too (the machine's busy CPU
 * beside them says how much).
 */
public final class ClusterBenchmark {
    private ClusterBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>(Map.of("n", "20000", "d", "16", "tile", "1024", "executors", "1,2", "k", "4",
                "dir", System.getProperty("java.io.tmpdir"), "threads", "task", "stages", "kernel,sent,op",
                "model", "serial(dense(512, bStd: 0.1), relu(), dense(512, bStd: 0.1), relu(), dense(1))"));
        for (String s : args) {
            int eq = s.indexOf('=');
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        int n = Integer.parseInt(a.get("n")), d = Integer.parseInt(a.get("d")), tile = Integer.parseInt(a.get("tile"));
        int k = Integer.parseInt(a.get("k"));
        String model = a.get("model");
        List<String> stages = List.of(a.get("stages").split(","));
        Tensor x = Tensor.randn(42, n, d);
        Path dir = Files.createTempDirectory(Path.of(a.get("dir")), "ntk-cluster-bench-");
        try {
            Constants c = constants(model, x, tile, k, dir);
            System.out.println(json(Map.of("kappa_us", c.kappa * 1e6, "kappa_thread_us", kappaThread * 1e6, "omega_us", c.omega * 1e6, "g_tile_op_s", c.gemm,
                    "load", ScaleBenchmark.load(), "n", n, "tile", tile, "threads", a.get("threads"))));
            TileJob plan = new TileJob(SparkEngine.shippable(model), x, null, null, true, true, tile);
            for (String e : a.get("executors").split(",")) {
                System.out.println(json(predict(Integer.parseInt(e.trim()), plan, c, k)));
            }
            for (String e : a.get("executors").split(",")) {
                Path runDir = Files.createTempDirectory(dir, "run-");
                try {
                    System.out.println(json(run(Integer.parseInt(e.trim()), model, x, tile, k, c, "legacy".equals(a.get("threads")),
                            stages, runDir)));
                } finally {
                    ScaleBenchmark.deleteTree(runDir);
                }
            }
        } finally {
            ScaleBenchmark.deleteTree(dir);
        }
        System.exit(0);
    }

    /** κ counted on the computing thread only (printed beside κ, which is the process's CPU per entry). */
    private static double kappaThread;

    /** The model's per-entry constants, measured in this JVM on one thread. */
    record Constants(double kappa, double omega, double gemm) {}

    static Constants constants(String model, Tensor x, int tile, int k, Path dir) throws Exception {
        int n = x.dim(0), t = Math.min(tile, n / 2);
        // One worker: the kernel code's parallel streams run in this pool's single thread, as in a task
        // whose JVM runs with ONE_THREAD_PER_TASK.
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            TileJob job = new TileJob(SparkEngine.shippable(model), x, null, null, true, true, tile);
            // After five warm-ups (the JIT done), the median of five: the process's CPU (what a tile costs its JVM,
            // including the pool thread that zeroes the next NTK array and the collector) and, for comparison
            // with Spark's task CPU, the computing thread's own.
            double[] both = one.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    TileComputer.compute(job, 0, 1);
                }
                double[] s = new double[5], th = new double[5];
                for (int i = 0; i < s.length; i++) {
                    double c0 = processCpu(), t0 = threadCpu();
                    TileComputer.compute(job, 0, 1);
                    s[i] = (processCpu() - c0) / ((double) t * t);
                    th[i] = (threadCpu() - t0) / ((double) t * t);
                }
                Arrays.sort(s);
                Arrays.sort(th);
                return new double[] {s[2], th[2]};
            }).get();
            double kappa = both[0];
            kappaThread = both[1];
            // ω: off-diagonal tiles and their mirrors written into a fresh (n, n) pair of files by the executors' writer,
            // spread over the file as in the real run (every page touched for the first time).
            Tile tl = TileComputer.compute(job, 0, 1);
            double omega;
            try (TileSink.Files2 sink = new TileSink.Files2(job, dir.resolve("omega.npz"))) {
                TileSink.FileTarget target = sink.target();
                int blocks = job.rowBlocks(), placed = 0;
                target.write(job, tl); // warm-up (tile (0, 1) is rewritten by no other placement below)
                double c0 = threadCpu();
                for (int b = 0; b + 1 < blocks && placed < 8; b += Math.max(1, blocks / 8), placed++) {
                    int bj = Math.min(blocks - 1, b + blocks / 2);
                    if (bj == b || (long) bj * tile + tl.cols > n) {
                        continue;
                    }
                    target.write(job, new Tile(b, bj, b * tile, bj * tile, tl.rows, tl.cols, tl.nngp, tl.ntk, null, null, 0, false));
                }
                omega = (threadCpu() - c0) / Math.max(1, placed) / ((double) tl.rows * tl.cols);
            }
            // g: one tile's share of an operator application (the tile and its mirror times k vectors).
            double[] v = Tensor.randn(7, k, n).data();
            double g = one.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    SparkEngine.times(tl.ntk, tl.rows, tl.cols, false, v, k, n, tl.c0);
                    SparkEngine.times(tl.ntk, tl.rows, tl.cols, true, v, k, n, tl.r0);
                }
                double c0 = threadCpu();
                for (int i = 0; i < 5; i++) {
                    SparkEngine.times(tl.ntk, tl.rows, tl.cols, false, v, k, n, tl.c0);
                    SparkEngine.times(tl.ntk, tl.rows, tl.cols, true, v, k, n, tl.r0);
                }
                return (threadCpu() - c0) / 10;
            }).get();
            return new Constants(kappa, omega, g);
        } finally {
            one.shutdown();
        }
    }

    /**
     * The model's predictions for {@code executors} one-core executors, from the constants alone (printed before
     * any cluster starts): per stage wall seconds, the kernel's CPU seconds, bytes to the driver and shuffle bytes.
     */
    static Map<String, Object> predict(int executors, TileJob job, Constants c, int k) {
        int tiles = job.tiles().size(), tile = job.tile, n = job.n1();
        double[] kernel = new double[tiles], products = new double[tiles];
        long entries = 0;
        for (int i = 0; i < tiles; i++) {
            int[] co = job.tiles().get(i);
            long r = Math.min(tile, n - (long) co[0] * tile), w = Math.min(tile, n - (long) co[1] * tile);
            long e = co[0] == co[1] ? r * (r + 1) / 2 : r * w;
            entries += e;
            kernel[i] = e * (c.kappa + c.omega);
            products[i] = (co[0] == co[1] ? 0.5 : 1.0) * c.gemm; // g covers a tile and its mirror
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("prediction_for_executors", executors);
        p.put("tiles", tiles);
        p.put("entries_computed", entries);
        p.put("kernel_predicted_wall_s", makespan(kernel, executors));
        p.put("kernel_predicted_wall_even_s", entries * (c.kappa + c.omega) / executors);
        p.put("kernel_predicted_cpu_s", entries * (c.kappa + c.omega));
        p.put("kernel_predicted_cpu_arith_s", entries * c.kappa);
        p.put("kernel_predicted_cpu_write_s", entries * c.omega);
        p.put("sent_predicted_wall_s", Math.max(entries * c.kappa / executors, entries * c.omega / Math.min(executors, 2)));
        p.put("sent_predicted_bytes", 8L * 2 * entriesFull(job));
        p.put("op_predicted_wall_s", makespan(products, executors));
        p.put("op_shuffle_predicted_bytes", (2L * tiles - job.rowBlocks()) * 8L * k * tile);
        p.put("model_tile_memory_per_core_mb", 5.0 * 8 * tile * (double) tile / (1 << 20));
        return p;
    }

    static Map<String, Object> run(int executors, String model, Tensor x, int tile, int k, Constants c, boolean legacy,
                                   List<String> stages, Path dir) throws Exception {
        int n = x.dim(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("executors", executors);
        out.put("threads", legacy ? "legacy" : "task");
        out.put("load_before", ScaleBenchmark.load());
        LocalCluster cluster = new LocalCluster();
        Path state = dir.resolve("cluster");
        double t0 = now();
        // Executors of 4 GB: the cached NTK of n = 20 000 (1.6 GB) fits Spark's storage memory (0.6 × (heap − 300 MB))
        // of one executor, so the operator application reads tiles from memory, not from a spill.
        String url = cluster.start(state, executors, 1, 5);
        out.put("cluster_start_s", now() - t0);
        Map<String, String> opts = new HashMap<>(Map.of(SparkEngine.TILE, String.valueOf(tile), "spark.executor.memory", "4g"));
        if (legacy) {
            opts.put("spark.executor.extraJavaOptions", String.join(" ", SparkEngine.JVM_FLAGS) + " -XX:ActiveProcessorCount=1");
            opts.put("spark.executorEnv.OPENBLAS_NUM_THREADS", String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
        StageLog log = new StageLog();
        try (SparkEngine engine = new SparkEngine(url, opts)) {
            engine.context().sc().addSparkListener(log);
            TileJob job = new TileJob(model, x, null, null, true, true, tile);
            int tiles = job.tiles().size();
            Map<String, Object> p = predict(executors, job, c, k);
            out.put("tiles", tiles);
            out.put("entries_computed", p.get("entries_computed"));
            // First job: executors start, load the classes and build the model; then one tile per executor
            // at full size so that the JIT has compiled the tile code before anything is timed.
            t0 = now();
            engine.kernel(model, x.rowRange(0, Math.min(n, 64)), null, List.of("ntk"), null);
            out.put("first_job_s", now() - t0);
            t0 = now();
            engine.kernel(model, x.rowRange(0, Math.min(n, executors * tile)), null, List.of("nngp", "ntk"), null);
            out.put("warm_job_s", now() - t0);

            if (stages.contains("kernel")) {
                Usage u0 = Usage.of(state);
                log.clear();
                long[] m0 = engine.taskTotals().await(0, 0).snapshot();
                t0 = now();
                engine.kernelToFile(model, x, null, List.of("nngp", "ntk"), null, dir.resolve("direct"));
                double wall = now() - t0;
                long[] m1 = engine.taskTotals().await(m0[0] + tiles, 10_000).snapshot();
                Usage u = Usage.of(state).minus(u0);
                double[] ts = engine.lastTileSeconds();
                Arrays.sort(ts);
                out.put("kernel_wall_s", wall);
                for (String key : List.of("kernel_predicted_wall_s", "kernel_predicted_wall_even_s", "kernel_predicted_cpu_s",
                        "kernel_predicted_cpu_arith_s", "kernel_predicted_cpu_write_s")) {
                    out.put(key, p.get(key));
                }
                u.into(out, "kernel_");
                out.put("kernel_task_cpu_s", (m1[2] - m0[2]) * 1e-9);
                out.put("kernel_task_run_s", (m1[3] - m0[3]) * 1e-3);
                out.put("kernel_tile_s_median", ts.length == 0 ? 0 : ts[ts.length / 2]);
                out.put("kernel_place_s_sum", engine.lastPlaceSeconds());
                out.put("kernel_to_driver_bytes", m1[4] - m0[4]);
                log.into(out, "kernel_");
            }
            if (stages.contains("sent")) {
                // Tiles sent whole to the driver (executors on other machines): bytes as Spark counted them.
                Usage u0 = Usage.of(state);
                log.clear();
                engine.direct = false;
                long[] m0 = engine.taskTotals().snapshot();
                t0 = now();
                engine.kernelToFile(model, x, null, List.of("nngp", "ntk"), null, dir.resolve("sent"));
                double wall = now() - t0;
                long[] m1 = engine.taskTotals().await(m0[0] + tiles, 10_000).snapshot();
                engine.direct = true;
                Usage u = Usage.of(state).minus(u0);
                out.put("sent_wall_s", wall);
                out.put("sent_predicted_wall_s", p.get("sent_predicted_wall_s"));
                out.put("sent_to_driver_bytes", m1[4] - m0[4]);
                out.put("sent_predicted_bytes", p.get("sent_predicted_bytes"));
                u.into(out, "sent_");
                out.put("sent_task_cpu_s", (m1[2] - m0[2]) * 1e-9);
                log.into(out, "sent_");
            }
            if (stages.contains("op")) {
                // One operator application through the shuffle (k vectors) on the cached NTK.
                engine.directReduceBytes = 0;
                try (SparkEngine.CachedKernel ck = engine.cache(model, x, List.of("ntk"), null)) {
                    double[] v = Tensor.randn(7, k, n).data(), o = new double[k * n];
                    ck.apply("ntk", v, k, o); // the tiles are cached by the first count; this warms the code
                    Usage u0 = Usage.of(state);
                    log.clear();
                    long[] m0 = engine.taskTotals().await(0, 0).snapshot();
                    t0 = now();
                    ck.apply("ntk", v, k, o);
                    double wall = now() - t0;
                    long[] m1 = engine.taskTotals().await(m0[0] + tiles, 10_000).snapshot();
                    Usage u = Usage.of(state).minus(u0);
                    out.put("op_wall_s", wall);
                    out.put("op_predicted_wall_s", p.get("op_predicted_wall_s"));
                    out.put("op_shuffle_write_bytes", m1[5] - m0[5]);
                    out.put("op_shuffle_predicted_bytes", p.get("op_shuffle_predicted_bytes"));
                    out.put("op_task_cpu_s", (m1[2] - m0[2]) * 1e-9);
                    u.into(out, "op_");
                    log.into(out, "op_");
                }
            }
            out.put("executor_peak_rss_mb", peakRssMb(state));
            out.put("model_tile_memory_per_core_mb", p.get("model_tile_memory_per_core_mb"));
        } finally {
            cluster.stop(state);
        }
        out.put("load_after", ScaleBenchmark.load());
        return out;
    }

    /** The finishing time of {@code costs} handed out in order to {@code slots} workers, each taking the next when free. */
    static double makespan(double[] costs, int slots) {
        double[] free = new double[slots];
        for (double cst : costs) {
            int m = 0;
            for (int i = 1; i < slots; i++) {
                if (free[i] < free[m]) {
                    m = i;
                }
            }
            free[m] += cst;
        }
        return Arrays.stream(free).max().orElse(0);
    }

    /** Entries of every tile's full rectangle (what the tiles carry: diagonal tiles whole). */
    private static long entriesFull(TileJob job) {
        long e = 0;
        for (int[] co : job.tiles()) {
            e += (long) Math.min(job.tile, job.n1() - co[0] * job.tile) * Math.min(job.tile, job.n2() - co[1] * job.tile);
        }
        return e;
    }

    /**
     * CPU seconds by process and thread group: the executors (their threads grouped by name), this driver
     * JVM, the master and worker daemons, and the whole machine's busy time ({@code /proc/stat}).
     */
    record Usage(Map<String, Double> executorThreads, double executorTotal, double driver, double daemons, double machine, double wall) {
        static Usage of(Path state) throws IOException {
            Map<String, Double> groups = new TreeMap<>();
            double total = 0, daemons = 0;
            for (Map.Entry<String, Long> e : LocalCluster.pids(state).entrySet()) {
                daemons += cpu(Path.of("/proc", String.valueOf(e.getValue()), "stat"));
                if (!e.getKey().startsWith("worker")) {
                    continue;
                }
                for (ProcessHandle h : ProcessHandle.of(e.getValue()).map(p -> p.descendants().toList()).orElse(List.of())) {
                    Path proc = Path.of("/proc", String.valueOf(h.pid()));
                    total += cpu(proc.resolve("stat"));
                    try (var tasks = Files.list(proc.resolve("task"))) {
                        for (Path t : tasks.toList()) {
                            try {
                                groups.merge(group(Files.readString(t.resolve("comm")).trim()), cpu(t.resolve("stat")), Double::sum);
                            } catch (IOException gone) {
                                // thread ended
                            }
                        }
                    } catch (IOException gone) {
                        // executor ended
                    }
                }
            }
            return new Usage(groups, total, processCpu(), daemons, machineBusy(), now());
        }

        Usage minus(Usage o) {
            Map<String, Double> g = new TreeMap<>(executorThreads);
            o.executorThreads.forEach((key, v) -> g.merge(key, -v, Double::sum));
            return new Usage(g, executorTotal - o.executorTotal, driver - o.driver, daemons - o.daemons, machine - o.machine, wall - o.wall);
        }

        void into(Map<String, Object> out, String prefix) {
            out.put(prefix + "executor_cpu_s", executorTotal);
            double sum = 0;
            for (Map.Entry<String, Double> e : executorThreads.entrySet()) {
                out.put(prefix + "executor_cpu_" + e.getKey() + "_s", e.getValue());
                sum += e.getValue();
            }
            out.put(prefix + "executor_cpu_exited_threads_s", executorTotal - sum);
            out.put(prefix + "driver_cpu_s", driver);
            out.put(prefix + "daemons_cpu_s", daemons);
            out.put(prefix + "machine_busy_cpu_s", machine);
            out.put(prefix + "machine_cores", Runtime.getRuntime().availableProcessors());
        }

        /** Thread groups by the (15-character) Linux thread name. */
        static String group(String comm) {
            if (comm.startsWith("Executor task")) {
                return "task"; // Spark's task threads (and any native threads they started, e.g. OpenBLAS's)
            }
            if (comm.startsWith("ForkJoinPool.co")) {
                return "fj_common";
            }
            if (comm.contains("CompilerThre")) {
                return "jit";
            }
            if (comm.startsWith("GC ") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
                return "gc";
            }
            return "other";
        }

        static double cpu(Path stat) {
            try {
                String s = Files.readString(stat);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ: 100 on Linux
            } catch (IOException | RuntimeException gone) {
                return 0;
            }
        }

        /** Busy CPU seconds of the whole machine since boot (all but idle and iowait). */
        static double machineBusy() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    if (i != 4 && i != 5) {
                        busy += Long.parseLong(f[i]);
                    }
                }
                return busy / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
    }

    /** Peak resident set (VmHWM) of the largest executor JVM, MB. */
    static double peakRssMb(Path state) throws IOException {
        double max = 0;
        for (Map.Entry<String, Long> e : LocalCluster.pids(state).entrySet()) {
            if (!e.getKey().startsWith("worker")) {
                continue;
            }
            for (ProcessHandle h : ProcessHandle.of(e.getValue()).map(p -> p.descendants().toList()).orElse(List.of())) {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(h.pid()), "status"))) {
                        if (line.startsWith("VmHWM:")) {
                            max = Math.max(max, Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
                        }
                    }
                } catch (IOException gone) {
                    // exited
                }
            }
        }
        return max;
    }

    /**
     * Spark's own view of the stages of the jobs since {@link #clear()}: stage wall (submission to completion),
     * and per task its executor, launch and finish times, run and CPU time; from these the span from the first
     * launch to the last finish, the executors' busy fraction, and the idle gaps between the tasks of one executor
     * (scheduling delay).
     */
    static final class StageLog extends SparkListener {
        private final List<double[]> stages = new ArrayList<>();
        private final Map<String, List<long[]>> tasks = new HashMap<>();

        synchronized void clear() {
            stages.clear();
            tasks.clear();
        }

        @Override
        public synchronized void onStageCompleted(SparkListenerStageCompleted e) {
            var info = e.stageInfo();
            long sub = info.submissionTime().isDefined() ? (Long) info.submissionTime().get() : 0;
            long done = info.completionTime().isDefined() ? (Long) info.completionTime().get() : 0;
            stages.add(new double[] {info.stageId(), info.numTasks(), (done - sub) * 1e-3});
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
            var info = e.taskInfo();
            var m = e.taskMetrics();
            tasks.computeIfAbsent(info.executorId(), x -> new ArrayList<>()).add(new long[] {info.launchTime(), info.finishTime(),
                    m == null ? 0 : m.executorRunTime(), m == null ? 0 : m.executorCpuTime() / 1_000_000,
                    m == null ? 0 : m.executorDeserializeTime()});
        }

        synchronized void into(Map<String, Object> out, String prefix) {
            StringBuilder s = new StringBuilder();
            for (double[] st : stages) {
                s.append(String.format(Locale.ROOT, "%s%d:%d tasks %.2f s", s.length() == 0 ? "" : "; ", (int) st[0], (int) st[1], st[2]));
            }
            out.put(prefix + "stages", s.toString());
            long first = Long.MAX_VALUE, last = 0;
            double run = 0, gaps = 0, deser = 0;
            int gapCount = 0;
            for (List<long[]> list : tasks.values()) {
                list.sort((p, q) -> Long.compare(p[0], q[0]));
                for (int i = 0; i < list.size(); i++) {
                    long[] t = list.get(i);
                    first = Math.min(first, t[0]);
                    last = Math.max(last, t[1]);
                    run += t[2] * 1e-3;
                    deser += t[4] * 1e-3;
                    if (i > 0) {
                        gaps += Math.max(0, t[0] - list.get(i - 1)[1]) * 1e-3;
                        gapCount++;
                    }
                }
            }
            double span = last > first ? (last - first) * 1e-3 : 0;
            out.put(prefix + "task_span_s", span);
            out.put(prefix + "executors_busy_fraction", span > 0 ? run / (span * Math.max(1, tasks.size())) : 0);
            out.put(prefix + "task_gap_mean_ms", gapCount == 0 ? 0 : 1e3 * gaps / gapCount);
            out.put(prefix + "task_deserialize_s", deser);
        }
    }

    private static double processCpu() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() * 1e-9;
    }

    private static double threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() * 1e-9;
    }

    private static double now() {
        return System.nanoTime() * 1e-9;
    }

    private static String json(Map<String, ?> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((key, v) -> parts.add("\"" + key + "\": " + (v instanceof Double dv ? (dv.isNaN() ? "null" : String.format(Locale.ROOT, "%.4g", dv))
                : v instanceof Number ? v.toString() : "\"" + v + "\"")));
        return "{" + String.join(", ", parts) + "}";
    }
}
