package org.ntkworkbench.plugins.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.bench.Benchmark;
import org.ntkworkbench.bench.BenchmarkProvider;
import org.ntkworkbench.bench.Measurement;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * The Spark plugin's entry of {@code ntk bench}: {@code spark_kernel}, the overhead bar (Spark
 * {@code local[2]} vs the single-JVM engine on the same tiled kernel to memory-mapped files). The bench
 * command has no per-benchmark parameters, so sizes come from system properties
 * ({@code NTK_JAVA_OPTS=-Dntk.bench.spark.n=20000}; also {@code .tile}, {@code .master}, {@code .threads}).
 */
public final class SparkBenchmarks implements BenchmarkProvider {

    @Override
    public List<Benchmark> benchmarks(Path home) {
        return List.of(new KernelOverhead());
    }

    /** {@code spark_kernel}. */
    static final class KernelOverhead implements Benchmark {
        static final String MODEL = "serial(dense(512, bStd: 0.1), relu(), dense(512, bStd: 0.1), relu(), dense(1))";

        @Override
        public String name() {
            return "spark_kernel";
        }

        @Override
        public String description() {
            return "tiled symmetric NNGP+NTK of n examples (d = 16, two hidden ReLU layers of 512) to memory-mapped .npy files: "
                    + "the single-JVM engine (row blocks on 2 threads) vs Spark local[2] (one task per tile); reports both times, "
                    + "overhead_wall = spark / local (issue 14's bar: <= 1.3 at n = 20000), per-tile seconds, bytes sent to the driver, "
                    + "max relative difference";
        }

        @Override
        public Map<String, Object> defaultParams() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("n", Integer.getInteger("ntk.bench.spark.n", 6000));
            p.put("d", 16);
            p.put("tile", Integer.getInteger("ntk.bench.spark.tile", 2048));
            p.put("master", System.getProperty("ntk.bench.spark.master", "local[2]"));
            p.put("threads", Integer.getInteger("ntk.bench.spark.threads", 2));
            return p;
        }

        @Override
        public Measurement run(Map<String, Object> params) throws Exception {
            int n = Benchmark.intParam(params, "n"), d = Benchmark.intParam(params, "d");
            Layer net = TileComputer.model(MODEL);
            Tensor x = Tensor.randn(42, n, d);
            Path dir = Files.createTempDirectory("ntk-bench-spark-");
            try (SparkEngine engine = new SparkEngine(String.valueOf(params.get("master")),
                    Map.of(SparkEngine.TILE, String.valueOf(params.get("tile"))))) {
                Map<String, Double> v = ScaleBenchmark.compareKernel(engine, net, MODEL, x, Benchmark.intParam(params, "threads"),
                        1600L << 20, false, dir);
                return new Measurement(v, Map.of("model", MODEL, "load", ScaleBenchmark.load()));
            } finally {
                ScaleBenchmark.deleteTree(dir);
            }
        }
    }
}
