package org.ntkworkbench.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ntkworkbench.io.NpyReader;
import org.ntkworkbench.io.NpyWriter;
import org.ntkworkbench.model.empirical.EmpiricalNtk;
import org.ntkworkbench.model.empirical.NtkMethod;
import org.ntkworkbench.tensor.Tensor;
import tools.jackson.databind.JsonNode;

/**
 * Our three empirical-NTK methods against functorch's (issue 13 item 5), on the same network, parameters
 * and inputs: the bias-free ReLU MLP of {@link EmpiricalNtkBenchmark} ({@code d → width×depth → 1}, NTK
 * parameterization, our own initialisation with seed 0), at each of the stated {@code sizes} (numbers of
 * inputs n). Per size our structured derivatives, Jacobian contraction and NTK-vector products run in this
 * JVM; the parameters and inputs are written as {@code .npy} files for {@code bench/torch/empirical_ntk.py},
 * which computes functorch's Jacobian contraction, the tutorial's NTK-vector products and the whole-batch
 * vector products and writes its kernels back; each of them must equal our structured kernel to
 * {@link #AGREEMENT} (max |Δ| / max |Θ|), or the benchmark fails.
 *
 * <p>Every method but our structured one (the reference the others are checked against, {@code O(n²·Σ(fanIn + w))})
 * has a time budget ({@code budget} seconds per size). Ours are projected from their last run (before the first
 * size: the second of two calls at n = min(16, first size), which are also their warm-up) as t·(n/n′)², an upper
 * bound for both; functorch's bound themselves (see the script). A method over
 * budget at a size is named with the reason in {@link Measurement#info()} and not run at the larger sizes:
 * each method runs the largest stated sizes it can, never a silently smaller one.
 *
 * <p>Values per size n (keys prefixed {@code n<n>_}): {@code seconds_<m>} and {@code cpu_seconds_<m>} (process
 * CPU time over all threads) for {@code m} = {@code structured}, {@code jacobian}, {@code vector_products},
 * {@code torch_jacobian_contraction}, {@code torch_ntk_vector_products}, {@code torch_ntk_vector_products_batch};
 * {@code max_rel_difference_<m>} against our structured kernel; {@code torch_process_seconds} (the Python
 * process, wall, measured here) and {@code torch_process_cpu_seconds} (its own user + system CPU);
 * {@code ratio_<ours>_to_<theirs>} for the pairs of {@link #RATIOS}. Runs once (its own warm-up and budget).
 * Skipped with one note, before computing anything, when Python cannot import NumPy, torch or functorch.
 */
public final class EmpiricalNtkTorchBenchmark implements Benchmark {
    /** Largest accepted max |Θ_torch − Θ_ours| / max |Θ_ours|. */
    public static final double AGREEMENT = 1e-10;

    /** Our methods, by the names used in the keys. */
    static final Map<String, NtkMethod> OURS = Map.of("structured", NtkMethod.STRUCTURED_DERIVATIVES,
            "jacobian", NtkMethod.JACOBIAN_CONTRACTION, "vector_products", NtkMethod.NTK_VECTOR_PRODUCTS);
    static final List<String> OUR_ORDER = List.of("structured", "jacobian", "vector_products");

    /** functorch's methods, as the script names them. */
    static final List<String> THEIRS = List.of("jacobian_contraction", "ntk_vector_products", "ntk_vector_products_batch");

    /** The ratios reported: {ours, theirs}; below 1 means ours is faster. */
    static final List<String[]> RATIOS = List.of(
            new String[] {"structured", "jacobian_contraction"},
            new String[] {"jacobian", "jacobian_contraction"},
            new String[] {"vector_products", "ntk_vector_products_batch"},
            new String[] {"vector_products", "ntk_vector_products"},
            new String[] {"structured", "ntk_vector_products"});

    private final Path script;

    public EmpiricalNtkTorchBenchmark(Path script) {
        this.script = script;
    }

    @Override
    public String name() {
        return "empirical_ntk_torch";
    }

    @Override
    public String description() {
        return "empirical NTK of empirical_ntk's ReLU MLP at each of `sizes` inputs: our structured, Jacobian and "
                + "vector-product methods against functorch's Jacobian contraction and NTK-vector products "
                + "(same parameters and inputs, kernels agree to 1e-10), each method within `budget` seconds";
    }

