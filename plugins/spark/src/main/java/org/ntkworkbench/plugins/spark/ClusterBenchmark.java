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
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.ntkworkbench.tensor.Tensor;
import scala.Tuple2;

/**
 * The cost model of docs/scale.md (session 5) against real standalone clusters of 1 and 2 executors on this machine.
 * Every term the model uses is measured first, separately from the runs it predicts (calibration, not a fit):
 * <ul>
 * <li>in this JVM on one thread: κ (process CPU per kernel entry after warm-up), ω (placing a tile and its mirror in
 *     a fresh kernel file), g (one tile's share of an operator application with k vectors), the CPU per byte of
 *     serialising and reading back a partial product of the shuffle, the disk's write-back rate (flushing 512 MB of
 *     fresh tiles) and the kernel's dirty-page thresholds;</li>
 * <li>by E {@link ExecutorProbe} JVMs started at once with the executors' JVM settings and no Spark: CPU and wall per
 *     entry of computing tiles, and of computing and placing them in one shared file, on other tiles than the
 *     stages compute (what E executors cost each other on this machine: cores, caches, memory bandwidth);</li>
 * <li>on each cluster, by calibration jobs of their own after the warm-up: Spark's CPU per task in the driver and in
 *     the executors (T tasks that compute nothing), per shuffle map task (two one-number records), and the driver's
 *     CPU per byte of tiles sent to it (a small kernel).</li>
 * </ul>
 * From these alone the model predicts each stage's wall time as the largest of three chains: the executors' (tiles
 * handed out in Spark's order to E one-core executors, each costing its entries times the probes' wall per entry plus
 * τ, the empty calibration job's wall per task and slot), the driver's (T·σ_d, plus bytes sent times its CPU per byte) and the machine's (all of that CPU over the
 * machine's cores); a kernel written to files adds the flush of what is still dirty at the end. The predictions
 * are printed before the stages run, then each stage's measurement, its ratio and whether it is inside the tolerance
 * stated in advance ({@link #TOLERANCE_COMPUTE}, {@link #TOLERANCE_OVERHEAD}). Stages:
 * <ul>
 * <li><b>compute</b>: the kernel's tiles computed and dropped (nothing written or cached);</li>
 * <li><b>kernel</b>: the tiled symmetric NNGP+NTK placed by the executors in the driver's .npy files;</li>
 * <li><b>sent</b>: the same kernel with every tile sent to the driver (executors on other machines);</li>
 * <li><b>cached</b>: the NTK kept as cached tiles on the executors;</li>
 * <li><b>op</b>: one operator application (a CG iteration) with k vectors on the cached NTK through the shuffle.</li>
 * </ul>
 * Measured beside them: wall, Spark's stage times and task metrics per executor (task CPU, run time, GC time), the
 * executors' process CPU ({@code /proc}) split by thread group, their writes, the driver's and the daemons' CPU, the
 * machine's busy CPU, iowait and I/O stall, the executors' peak RSS.
 *
 * <p>{@code threads=task} (default) runs the executors as the engine configures them (each task computes in a fork-join
 * pool of its own cores, {@code TileComputer.computeOn}; one OpenBLAS thread); {@code threads=session4} as until session 4
 * (the task thread plus the common pool, whose worker on JDK 25 takes part in every parallel stream even at parallelism
 * 0); {@code threads=legacy} as session 3 (the common pool on, one processor visible).
 *
 * <pre>java -cp "app/target/ntk-app-*.jar:$(cat app/target/classpath.txt)" [JVM flags of ./ntk] \
 *   org.ntkworkbench.plugins.spark.ClusterBenchmark [n=20000] [d=16] [tile=1024] [executors=1,2] [k=4] \
 *   [threads=task|session4|legacy] [stages=compute,kernel,sent,cached,op] [dir=/tmp]</pre>
 *
 * Prints JSON lines: the constants, per executor count the probes and a first prediction (without Spark's per-task
 * terms), then per executor count the calibrated prediction (before its stages) and the measurements. Run with
 * {@code nice} and report {@code uptime}: on a shared machine the wall times measure the other users too.
 */
public final class ClusterBenchmark {
    private ClusterBenchmark() {}

