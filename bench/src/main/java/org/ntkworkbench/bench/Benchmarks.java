package org.ntkworkbench.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/** The built-in benchmarks, and those that plugins contribute through {@link BenchmarkProvider}. */
public final class Benchmarks {
    private Benchmarks() {}

    /** The repository root where {@code bench/numpy/*.py} live: {@code -Dntk.home=…}, else the working directory. */
    public static Path home() {
        return Path.of(System.getProperty("ntk.home", "."));
    }

    /** Default sizes of the MLP training step: d = 64, two hidden layers of 1024, batch 256. */
    public static final Map<String, Object> MLP_DEFAULTS = Map.of("d", 64, "width", 1024, "depth", 2,
            "batch", 256, "steps", 10, "warmup", 2);

    /** Default sizes of the empirical NTK benchmark (ii): d = 64, two hidden layers of 2048, n = 2000. */
    public static final Map<String, Object> EMPIRICAL_NTK_DEFAULTS = Map.of("d", 64, "width", 2048, "depth", 2,
            "n", 2000);

    /** All built-in benchmarks, NumPy scripts looked up under {@code home}. */
    public static List<Benchmark> builtIn(Path home) {
        return List.of(
                new DgemmBenchmark(),
                new MlpTrainBenchmark(),
                new MlpTrainAutodiffBenchmark(),
                new NumpyScriptBenchmark("mlp_train_numpy",
                        "NumPy reference: one gd step (forward, backward, update) of a ReLU MLP in the NTK "
                                + "parameterization, mse; reports steps_per_second and gflops",
                        home.resolve("bench/numpy/mlp_train.py"), MLP_DEFAULTS, 1800),
                new NumpyScriptBenchmark("mlp_train_torch",
                        "PyTorch reference (CPU, float64, autograd): the same step, data and starting weights as "
                                + "mlp_train_numpy; reports steps_per_second and gflops",
                        home.resolve("bench/torch/mlp_train.py"), MLP_DEFAULTS, 1800, "torch"),
                new EmpiricalNtkBenchmark(),
                new EmpiricalNtkRatioBenchmark(),
                new NumpyScriptBenchmark("empirical_ntk_numpy",
                        "NumPy reference: the same structured empirical NTK of a ReLU MLP as empirical_ntk "
                                + "(h hᵀ ⊙ δ δᵀ per layer); reports seconds, gflop and gflops",
                        home.resolve("bench/numpy/empirical_ntk.py"), EMPIRICAL_NTK_DEFAULTS, 1800),
                new EmpiricalNtkTorchBenchmark(home.resolve("bench/torch/empirical_ntk.py")),
                new AnalyticKernelBenchmark(),
                new NumpyScriptBenchmark("analytic_kernel_numpy",
                        "NumPy reference: the same analytic NNGP+NTK recursion as analytic_kernel_java; reports seconds",
                        home.resolve("bench/numpy/analytic_kernel.py"), Map.of("d", 64, "n", 4000), 1800),
                new EigvalshBenchmark(),
                new EigvalshNumpyBenchmark(home.resolve("bench/numpy/eigvalsh.py")),
                new EigvalshNumpyBenchmark("eigvalsh_torch", home.resolve("bench/torch/eigvalsh.py"), "torch"),
                new TopKEigenBenchmark());
    }

    /**
     * The built-in benchmarks followed by those of every {@link BenchmarkProvider} on the class path.
     * A contributed name that clashes with an earlier one is refused (one name, one benchmark).
     */
    public static List<Benchmark> all(Path home) {
        List<Benchmark> all = new ArrayList<>(builtIn(home));
        Set<String> names = new HashSet<>();
        all.forEach(b -> names.add(b.name()));
        for (BenchmarkProvider p : ServiceLoader.load(BenchmarkProvider.class, Benchmarks.class.getClassLoader())) {
            for (Benchmark b : p.benchmarks(home)) {
                if (!names.add(b.name())) {
                    throw new IllegalStateException("benchmark name '" + b.name() + "' of " + p.getClass().getName()
                            + " is already taken");
                }
                all.add(b);
            }
        }
        return List.copyOf(all);
    }

    /** The benchmarks ({@link #all}) with the given names, in the order given (all when {@code names} is empty). */
    public static List<Benchmark> select(Path home, List<String> names) {
        List<Benchmark> all = all(home);
        if (names.isEmpty()) {
            return all;
        }
        return names.stream().map(n -> all.stream().filter(b -> b.name().equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown benchmark '" + n + "'; known: "
                        + all.stream().map(Benchmark::name).toList()))).toList();
    }
}
