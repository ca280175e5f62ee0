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
import org.ntkworkbench.io.MappedNpy;
import org.ntkworkbench.io.NpyReader;
import org.ntkworkbench.model.RowBlockKernelService;
import org.ntkworkbench.model.KernelService;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.runtime.Workbench;
import org.ntkworkbench.tensor.Tensor;

/**
 * The measurements behind docs/scale.md: a tiled symmetric kernel of n examples written to
 * memory-mapped NPY files by the single-JVM engine ({@link RowBlockKernelService}, row blocks on T threads)
 * and by the Spark engine (one task per tile), with wall and process CPU seconds, per-tile compute
 * seconds, bytes sent to the driver, the largest relative difference between the two results, and
 * the seconds and shuffle bytes of one distributed operator application (a CG iteration) on a
 * smaller cached kernel.
 *
 * <pre>java -cp "$(cat app/target/classpath.txt):app/target/ntk-app-*.jar" [JVM flags of ./ntk] \
 *   org.ntkworkbench.plugins.spark.ScaleBenchmark [n=20000] [d=16] [tile=2048] [master=local[2]] [threads=2] [opN=4000] [dir=/tmp]</pre>
 *
 * Prints one JSON object. Run with {@code nice} and report {@code uptime}: the machine is shared.
 */
public final class ScaleBenchmark {
    private ScaleBenchmark() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new java.util.HashMap<>(Map.of("n", "20000", "d", "16", "tile", "2048", "master", "local[2]",
                "threads", "2", "opN", "4000", "dir", System.getProperty("java.io.tmpdir"), "budgetMB", "1600",
                "model", "serial(dense(512, bStd: 0.1), relu(), dense(512, bStd: 0.1), relu(), dense(1))"));
        for (String s : args) {
            int eq = s.indexOf('=');
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        int n = Integer.parseInt(a.get("n")), d = Integer.parseInt(a.get("d")), threads = Integer.parseInt(a.get("threads"));
        int opN = Integer.parseInt(a.get("opN"));
        String model = a.get("model");
        Path dir = Files.createTempDirectory(Path.of(a.get("dir")), "ntk-scale-");
        Workbench wb = Workbench.start(List.of());
        Layer net = TileComputer.model(model);
        Tensor x = Tensor.randn(42, n, d);
        StringBuilder json = new StringBuilder("{");
        json.append(kv("n", n)).append(kv("d", d)).append(kv("model", model)).append(kv("master", a.get("master")))
                .append(kv("tile", a.get("tile"))).append(kv("threads_local", threads))
                .append(kv("load_before", load()));

        // Warm-up of both paths (JIT, Spark's first job) on a small kernel, untimed.
        Tensor xw = x.rowRange(0, Math.min(n, 600));
        new RowBlockKernelService(threads).analyticOrFiles(net, xw, null, dir.resolve("warm-local"), 1L << 20);

        // Single JVM: row blocks on `threads` threads into mapped files (the budget forces the file path).
        double[] local = timed(() -> {
            try {
                new RowBlockKernelService(threads).analyticOrFiles(net, x, null, dir.resolve("local"), Math.min(Long.parseLong(a.get("budgetMB")) << 20, new RowBlockKernelService(threads).estimateBytes(net, n, n, d) - 1));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        json.append(kv("local_wall_s", local[0])).append(kv("local_cpu_s", local[1]));

        try (SparkEngine engine = new SparkEngine(a.get("master"), Map.of(SparkEngine.TILE, a.get("tile")))) {
            engine.kernelToFile(model, xw, null, List.of("nngp", "ntk"), null, dir.resolve("warm-spark"));
            double[] spark = timed(() -> {
                try {
                    engine.kernelToFile(model, x, null, List.of("nngp", "ntk"), null, dir.resolve("spark"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            double[] tiles = engine.lastTileSeconds();
            Arrays.sort(tiles);
            json.append(kv("spark_wall_s", spark[0])).append(kv("spark_cpu_s", spark[1]))
                    .append(kv("overhead_wall", spark[0] / local[0])).append(kv("overhead_cpu", spark[1] / local[1]))
                    .append(kv("tiles", tiles.length)).append(kv("tile_cpu_s_median", tiles[tiles.length / 2]))
                    .append(kv("tile_cpu_s_sum", Arrays.stream(tiles).sum())).append(kv("to_driver_bytes", engine.lastResultBytes()))
                    .append(kv("max_rel_diff_ntk", maxRel(dir.resolve("spark/ntk.npy"), dir.resolve("local/ntk.npy"))))
                    .append(kv("max_rel_diff_nngp", maxRel(dir.resolve("spark/nngp.npy"), dir.resolve("local/nngp.npy"))));

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

    private static double[] timed(Runnable r) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
        r.run();
        return new double[] {(System.nanoTime() - t0) * 1e-9, (os.getProcessCpuTime() - c0) * 1e-9};
    }

    private static double maxRel(Path a, Path b) {
        try (MappedNpy x = NpyReader.map(a); MappedNpy y = NpyReader.map(b)) {
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

    private static String load() {
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

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
