package org.ntkworkbench.plugins.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntkworkbench.model.RowBlockKernelService;
import org.ntkworkbench.model.KernelService;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.ArrayFiles;
import org.ntkworkbench.tensor.Tensor;

/**
 * The measurements behind docs/scale.md: a tiled symmetric kernel of n examples written to
 * NPY files by the single-JVM engine ({@link RowBlockKernelService}, tiles on T threads) and by the Spark
 * engine (one task per tile), both through the same tile writer (core's {@code io.NpyTileFile}), with wall and process CPU seconds, per-tile compute
 * seconds, bytes sent to the driver, the largest relative difference between the two results, and
 * the seconds and shuffle bytes of one distributed operator application (a CG iteration) on a
 * smaller cached kernel.
 *
 * <pre>java -cp "$(cat app/target/classpath.txt):app/target/ntk-app-*.jar" [JVM flags of ./ntk] \
 *   org.ntkworkbench.plugins.spark.ScaleBenchmark [n=20000] [d=16] [tile=2048] [master=local[2]] [threads=2] [opN=4000]
 *   [order=local,spark|spark,local] [dir=/tmp]</pre>
 *
 * Prints one JSON object. Run with {@code nice} and report {@code uptime}: the machine is shared.
 */
public final class ScaleBenchmark {
    private ScaleBenchmark() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new java.util.HashMap<>(Map.of("n", "20000", "d", "16", "tile", "2048", "master", "local[2]",
                "threads", "2", "opN", "4000", "dir", System.getProperty("java.io.tmpdir"), "budgetMB", "1600", "order", "local,spark",
                "model", "serial(dense(512, bStd: 0.1), relu(), dense(512, bStd: 0.1), relu(), dense(1))"));
        for (String s : args) {
            int eq = s.indexOf('=');
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        int n = Integer.parseInt(a.get("n")), d = Integer.parseInt(a.get("d")), threads = Integer.parseInt(a.get("threads"));
        int opN = Integer.parseInt(a.get("opN"));
        String model = a.get("model");
        Path dir = Files.createTempDirectory(Path.of(a.get("dir")), "ntk-scale-");
        Layer net = TileComputer.model(model);
        Tensor x = Tensor.randn(42, n, d);
        StringBuilder json = new StringBuilder("{");
        json.append(kv("n", n)).append(kv("d", d)).append(kv("model", model)).append(kv("master", a.get("master")))
                .append(kv("tile", a.get("tile"))).append(kv("threads_local", threads))
                .append(kv("load_before", load()));

        try (SparkEngine engine = new SparkEngine(a.get("master"), Map.of(SparkEngine.TILE, a.get("tile")))) {
            compareKernel(engine, net, model, x, threads, Long.parseLong(a.get("budgetMB")) << 20,
                    "spark,local".equals(a.get("order")), dir)
                    .forEach((key, v) -> json.append(kv(key, v)));
            // One operator application (a CG iteration / Krylov block step) on a cached kernel of opN examples.
            Tensor xs = x.rowRange(0, Math.min(opN, n));
            int m = xs.dim(0);
            try (SparkEngine.CachedKernel k = engine.cache(model, xs, List.of("ntk"), null)) {
                double[] v = Tensor.randn(7, 1, m).data(), out = new double[m];
                k.apply("ntk", v, 1, out); // warm
                double[] op = timed(() -> k.apply("ntk", v, 1, out));
                json.append(kv("op_n", m)).append(kv("op_wall_s", op[0])).append(kv("op_cpu_s", op[1]))
                        .append(kv("op_shuffle_bytes", engine.lastShuffleBytes()));
            }
        } finally {
            deleteTree(dir);
        }
        json.append(kv("load_after", load()));
        json.setLength(json.length() - 1);
        System.out.println(json.append('}'));
        System.exit(0);
    }