    @Override
    public Map<String, Object> defaultParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("d", 64);
        p.put("width", 512);
        p.put("depth", 2);
        p.put("sizes", "100,200,500");
        p.put("budget", 60);
        p.put("threads", 0);
        return p;
    }

    @Override
    public boolean runsOnce() {
        return true;
    }

    @Override
    public Measurement run(Map<String, Object> params) throws Exception {
        if (!Files.isRegularFile(script)) {
            throw new BenchmarkSkippedException("reference script " + script + " not found");
        }
        PythonScripts.requireModules("torch", "functorch");
        int d = Benchmark.intParam(params, "d");
        int width = Benchmark.intParam(params, "width");
        int depth = Benchmark.intParam(params, "depth");
        int budget = Benchmark.intParam(params, "budget");
        int threads = Benchmark.intParam(params, "threads");
        List<Integer> sizes = sizes(params.get("sizes"));
        if (budget < 1) {
            throw new IllegalArgumentException("benchmark parameter budget must be >= 1 second, got " + budget);
        }
        Map<String, Double> v = new LinkedHashMap<>();
        Map<String, String> info = new LinkedHashMap<>();
        Map<String, double[]> last = new LinkedHashMap<>(); // our method -> {n, seconds} of its last run
        Set<String> oursLeft = new LinkedHashSet<>(OUR_ORDER);
        Set<String> theirsLeft = new LinkedHashSet<>(THEIRS);
        Map<String, String> stoppedAt = new LinkedHashMap<>();

        // calibration and warm-up of ours (JIT, BLAS threads), at a size too small to matter
        EmpiricalNtkBenchmark.Mlp small = EmpiricalNtkBenchmark.Mlp.create(d, width, depth, Math.min(16, sizes.get(0)), 0);
        for (String m : OUR_ORDER) {
            // the first call compiles (measured under load: 7.9 s for the vector products at n = 16, 0.17 s the
            // second time), so the second one is the base of the projections
            EmpiricalNtk.ntk(small.net(), small.params(), small.x(), null, OURS.get(m), true);
            long t0 = System.nanoTime();
            EmpiricalNtk.ntk(small.net(), small.params(), small.x(), null, OURS.get(m), true);
            last.put(m, new double[] {small.x().dim(0), (System.nanoTime() - t0) * 1e-9});
        }

        Path dir = Files.createTempDirectory("ntk-bench-torch-");
        try {
            for (int n : sizes) {
                String at = "n" + n + "_";
                EmpiricalNtkBenchmark.Mlp mlp = EmpiricalNtkBenchmark.Mlp.create(d, width, depth, n, 0);
                Map<String, Double> seconds = new LinkedHashMap<>();
                Tensor reference = null;
                for (String m : OUR_ORDER) {
                    if (!oursLeft.contains(m)) {
                        info.put(at + m, "not run: " + stoppedAt.get(m));
                        continue;
                    }
                    double[] prev = last.get(m);
                    double projected = prev[1] * Math.pow(n / prev[0], 2);
                    if (!m.equals("structured") && projected > budget) {
                        String why = String.format(Locale.ROOT, "over budget at n = %d: projected %.0f s (from %.2f s at n = %d) > %d s",
                                n, projected, prev[1], (int) prev[0], budget);
                        info.put(at + m, why);
                        stoppedAt.put(m, why);
                        oursLeft.remove(m);
                        continue;
                    }
                    long c0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    Tensor k = EmpiricalNtk.ntk(mlp.net(), mlp.params(), mlp.x(), null, OURS.get(m), true);
                    double s = (System.nanoTime() - t0) * 1e-9;
                    v.put(at + "seconds_" + m, s);
                    v.put(at + "cpu_seconds_" + m, (processCpuNanos() - c0) * 1e-9);
                    seconds.put(m, s);
                    last.put(m, new double[] {n, s});
                    if (reference == null) {
                        reference = k;
                    } else {
                        v.put(at + "max_rel_difference_" + m, relativeDifference(k, reference));
                    }
                }
                if (reference == null) {
                    // every method of ours is over budget: functorch's kernels have nothing to be checked against
                    THEIRS.forEach(m -> info.put(at + "torch_" + m, "not run: none of our methods ran at n = " + n));
                    continue;
                }
                for (String m : THEIRS) {
                    if (!theirsLeft.contains(m)) {
                        info.put(at + "torch_" + m, "not run: " + stoppedAt.get("torch_" + m));
                    }
                }
                if (!theirsLeft.isEmpty()) {
                    torch(dir, mlp, n, budget, threads, theirsLeft, reference, v, info, seconds, stoppedAt);
                }
                for (String[] r : RATIOS) {
                    Double ours = seconds.get(r[0]), theirs = seconds.get("torch_" + r[1]);
                    if (ours != null && theirs != null) {
                        v.put(at + "ratio_" + r[0] + "_to_" + r[1], ours / theirs);
                    }
                }
            }
        } finally {
            deleteTree(dir);
        }
        return new Measurement(v, info);
    }

    /** Runs the functorch script on {@code mlp} for the methods still within budget and checks its kernels. */
    private void torch(Path dir, EmpiricalNtkBenchmark.Mlp mlp, int n, int budget, int threads, Set<String> left,
                       Tensor reference, Map<String, Double> v, Map<String, String> info, Map<String, Double> seconds,
                       Map<String, String> stoppedAt) throws IOException {
        String at = "n" + n + "_";
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        NpyWriter.write(dir.resolve("x.npy"), mlp.x());
        int i = 0;
        for (Tensor w : mlp.params().values()) {
            NpyWriter.write(dir.resolve("w" + i++ + ".npy"), w);
        }
        List<String> args = List.of("--data", dir.toString(), "--save", dir.toString(), "--budget", Integer.toString(budget),
                "--threads", Integer.toString(threads), "--methods", String.join(",", left));
        // each method stops itself within about its budget (plus one chunk); the rest is start-up and slack
        long timeout = 180L + 2L * budget * left.size();
        long t0 = System.nanoTime();
        JsonNode out = PythonScripts.runJson(script, args, timeout, "torch");
        v.put(at + "torch_process_seconds", (System.nanoTime() - t0) * 1e-9);
        v.put(at + "torch_process_cpu_seconds", out.path("process_cpu_seconds").asDouble(Double.NaN));
        v.put(at + "torch_import_seconds", out.path("import_seconds").asDouble(Double.NaN));
        info.put("torch", text(out.path("torch")));
        info.put("torch_threads", text(out.path("threads")));
        for (String m : List.copyOf(left)) {
            String key = "torch_" + m;
            if (out.has("over_budget_" + m)) {
                String why = "over budget at n = " + n + ": " + text(out.path("over_budget_" + m));
                info.put(at + key, why);
                stoppedAt.put(key, why);
                left.remove(m);
                continue;
            }
            if (!out.has("seconds_" + m)) {
                throw new IOException(script.getFileName() + " reported neither seconds_" + m + " nor over_budget_" + m);
            }
            double diff = relativeDifference(NpyReader.read(dir.resolve("theta_" + m + ".npy")), reference);
            if (!(diff <= AGREEMENT)) {
                throw new IOException(String.format(Locale.ROOT,
                        "functorch's %s differs from our structured NTK at n = %d: max |Δ| / max |Θ| = %.3g > %.0e",
                        m, n, diff, AGREEMENT));
            }
            v.put(at + "seconds_" + key, out.path("seconds_" + m).asDouble());
            v.put(at + "cpu_seconds_" + key, out.path("cpu_seconds_" + m).asDouble());
            v.put(at + "max_rel_difference_" + key, diff);
            seconds.put(key, out.path("seconds_" + m).asDouble());
        }
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() ? "?" : node.isString() ? node.stringValue() : node.toString();
    }

    /** max |a − b| / max |b|, NaN when the shapes differ. */
    static double relativeDifference(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            return Double.NaN;
        }
        return a.sub(b).maxAbs() / b.maxAbs();
    }

    /** The sizes, e.g. {@code "100,200,500"}: positive, increasing. */
    static List<Integer> sizes(Object spec) {
        if (spec == null) {
            throw new IllegalArgumentException("benchmark parameter sizes is missing");
        }
        List<Integer> out = new ArrayList<>();
        for (String s : String.valueOf(spec).split("[,\\s]+")) {
            if (s.isBlank()) {
                continue;
            }
            int n;
            try {
                n = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("benchmark parameter sizes=" + spec + " is not a list of integers like 100,200,500");
            }
            if (n < 1 || (!out.isEmpty() && n <= out.get(out.size() - 1))) {
                throw new IllegalArgumentException("benchmark parameter sizes=" + spec + " must be positive and increasing");
            }
            out.add(n);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("benchmark parameter sizes is empty");
        }
        return out;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0L;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
