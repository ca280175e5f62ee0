package org.ntkworkbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkworkbench.bench.BenchmarkReport;
import org.ntkworkbench.bench.BenchmarkResult;
import org.ntkworkbench.bench.BenchmarkRunner;
import org.ntkworkbench.bench.Benchmarks;
import org.ntkworkbench.bench.Statistic;
import org.ntkworkbench.tensor.NativeCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ntk bench [NAME…] --out B.json}: warm-up, median of repeats, against NumPy where there is a reference. */
@Command(name = "bench", description = "Run benchmarks (all, or the named ones) and write their numbers as JSON.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Benchmarks to run (default: all).")
    List<String> names = new ArrayList<>();

    @Option(names = "--out", paramLabel = "B.json", required = true, description = "Where to write the results.")
    Path out;

    @Option(names = "--warmup", description = "Untimed repetitions first (default: ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--repeats", description = "Timed repetitions; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Override
    public Integer call() {
        NativeCheck.verify();
        if (warmup < 0 || repeats < 1) {
            throw new IllegalArgumentException("--warmup must be >= 0 and --repeats >= 1");
        }
        var selected = Benchmarks.select(Benchmarks.home(), names);
        BenchmarkReport report = new BenchmarkRunner(warmup, repeats).runAll(selected);
        report.writeJson(out);
        for (BenchmarkResult r : report.results()) {
            System.out.println(r.name() + " [" + r.status() + "]" + (r.notes().isEmpty() ? "" : " " + String.join("; ", r.notes())));
            for (Map.Entry<String, Statistic> e : r.numbers().entrySet()) {
                Statistic s = e.getValue();
                System.out.printf("  %-24s %12.4g  (min %.4g, max %.4g)%n", e.getKey(), s.median(), s.min(), s.max());
            }
        }
        ratio(report, "mlp_train_java", "mlp_train_numpy", "steps_per_second", "MLP training steps/s, Java / NumPy");
        ratio(report, "mlp_train", "mlp_train_numpy", "steps_per_second", "MLP training steps/s, nn+autodiff / NumPy");
        ratio(report, "mlp_train", "mlp_train_torch", "steps_per_second", "MLP training steps/s, nn+autodiff / PyTorch");
        ratio(report, "empirical_ntk_ratio", "seconds_structured", "empirical_ntk_torch", "seconds_jacobian_contraction",
                "Empirical NTK seconds, our structured derivatives / functorch Jacobian contraction");
        ratio(report, "empirical_ntk_ratio", "seconds_structured", "empirical_ntk_torch", "seconds_ntk_vector_products",
                "Empirical NTK seconds, our structured derivatives / functorch NTK-vector products");
        ratio(report, "empirical_ntk_ratio", "seconds_jacobian", "empirical_ntk_torch", "seconds_jacobian_contraction",
                "Empirical NTK seconds, our Jacobian contraction / functorch's");
        ratio(report, "analytic_kernel_java", "analytic_kernel_numpy", "seconds", "Analytic kernel time, Java / NumPy (target <= 0.5)");
        ratio(report, "analytic_kernel_java", "analytic_kernel_numpy", "cpu_seconds", "Analytic kernel CPU seconds, Java / NumPy");
        ratio(report, "eigvalsh", "eigvalsh_numpy", "seconds", "eigvalsh seconds, Java / NumPy (target <= 1.1)");
        BenchmarkResult topk = find(report, "topk_eigen");
        if (topk != null && "ok".equals(topk.status())) {
            System.out.printf("topk_eigen: top-k %.3g s = %.3g of a full dsyevd (%.3g s, extrapolated by n^3 from n_ref = %s)%n",
                    topk.median("seconds"), topk.median("fraction"), topk.median("full_seconds_extrapolated"),
                    topk.params().get("n_ref"));
            if (topk.numbers().containsKey("fraction_vs_measured")) {
                System.out.printf("topk_eigen: measured full dsyevd (eigenvalues only) at n = %s: %.4g s; top-k = %.3g of it (CPU time: %.3g)%n",
                        topk.params().get("n"), topk.median("full_values_seconds_measured"), topk.median("fraction_vs_measured"),
                        topk.median("cpu_fraction_vs_measured"));
            }
        }
        System.out.println("results: " + out);
        return 0;
    }

    private static void ratio(BenchmarkReport report, String ours, String ourKey, String theirs, String theirKey, String label) {
        BenchmarkResult a = find(report, ours), b = find(report, theirs);
        if (a != null && b != null && "ok".equals(a.status()) && "ok".equals(b.status())) {
            System.out.printf("%s: %.2f%n", label, a.median(ourKey) / b.median(theirKey));
        }
    }

    private static void ratio(BenchmarkReport report, String ours, String theirs, String key, String label) {
        BenchmarkResult a = find(report, ours), b = find(report, theirs);
        if (a != null && b != null && "ok".equals(a.status()) && "ok".equals(b.status())) {
            System.out.printf("%s: %.2f%n", label, a.median(key) / b.median(key));
        }
    }

    private static BenchmarkResult find(BenchmarkReport report, String name) {
        return report.results().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }
}