    /** Tolerance stated before the runs (session 5): measured / predicted wall of the compute-bound stages. */
    static final double[] TOLERANCE_COMPUTE = {0.85, 1.15};
    /** The same for the stages whose time is fixed cost per task and bytes (sent, op). */
    static final double[] TOLERANCE_OVERHEAD = {0.75, 1.33};

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>(Map.of("n", "20000", "d", "16", "tile", "1024", "executors", "1,2", "k", "4",
                "dir", System.getProperty("java.io.tmpdir"), "threads", "task", "stages", "compute,kernel,sent,cached,op",
                "model", "serial(dense(512, bStd: 0.1), relu(), dense(512, bStd: 0.1), relu(), dense(1))"));
        for (String s : args) {
            int eq = s.indexOf('=');
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        int n = Integer.parseInt(a.get("n")), d = Integer.parseInt(a.get("d")), tile = Integer.parseInt(a.get("tile"));
        int k = Integer.parseInt(a.get("k"));
        String model = a.get("model");
        String threads = a.get("threads");
        if (!List.of("task", "session4", "legacy").contains(threads)) {
            throw new IllegalArgumentException("threads=" + threads + ": expected task, session4 or legacy");
        }
        List<String> stages = List.of(a.get("stages").split(","));
        Tensor x = Tensor.randn(42, n, d);
        Path dir = Files.createTempDirectory(Path.of(a.get("dir")), "ntk-cluster-bench-");
        try {
            Constants c = constants(model, x, tile, k, dir);
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("kappa_us", c.kappa * 1e6);
            head.put("kappa_thread_us", kappaThread * 1e6);
            head.put("omega_us", c.omega * 1e6);
            head.put("g_tile_op_s", c.gemm);
            head.put("serialise_ns_per_byte", c.serialise * 1e9);
            head.put("disk_write_back_mb_s", c.diskBytesPerSecond / 1e6);
            head.put("dirty_background_mb", c.dirtyBackgroundBytes / 1e6);
            head.put("dirty_limit_mb", c.dirtyLimitBytes / 1e6);
            head.put("load", ScaleBenchmark.load());
            head.put("n", n);
            head.put("tile", tile);
            head.put("threads", a.get("threads"));
            head.put("tolerance_compute", TOLERANCE_COMPUTE[0] + "-" + TOLERANCE_COMPUTE[1]);
            head.put("tolerance_overhead", TOLERANCE_OVERHEAD[0] + "-" + TOLERANCE_OVERHEAD[1]);
            System.out.println(json(head));
            TileJob plan = new TileJob(SparkEngine.shippable(model), x, null, null, true, true, tile);
            Map<Integer, Probes> probes = new TreeMap<>();
            for (String e : a.get("executors").split(",")) {
                int ex = Integer.parseInt(e.trim());
                Probes pr = new Probes(probe(ex, false, n, d, tile, model, threads, dir), probe(ex, true, n, d, tile, model, threads, dir));
                probes.put(ex, pr);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("probe_for_executors", ex);
                pr.compute.into(m, "probe_compute_");
                pr.file.into(m, "probe_file_");
                m.put("load", ScaleBenchmark.load());
                System.out.println(json(m));
                System.out.println(json(predict(ex, plan, c, pr, Overheads.NONE, k)));
            }
            System.out.flush();
            for (String e : a.get("executors").split(",")) {
                int ex = Integer.parseInt(e.trim());
                Path runDir = Files.createTempDirectory(dir, "run-");
                try {
                    System.out.println(json(run(ex, model, x, tile, k, c, probes.get(ex), threads, stages, runDir)));
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

    /** The model's per-entry constants, measured in this JVM on one thread; {@code serialise}: CPU s per shuffled byte. */
    record Constants(double kappa, double omega, double gemm, double serialise, double diskBytesPerSecond, double dirtyBackgroundBytes,
                     double dirtyLimitBytes) {}

    /**
     * What E computing JVMs with the executors' settings cost per entry when they run at once on this machine
     * ({@link ExecutorProbe}): process CPU per entry (all JVMs' CPU over all entries), wall per entry of one JVM,
     * the computing threads' CPU per entry, and the CPU by thread group per entry.
     */
    record Probe(int jvms, double cpuPerEntry, double wallPerEntry, double threadPerEntry, Map<String, Double> groupsPerEntry) {
        void into(Map<String, Object> out, String prefix) {
            out.put(prefix + "cpu_us", cpuPerEntry * 1e6);
            out.put(prefix + "wall_us", wallPerEntry * 1e6);
            out.put(prefix + "thread_us", threadPerEntry * 1e6);
            groupsPerEntry.forEach((g, v) -> out.put(prefix + g + "_us", v * 1e6));
        }
    }

    /** The compute-only and the compute-and-place probes of one executor count. */
    record Probes(Probe compute, Probe file) {}

    /**
     * Spark's fixed costs per task, measured on the cluster by calibration jobs of their own before any stage:
     * {@code driver}/{@code executor} CPU s per task of a job of T tasks that compute nothing; {@code shuffleDriver}/
     * {@code shuffleExecutor} the same for T map tasks writing two one-number records into the operator's shuffle
     * (and its reduce tasks); {@code driverPerByte} the driver's CPU s per byte of tiles sent to it (a small kernel
     * with every tile sent and placed by the driver).
     */
    record Overheads(double driver, double executor, double shuffleDriver, double shuffleExecutor, double driverPerByte,
                     double taskWall, double shuffleTaskWall) {
        static final Overheads NONE = new Overheads(0, 0, 0, 0, 0, 0, 0);

        void into(Map<String, Object> out) {
            out.put("sigma_driver_ms", driver * 1e3);
            out.put("sigma_executor_ms", executor * 1e3);
            out.put("sigma_shuffle_driver_ms", shuffleDriver * 1e3);
            out.put("sigma_shuffle_executor_ms", shuffleExecutor * 1e3);
            out.put("driver_ns_per_byte_sent", driverPerByte * 1e9);
            out.put("tau_task_ms", taskWall * 1e3);
            out.put("tau_shuffle_task_ms", shuffleTaskWall * 1e3);
        }
    }

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
            // Serialising a partial product (k·t doubles) and reading it back, as the shuffle does, per byte.
            double[] part = SparkEngine.times(tl.ntk, tl.rows, tl.cols, false, v, k, n, tl.c0);
            var ser = new org.apache.spark.serializer.JavaSerializer(new org.apache.spark.SparkConf()).newInstance();
            var tag = scala.reflect.ClassTag$.MODULE$.<scala.Tuple2<Integer, double[]>>apply(scala.Tuple2.class);
            // Warm (cold, the same copy costs 6-12 ns per byte here; compiled, 0.45), then the median of 9 rounds.
            int reps = Math.max(4, (int) (4e6 / (8.0 * part.length)));
            for (int i = 0; i < 40 * reps; i++) {
                ser.deserialize(ser.serialize(new scala.Tuple2<>(i, part), tag), tag);
            }
            double[] rounds = new double[9];
            for (int r = 0; r < rounds.length; r++) {
                double r0 = threadCpu();
                for (int i = 0; i < reps; i++) {
                    ser.deserialize(ser.serialize(new scala.Tuple2<>(i, part), tag), tag);
                }
                rounds[r] = threadCpu() - r0;
            }
            Arrays.sort(rounds);
            double c0 = 0;
            double serialise = (rounds[4] - c0) / reps / (8.0 * part.length);
            // δ: the disk's write-back rate, flushing 512 MB of freshly written tiles (as the kernel file's finish does);
            // the kernel's dirty-page thresholds (vm.dirty_background_ratio / dirty_ratio of the available memory).
            double delta;
            int m = 8192;
            Path f = dir.resolve("delta.npy");
            try (var file = org.ntkworkbench.spi.ArrayFiles.TileFile.create(f, m, m)) {
                double[] rows = new double[1024 * m];
                java.util.Arrays.fill(rows, 1.5);
                for (int r = 0; r < m; r += 1024) {
                    file.writeTile(r, 0, 1024, m, rows, false);
                }
                double w0 = now();
                file.force();
                delta = 8.0 * m * m / (now() - w0);
            } finally {
                Files.deleteIfExists(f);
            }
            double avail = meminfo("MemAvailable");
            return new Constants(kappa, omega, g, serialise, delta, avail * sysctl("dirty_background_ratio") / 100, avail * sysctl("dirty_ratio") / 100);
        } finally {
            one.shutdown();
        }
    }

    /**
     * Runs {@code jvms} {@link ExecutorProbe} JVMs at once with the executors' JVM settings (6 warm-up tiles, then 8
     * timed tiles each) and returns their per-entry costs; with {@code file} each also places its tiles and mirrors
     * in one shared fresh (n, n) NNGP+NTK file pair.
     */
    static Probe probe(int jvms, boolean file, int n, int d, int tile, String model, String threads, Path dir) throws Exception {
        boolean legacy = threads.equals("legacy");
        Path ready = Files.createTempDirectory(dir, "probe-ready-");
        TileJob job = new TileJob(SparkEngine.shippable(model), Tensor.randn(42, Math.min(n, 2 * tile), d), null, null, true, true, tile);
        TileSink.Files2 sink = null;
        Path targetFile = null;
        if (file) {
            sink = new TileSink.Files2(new TileJob(SparkEngine.shippable(model), Tensor.randn(42, n, d), null, null, true, true, tile),
                    dir.resolve("probe.npz"));
            targetFile = dir.resolve("probe-target.ser");
            try (var out = new java.io.ObjectOutputStream(Files.newOutputStream(targetFile))) {
                out.writeObject(sink.target());
            }
        }
        try {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < jvms; i++) {
                List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx4g"));
                cmd.addAll(SparkEngine.JVM_FLAGS);
                cmd.addAll(executorFlags(threads));
                cmd.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, ClassPath.entries()), ExecutorProbe.class.getName(),
                        String.valueOf(n), String.valueOf(d), String.valueOf(tile), SparkEngine.shippable(model), "6", "8",
                        String.valueOf(i), String.valueOf(jvms), ready.toString()));
                if (targetFile != null) {
                    cmd.add(targetFile.toString());
                }
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
                pb.environment().put("OPENBLAS_NUM_THREADS", legacy ? String.valueOf(Runtime.getRuntime().availableProcessors()) : "1");
                ps.add(pb.start());
            }
            double cpu = 0, thread = 0, wall = 0;
            long entries = 0;
            Map<String, Double> groups = new TreeMap<>();
            for (Process p : ps) {
                String line = new String(p.getInputStream().readAllBytes()).trim();
                if (p.waitFor() != 0 || !line.startsWith("{")) {
                    throw new IllegalStateException("executor probe failed (exit " + p.exitValue() + "): " + line);
                }
                Map<String, Double> r = numbers(line);
                cpu += r.get("process_cpu_s");
                thread += r.get("thread_cpu_s");
                entries += r.get("entries").longValue();
                wall = Math.max(wall, r.get("wall_s") / r.get("entries"));
                r.forEach((key, v) -> {
                    if (key.startsWith("cpu_")) {
                        groups.merge(key.substring(4, key.length() - 2), v, Double::sum);
                    }
                });
            }
            final long e = entries;
            groups.replaceAll((key, v) -> v / e);
            return new Probe(jvms, cpu / entries, wall, thread / entries, groups);
        } finally {
            if (sink != null) {
                sink.abort();
                sink.close();
            }
            ScaleBenchmark.deleteTree(ready);
        }
    }

    private static double meminfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(key + ":")) {
                    return Double.parseDouble(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }

    private static double sysctl(String vm) {
        try {
            // readAllLines: Files.readString returned only "1" of "10" for a /proc/sys file here
            return Double.parseDouble(Files.readAllLines(Path.of("/proc/sys/vm", vm)).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Map<String, Double> numbers(String jsonLine) {
        Map<String, Double> m = new HashMap<>();
        var matcher = java.util.regex.Pattern.compile("\"(\\w+)\": (-?[0-9.eE+-]+)").matcher(jsonLine);
        while (matcher.find()) {
            m.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return m;
    }

    /**
     * The model's predictions for {@code executors} one-core executors on this machine, from calibrations alone
     * (printed before the stages run): per stage wall seconds with the terms that make them, the kernel's CPU
     * seconds, bytes to the driver and shuffle bytes. Each stage's wall is the larger of
     * <ul>
     * <li>the executors' chain: tiles handed out in Spark's order to E one-core executors, each costing its entries
     *     times the probes' wall per entry (E probe JVMs at once) plus the task's fixed wall τ;</li>
     * <li>the driver's chain (one core): T·σ_d, plus the bytes sent times its CPU per byte;</li>
     * <li>the machine: all CPU (E probes' CPU per entry · N + T·(σ_e + σ_d)) over the machine's cores.</li>
     * </ul>
     */
    static Map<String, Object> predict(int executors, TileJob job, Constants c, Probes pr, Overheads o, int k) {
        int tiles = job.tiles().size(), tile = job.tile, n = job.n1();
        int cores = Runtime.getRuntime().availableProcessors();
        double[] compute = new double[tiles], file = new double[tiles], products = new double[tiles];
        long entries = 0;
        double productSum = 0;
        for (int i = 0; i < tiles; i++) {
            int[] co = job.tiles().get(i);
            long r = Math.min(tile, n - (long) co[0] * tile), w = Math.min(tile, n - (long) co[1] * tile);
            long e = co[0] == co[1] ? r * (r + 1) / 2 : r * w;
            entries += e;
            // τ: a task's fixed wall time in its slot (the empty job's wall per task and slot: the executor's and the
            // driver's work for it and the round trip between them, which alternate when a slot waits for its next task)
            compute[i] = e * pr.compute.wallPerEntry + o.taskWall;
            file[i] = e * pr.file.wallPerEntry + o.taskWall;
            // g covers a tile and its mirror; the partial products are serialised once and read once
            double bytes = (co[0] == co[1] ? 1 : 2) * 8.0 * k * tile;
            products[i] = (co[0] == co[1] ? 0.5 : 1.0) * c.gemm + bytes * c.serialise + o.shuffleTaskWall;
            productSum += (co[0] == co[1] ? 0.5 : 1.0) * c.gemm + bytes * c.serialise + o.shuffleExecutor;
        }
        long sentBytes = 8L * 2 * entriesFull(job);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("prediction_for_executors", executors);
        p.put("tiles", tiles);
        p.put("entries_computed", entries);
        p.put("machine_cores", cores);
        o.into(p);
        double driverTasks = tiles * o.driver;
        stage(p, "compute", makespan(compute, executors), driverTasks, (entries * pr.compute.cpuPerEntry + tiles * (o.executor + o.driver)) / cores);
        stage(p, "cached", makespan(compute, executors), driverTasks, (entries * pr.compute.cpuPerEntry + tiles * (o.executor + o.driver)) / cores);
        // The file stage also ends with the flush of what is still dirty in the page cache (about the write-back
        // threshold's worth, or all of it for a smaller kernel), and cannot write faster than the disk once the
        // dirty pages reach the kernel's limit (half-way between the two thresholds).
        double written = 8.0 * 2 * 2 * entries, tail = Math.min(written, c.dirtyBackgroundBytes) / c.diskBytesPerSecond;
        double disk = Math.max(0, written - (c.dirtyBackgroundBytes + c.dirtyLimitBytes) / 2) / c.diskBytesPerSecond;
        stage(p, "kernel", Math.max(disk, makespan(file, executors)) + tail, driverTasks + tail,
                (entries * pr.file.cpuPerEntry + tiles * (o.executor + o.driver)) / cores + tail);
        p.put("kernel_predicted_flush_s", tail);
        p.put("kernel_predicted_disk_bound_s", disk);
        double sentDriver = driverTasks + sentBytes * o.driverPerByte;
        stage(p, "sent", makespan(compute, executors), sentDriver, (entries * pr.compute.cpuPerEntry + tiles * o.executor + sentDriver) / cores);
        stage(p, "op", makespan(products, executors), tiles * o.shuffleDriver, (productSum + tiles * o.shuffleDriver) / cores);
        p.put("kernel_predicted_cpu_s", entries * pr.file.cpuPerEntry + tiles * (o.executor + o.driver));
        p.put("compute_predicted_cpu_s", entries * pr.compute.cpuPerEntry + tiles * (o.executor + o.driver));
        p.put("kernel_predicted_cpu_old_model_s", entries * (c.kappa + c.omega));
        p.put("sent_predicted_bytes", sentBytes);
        p.put("op_shuffle_predicted_bytes", (2L * tiles - job.rowBlocks()) * 8L * k * tile);
        p.put("model_tile_memory_per_core_mb", 5.0 * 8 * tile * (double) tile / (1 << 20));
        p.put("cached_predicted_storage_mb_per_executor", 8.0 * entriesFull(job) / executors / (1 << 20));
        return p;
    }

    private static void stage(Map<String, Object> p, String st, double executorsChain, double driverChain, double machine) {
        p.put(st + "_predicted_wall_s", Math.max(executorsChain, Math.max(driverChain, machine)));
        p.put(st + "_predicted_executors_chain_s", executorsChain);
        p.put(st + "_predicted_driver_chain_s", driverChain);
        p.put(st + "_predicted_machine_bound_s", machine);
        p.put(st + "_predicted_bound", executorsChain >= Math.max(driverChain, machine) ? "executors" : driverChain >= machine ? "driver" : "machine");
    }

    /** Stage names in the order they run. */
    static final List<String> STAGES = List.of("compute", "kernel", "sent", "cached", "op");

    /**
     * The executors' JVM flags beyond {@link SparkEngine#JVM_FLAGS} for {@code threads}: task (the engine's default:
     * one computing thread per Spark core), session4 (the task thread and the common pool of parallelism 0, as
     * until session 4), legacy (session 3: the common pool on, one processor visible).
     */
    static List<String> executorFlags(String threads) {
        return switch (threads) {
            case "legacy" -> List.of("-XX:ActiveProcessorCount=1", "-Dntk.spark.taskThreads=common");
            case "session4" -> List.of(SparkEngine.ONE_THREAD_PER_TASK, "-Dntk.spark.taskThreads=common");
            default -> List.of(SparkEngine.ONE_THREAD_PER_TASK);
        };
    }

    static Map<String, Object> run(int executors, String model, Tensor x, int tile, int k, Constants c, Probes pr, String threads,
                                   List<String> stages, Path dir) throws Exception {
        boolean legacy = threads.equals("legacy");
        int n = x.dim(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("executors", executors);
        out.put("threads", threads);
        out.put("load_before", ScaleBenchmark.load());
        LocalCluster cluster = new LocalCluster();
        Path state = dir.resolve("cluster");
        double t0 = now();
        // Executors of 4 GB: the cached NTK of n = 20 000 (1.6 GB) fits Spark's storage memory (0.6 × (heap − 300 MB))
        // of one executor, so the operator application reads tiles from memory, not from a spill.
        String url = cluster.start(state, executors, 1, 5);
        out.put("cluster_start_s", now() - t0);
        Map<String, String> opts = new HashMap<>(Map.of(SparkEngine.TILE, String.valueOf(tile), "spark.executor.memory", "4g"));
        opts.put("spark.executor.extraJavaOptions", String.join(" ", SparkEngine.JVM_FLAGS) + " " + String.join(" ", executorFlags(threads)));
        if (legacy) {
            opts.put("spark.executorEnv.OPENBLAS_NUM_THREADS", String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
        StageLog log = new StageLog();
        try (SparkEngine engine = new SparkEngine(url, opts)) {
            JavaSparkContext jsc = engine.context();
            jsc.sc().addSparkListener(log);
            TileJob job = new TileJob(model, x, null, null, true, true, tile);
            int tiles = job.tiles().size();
            out.put("tiles", tiles);
            // First job: executors start, load the classes and build the model; then a few tiles per executor
            // at full size so that the JIT has compiled the tile code before anything is timed (as the probes' warm-up).
            t0 = now();
            engine.kernel(model, x.rowRange(0, Math.min(n, 64)), null, List.of("ntk"), null);
            out.put("first_job_s", now() - t0);
            t0 = now();
            int warmRows = Math.min(n, (executors + 2) * tile);
            engine.kernel(model, x.rowRange(0, warmRows), null, List.of("nngp", "ntk"), null);
            out.put("warm_job_s", now() - t0);

            // Calibration jobs of their own (nothing of the stages below): Spark's fixed cost per task.
            List<int[]> coords = job.tiles();
            jsc.parallelize(coords, tiles).map(co -> co[0]).collect(); // warms Spark's code paths
            Usage u0 = Usage.of(state);
            jsc.parallelize(coords, tiles).map(co -> co[0]).collect();
            Usage u = Usage.of(state).minus(u0);
            double sigmaDriver = u.driver / tiles, sigmaExecutor = u.executorTotal / tiles, taskWall = u.wall * executors / tiles;
            double shuffleDriver = 0, shuffleExecutor = 0, perByte = 0, shuffleWall = 0;
            if (stages.contains("op")) {
                int parts = Math.max(1, Math.min(job.rowBlocks(), 2 * jsc.defaultParallelism()));
                for (int rep = 0; rep < 2; rep++) { // the first warms the code paths
                    u0 = Usage.of(state);
                    jsc.parallelize(coords, tiles).flatMapToPair(co -> List.of(new Tuple2<>(co[0], new double[1]),
                            new Tuple2<>(co[1], new double[1])).iterator()).reduceByKey(SparkEngine::addInPlace, parts).collectAsMap();
                }
                u = Usage.of(state).minus(u0);
                shuffleDriver = u.driver / tiles;
                shuffleExecutor = u.executorTotal / tiles;
                shuffleWall = u.wall * executors / tiles;
            }
            if (stages.contains("sent")) {
                // A small kernel (rows of E + 2 tiles) with every tile sent to the driver: its CPU per byte received and placed.
                engine.direct = false;
                int calTiles = new TileJob(model, x.rowRange(0, warmRows), null, null, true, true, tile).tiles().size();
                long[] m0 = null, m1 = null;
                for (int rep = 0; rep < 2; rep++) { // the first warms the driver's code paths
                    m0 = engine.taskTotals().await(0, 0).snapshot();
                    u0 = Usage.of(state);
                    engine.kernelToFile(model, x.rowRange(0, warmRows), null, List.of("nngp", "ntk"), null, dir.resolve("calibrate-sent.npz"));
                    u = Usage.of(state).minus(u0);
                    m1 = engine.taskTotals().await(m0[0] + calTiles, 10_000).snapshot();
                    Files.deleteIfExists(dir.resolve("calibrate-sent.npz"));
                }
                engine.direct = true;
                perByte = Math.max(0, u.driver - calTiles * sigmaDriver) / Math.max(1, m1[4] - m0[4]);
            }
            Overheads o = new Overheads(sigmaDriver, sigmaExecutor, shuffleDriver, shuffleExecutor, perByte, taskWall, shuffleWall);
            Map<String, Object> p = predict(executors, job, c, pr, o, k);
            p.put("load", ScaleBenchmark.load());
            System.out.println(json(p)); // printed before the stages run
            System.out.flush();
            out.put("entries_computed", p.get("entries_computed"));
            o.into(out);

            if (stages.contains("compute")) {
                // The kernel's tiles computed and dropped: no file, no cache, only an acknowledgement travels.
                Broadcast<TileJob> b = jsc.broadcast(job);
                try {
                    Measure m = Measure.start(engine, state, log);
                    jsc.parallelize(coords, tiles).map(co -> {
                        Tile t = TileComputer.inTask(true, b.value(), co[0], co[1]);
                        return t.seconds;
                    }).collect();
                    m.stop("compute", tiles, out, p);
                } finally {
                    b.destroy();
                }
            }
            if (stages.contains("kernel")) {
                Measure m = Measure.start(engine, state, log);
                engine.kernelToFile(model, x, null, List.of("nngp", "ntk"), null, dir.resolve("direct"));
                m.stop("kernel", tiles, out, p);
                double[] ts = engine.lastTileSeconds();
                Arrays.sort(ts);
                out.put("kernel_tile_s_median", ts.length == 0 ? 0 : ts[ts.length / 2]);
                out.put("kernel_place_s_sum", engine.lastPlaceSeconds());
                out.put("kernel_finish_s", engine.lastFinishSeconds());
                out.put("kernel_predicted_flush_s", p.get("kernel_predicted_flush_s"));
                ScaleBenchmark.deleteTree(dir.resolve("direct"));
            }
            if (stages.contains("sent")) {
                // Tiles sent whole to the driver (executors on other machines): bytes as Spark counted them.
                engine.direct = false;
                Measure m = Measure.start(engine, state, log);
                engine.kernelToFile(model, x, null, List.of("nngp", "ntk"), null, dir.resolve("sent"));
                m.stop("sent", tiles, out, p);
                engine.direct = true;
                out.put("sent_predicted_bytes", p.get("sent_predicted_bytes"));
                ScaleBenchmark.deleteTree(dir.resolve("sent"));
            }
            if (stages.contains("cached") || stages.contains("op")) {
                // The NTK kept as cached tiles on the executors (nothing written), then one operator application
                // through the shuffle (k vectors) on it.
                engine.directReduceBytes = 0;
                Measure mc = Measure.start(engine, state, log);
                try (SparkEngine.CachedKernel ck = engine.cache(model, x, List.of("ntk"), null)) {
                    mc.stop("cached", tiles, out, p);
                    out.put("cached_executor_peak_rss_mb", peakRssMb(state));
                    if (stages.contains("op")) {
                        double[] v = Tensor.randn(7, k, n).data(), o2 = new double[k * n];
                        ck.apply("ntk", v, k, o2); // warms the code
                        Measure m = Measure.start(engine, state, log);
                        ck.apply("ntk", v, k, o2);
                        m.stop("op", tiles, out, p);
                        out.put("op_shuffle_predicted_bytes", p.get("op_shuffle_predicted_bytes"));
                    }
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

    /** One stage's measurement: wall, Spark's task metrics, CPU by process and thread group, writes, per executor. */
    private record Measure(SparkEngine engine, Path state, StageLog log, Usage u0, long[] m0, double t0) {
        static Measure start(SparkEngine engine, Path state, StageLog log) throws IOException {
            log.clear();
            long[] m0 = engine.taskTotals().await(0, 0).snapshot();
            return new Measure(engine, state, log, Usage.of(state), m0, now());
        }

        void stop(String st, int tasks, Map<String, Object> out, Map<String, Object> p) throws IOException {
            double wall = now() - t0;
            long[] m1 = engine.taskTotals().await(m0[0] + tasks, 10_000).snapshot();
            Usage u = Usage.of(state).minus(u0);
            out.put(st + "_wall_s", wall);
            for (String key : List.of("predicted_wall_s", "predicted_executors_chain_s", "predicted_driver_chain_s", "predicted_machine_bound_s",
                    "predicted_bound")) {
                out.put(st + "_" + key, p.get(st + "_" + key));
            }
            if (p.containsKey(st + "_predicted_cpu_s")) {
                out.put(st + "_predicted_cpu_s", p.get(st + "_predicted_cpu_s"));
            }
            double ratio = wall / (Double) p.get(st + "_predicted_wall_s");
            double[] tol = st.equals("sent") || st.equals("op") ? TOLERANCE_OVERHEAD : TOLERANCE_COMPUTE;
            out.put(st + "_ratio", ratio);
            out.put(st + "_within_tolerance", ratio >= tol[0] && ratio <= tol[1] ? "yes" : "no");
            u.into(out, st + "_");
            out.put(st + "_task_cpu_s", (m1[2] - m0[2]) * 1e-9);
            out.put(st + "_task_run_s", (m1[3] - m0[3]) * 1e-3);
            out.put(st + "_to_driver_bytes", m1[4] - m0[4]);
            out.put(st + "_shuffle_write_bytes", m1[5] - m0[5]);
            log.into(out, st + "_");
        }
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
    record Usage(Map<String, Double> executorThreads, double executorTotal, double driver, double daemons, double machine, double wall,
                 double executorWriteBytes, double executorWchar, double iowait, double ioStall) {
        static Usage of(Path state) throws IOException {
            Map<String, Double> groups = new TreeMap<>();
            double total = 0, daemons = 0, wb = 0, wc = 0;
            for (Map.Entry<String, Long> e : LocalCluster.pids(state).entrySet()) {
                daemons += cpu(Path.of("/proc", String.valueOf(e.getValue()), "stat"));
                if (!e.getKey().startsWith("worker")) {
                    continue;
                }
                for (ProcessHandle h : ProcessHandle.of(e.getValue()).map(p -> p.descendants().toList()).orElse(List.of())) {
                    Path proc = Path.of("/proc", String.valueOf(h.pid()));
                    total += cpu(proc.resolve("stat"));
                    threadGroups(proc).forEach((g, v) -> groups.merge(g, v, Double::sum));
                    double[] io = io(proc);
                    wb += io[0];
                    wc += io[1];
                }
            }
            return new Usage(groups, total, processCpu(), daemons, machineBusy(), now(), wb, wc, machineField(5), ioStallSome());
        }

        /** CPU seconds of the process at {@code proc} ({@code /proc/PID}) by thread group. */
        static Map<String, Double> threadGroups(Path proc) {
            Map<String, Double> groups = new TreeMap<>();
            try (var tasks = Files.list(proc.resolve("task"))) {
                for (Path t : tasks.toList()) {
                    try {
                        groups.merge(group(Files.readString(t.resolve("comm")).trim()), cpu(t.resolve("stat")), Double::sum);
                    } catch (IOException gone) {
                        // thread ended
                    }
                }
            } catch (IOException gone) {
                // process ended
            }
            return groups;
        }

        /** write_bytes (to the block layer) and wchar (through write calls) of a process, bytes. */
        static double[] io(Path proc) {
            double[] r = new double[2];
            try {
                for (String line : Files.readAllLines(proc.resolve("io"))) {
                    if (line.startsWith("write_bytes:")) {
                        r[0] = Double.parseDouble(line.substring(12).trim());
                    } else if (line.startsWith("wchar:")) {
                        r[1] = Double.parseDouble(line.substring(6).trim());
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // ended or not readable
            }
            return r;
        }

        /** Seconds some task stalled on I/O, machine-wide ({@code /proc/pressure/io}), NaN without PSI. */
        static double ioStallSome() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/pressure/io"))) {
                    if (line.startsWith("some")) {
                        return Long.parseLong(line.substring(line.indexOf("total=") + 6).trim()) * 1e-6;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no PSI
            }
            return Double.NaN;
        }

        Usage minus(Usage o) {
            Map<String, Double> g = new TreeMap<>(executorThreads);
            o.executorThreads.forEach((key, v) -> g.merge(key, -v, Double::sum));
            return new Usage(g, executorTotal - o.executorTotal, driver - o.driver, daemons - o.daemons, machine - o.machine, wall - o.wall,
                    executorWriteBytes - o.executorWriteBytes, executorWchar - o.executorWchar, iowait - o.iowait, ioStall - o.ioStall);
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
            out.put(prefix + "executor_write_bytes", executorWriteBytes);
            out.put(prefix + "executor_wchar_bytes", executorWchar);
            out.put(prefix + "machine_iowait_s", iowait);
            out.put(prefix + "io_stall_some_s", ioStall);
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

        /** Field {@code i} of the machine's {@code cpu} line in {@code /proc/stat}, seconds (5: iowait). */
        static double machineField(int i) {
            try {
                return Long.parseLong(Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+")[i]) / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
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
                    m == null ? 0 : m.executorDeserializeTime(), m == null ? 0 : m.jvmGCTime()});
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
            for (Map.Entry<String, List<long[]>> ex : new TreeMap<>(tasks).entrySet()) {
                double cpu = 0, gc = 0, busy = 0;
                for (long[] t : ex.getValue()) {
                    cpu += t[3] * 1e-3;
                    gc += t[5] * 1e-3;
                    busy += t[2] * 1e-3;
                }
                out.put(prefix + "executor_" + ex.getKey() + "_tasks", ex.getValue().size());
                out.put(prefix + "executor_" + ex.getKey() + "_task_cpu_s", cpu);
                out.put(prefix + "executor_" + ex.getKey() + "_task_run_s", busy);
                out.put(prefix + "executor_" + ex.getKey() + "_gc_s", gc);
            }
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