    /**
     * The tiled symmetric NNGP+NTK of {@code x} written to NPY files by the single-JVM engine
     * ({@link RowBlockKernelService} on {@code threads} threads, forced onto its file path) and by {@code engine}
     * (one task per tile), each after an untimed warm-up on 600 rows: wall and process CPU seconds of both,
     * their ratios ({@code overhead_*} = spark / local), tiles, per-tile seconds, bytes sent to the driver and
     * the largest relative difference of the two results. The files are deleted afterwards.
     */
    static Map<String, Double> compareKernel(SparkEngine engine, Layer net, String model, Tensor x, int threads, long budgetBytes,
                                             boolean sparkFirst, Path dir) throws IOException {
        int n = x.dim(0), d = x.dim(1);
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        Tensor xw = x.rowRange(0, Math.min(n, 600));
        RowBlockKernelService local = new RowBlockKernelService(threads);
        local.analyticOrFiles(net, xw, null, dir.resolve("warm-local"), 1L << 20);
        engine.kernelToFile(model, xw, null, List.of("nngp", "ntk"), null, dir.resolve("warm-spark"));
        long budget = Math.min(budgetBytes, local.estimateBytes(net, n, n, d) - 1);
        Runnable runLocal = () -> {
            try {
                local.analyticOrFiles(net, x, null, dir.resolve("local"), budget);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Runnable runSpark = () -> {
            try {
                engine.kernelToFile(model, x, null, List.of("nngp", "ntk"), null, dir.resolve("spark"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        // Both end with an fsync of their files, so the second starts on a page cache without dirty pages.
        double[] l, s;
        if (sparkFirst) {
            s = timed(runSpark);
            l = timed(runLocal);
        } else {
            l = timed(runLocal);
            s = timed(runSpark);
        }
        double[] tiles = engine.lastTileSeconds();
        Arrays.sort(tiles);
        out.put("local_wall_s", l[0]);
        out.put("local_cpu_s", l[1]);
        out.put("spark_wall_s", s[0]);
        out.put("spark_cpu_s", s[1]);
        out.put("local_io_stall_some_s", l[2]);
        out.put("local_io_stall_full_s", l[3]);
        out.put("spark_io_stall_some_s", s[2]);
        out.put("spark_io_stall_full_s", s[3]);
        out.put("overhead_wall", s[0] / l[0]);
        out.put("overhead_cpu", s[1] / l[1]);
        out.put("tiles", (double) tiles.length);
        out.put("tile_s_median", tiles[tiles.length / 2]);
        out.put("tile_s_sum", Arrays.stream(tiles).sum());
        out.put("place_s_sum", engine.lastPlaceSeconds());
        out.put("to_driver_bytes", (double) engine.lastResultBytes());
        out.put("max_rel_diff_ntk", maxRel(dir.resolve("spark/ntk.npy"), dir.resolve("local/ntk.npy")));
        out.put("max_rel_diff_nngp", maxRel(dir.resolve("spark/nngp.npy"), dir.resolve("local/nngp.npy")));
        for (String sub : List.of("warm-local", "local", "warm-spark", "spark")) {
            if (Files.exists(dir.resolve(sub))) {
                deleteTree(dir.resolve(sub));
            }
        }
        return out;
    }

    /**
     * Wall and process CPU seconds of {@code r}, and the machine's I/O pressure meanwhile: seconds in which some
     * task (of any process) was stalled on I/O, and in which all were ({@code /proc/pressure/io}, NaN where absent).
     */
    private static double[] timed(Runnable r) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] io0 = ioPressure();
        long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
        r.run();
        double[] io1 = ioPressure();
        return new double[] {(System.nanoTime() - t0) * 1e-9, (os.getProcessCpuTime() - c0) * 1e-9, io1[0] - io0[0], io1[1] - io0[1]};
    }

    /** Cumulative seconds of "some" and "full" I/O stall from {@code /proc/pressure/io}. */
    static double[] ioPressure() {
        double[] out = {Double.NaN, Double.NaN};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/pressure/io"))) {
                int i = line.startsWith("some") ? 0 : line.startsWith("full") ? 1 : -1;
                int t = line.indexOf("total=");
                if (i >= 0 && t >= 0) {
                    out[i] = Long.parseLong(line.substring(t + 6).trim()) * 1e-6;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no PSI on this kernel
        }
        return out;
    }

    private static double maxRel(Path a, Path b) {
        try (ArrayFiles.MappedArray x = ArrayFiles.mapNpy(a); ArrayFiles.MappedArray y = ArrayFiles.mapNpy(b)) {
            long size = (long) x.rows() * x.rowLength();
            double scale = 0, worst = 0;
            for (long i = 0; i < size; i++) {
                scale = Math.max(scale, Math.abs(y.get(i)));
            }
            for (long i = 0; i < size; i++) {
                worst = Math.max(worst, Math.abs(x.get(i) - y.get(i)));
            }
            return worst / scale;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String kv(String k, Object v) {
        String s = v instanceof Double dv ? String.format(Locale.ROOT, "%.6g", dv)
                : v instanceof Number ? v.toString() : "\"" + v + "\"";
        return "\"" + k + "\": " + s + ",";
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
