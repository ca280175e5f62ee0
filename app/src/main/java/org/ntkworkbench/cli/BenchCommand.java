package org.ntkworkbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkworkbench.bench.BenchmarkReport;
import org.ntkworkbench.bench.BenchmarkResult;
import org.ntkworkbench.bench.BenchmarkRunner;
import org.ntkworkbench.bench.Benchmarks;
import org.ntkworkbench.bench.Statistic;
import org.ntkworkbench.tensor.NativeCheck;
import org.ntkworkbench.bench.Benchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ntk bench [NAME…] --out B.json}: warm-up, median of repeats, against NumPy where there is a reference. */
@Command(name = "bench", description = "Run benchmarks (all, or the named ones) and write their numbers as JSON.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Benchmarks to run (default: all; listed below).")
    List<String> names = new ArrayList<>();

    @Option(names = "--out", paramLabel = "B.json", required = true, description = "Where to write the results.")
    Path out;

    @Option(names = "--warmup", description = "Untimed repetitions first (default: ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--repeats", description = "Timed repetitions; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Override a parameter of every selected benchmark "
            + "that has it, e.g. --param sizes=100,200 --param budget=30 (repeatable; the defaults are in the output JSON).")
    Map<String, String> params = new LinkedHashMap<>();

    /**
     * The usage help ends with the benchmarks a user can name, built-in and contributed by plugins. The list is
     * rendered only when the help is shown (picocli calls this setter while building the command, where loading
     * the benchmarks would slow every {@code ntk bench} start for nothing).
     */
    @Spec
    void listBenchmarksInHelp(CommandSpec spec) {
        spec.usageMessage().sectionMap().put(picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
            List<Benchmark> benchmarks;
            try {
                benchmarks = Benchmarks.all(Benchmarks.home());
            } catch (RuntimeException e) { // e.g. a plugin's benchmark name clashes: the help still shows, with why
                return "%nBenchmarks: not listed (%s)%n".formatted(e.getMessage());
            }
            return benchmarkList(benchmarks, help.commandSpec().usageMessage().width());
        });
    }

    /**
     * {@code Benchmarks (NAME):} and each benchmark's name with its description, wrapped at {@code width} columns
     * and indented under the description's first word.
     */
    static String benchmarkList(List<Benchmark> benchmarks, int width) {
        int nameWidth = benchmarks.stream().mapToInt(b -> b.name().length()).max().orElse(0);
        String indent = " ".repeat(2 + nameWidth + 2);
        String newline = System.lineSeparator();
        StringBuilder text = new StringBuilder(newline).append("Benchmarks (NAME):").append(newline);
        for (Benchmark b : benchmarks) {
            StringBuilder line = new StringBuilder("  ").append(b.name()).append(" ".repeat(nameWidth - b.name().length() + 2));
            boolean first = true;
            for (String word : b.description().split("\\s+")) {
                if (!first && line.length() + 1 + word.length() > width) {
                    text.append(line).append(newline);
                    line = new StringBuilder(indent);
                    first = true;
                }
                line.append(first ? "" : " ").append(word);
                first = false;
            }
            text.append(line).append(newline);
        }
        return text.toString();
    }

    @Override
    public Integer call() {
        NativeCheck.verify();
        if (warmup < 0 || repeats < 1) {
            throw new IllegalArgumentException("--warmup must be >= 0 and --repeats >= 1");
        }
        var selected = Benchmarks.select(Benchmarks.home(), names);
        BenchmarkReport report = new BenchmarkRunner(warmup, repeats).runAll(selected, params);
        report.writeJson(out);
        for (BenchmarkResult r : report.results()) {
            System.out.println(r.name() + " [" + r.status() + "]" + (r.notes().isEmpty() ? "" : " " + String.join("; ", r.notes())));
            for (Map.Entry<String, Statistic> e : r.numbers().entrySet()) {
                Statistic s = e.getValue();
                System.out.printf("  %-24s %12.4g  (min %.4g, max %.4g)%n", e.getKey(), s.median(), s.min(), s.max());
            }
            r.info().forEach((k, v) -> System.out.printf("  %-24s %s%n", k, v));
        }
        ratio(report, "mlp_train_java", "mlp_train_numpy", "steps_per_second", "MLP training steps/s, Java / NumPy");
        ratio(report, "mlp_train", "mlp_train_numpy", "steps_per_second", "MLP training steps/s, nn+autodiff / NumPy");
        ratio(report, "mlp_train", "mlp_train_torch", "steps_per_second", "MLP training steps/s, nn+autodiff / PyTorch");
        torchRatios(report);
        ratio(report, "analytic_kernel_java", "analytic_kernel_numpy", "seconds", "Analytic kernel time, Java / NumPy (target <= 0.5)");
        ratio(report, "analytic_kernel_java", "analytic_kernel_numpy", "cpu_seconds", "Analytic kernel CPU seconds, Java / NumPy");
        ratio(report, "eigvalsh", "eigvalsh_numpy", "seconds", "eigvalsh seconds, Java / NumPy (target <= 1.1)");
        ratio(report, "eigvalsh", "eigvalsh_torch", "seconds", "eigvalsh seconds, Java / PyTorch");
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

    /** {@code empirical_ntk_torch}'s ratios, one line per size and pair (its keys {@code n<N>_ratio_<ours>_to_<theirs>}). */
    private static void torchRatios(BenchmarkReport report) {
        BenchmarkResult r = find(report, "empirical_ntk_torch");
        if (r == null || !"ok".equals(r.status())) {
            return;
        }
        for (Map.Entry<String, Statistic> e : r.numbers().entrySet()) {
            var m = java.util.regex.Pattern.compile("n(\\d+)_ratio_(.+)_to_(.+)").matcher(e.getKey());
            if (m.matches()) {
                System.out.printf("Empirical NTK seconds at n = %s, our %s / functorch %s: %.3g%n", m.group(1),
                        m.group(2).replace('_', ' '), m.group(3).replace('_', ' '), e.getValue().median());
            }
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
