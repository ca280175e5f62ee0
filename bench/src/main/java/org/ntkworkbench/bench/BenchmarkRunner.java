package org.ntkworkbench.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs benchmarks: {@code warmup} untimed repetitions (JIT compilation, caches, thread pools), then
 * {@code repeats} timed ones, each named number summarised by a {@link Statistic} (median, min, max).
 * The runner adds {@code wallSeconds}, the wall time of each whole {@link Benchmark#run} call. A
 * {@link BenchmarkSkippedException} gives status {@code skipped}; any other exception {@code failed},
 * with the message in the notes; neither stops the other benchmarks.
 */
public final class BenchmarkRunner {
    private final int warmup;
    private final int repeats;

    /** {@code warmup ≥ 0} untimed and {@code repeats ≥ 1} timed repetitions. */
    public BenchmarkRunner(int warmup, int repeats) {
        if (warmup < 0 || repeats < 1) {
            throw new IllegalArgumentException("need warmup >= 0 and repeats >= 1, got warmup=" + warmup
                    + ", repeats=" + repeats);
        }
        this.warmup = warmup;
        this.repeats = repeats;
    }

    /** Runs one benchmark with its default parameters overridden by {@code params}. */
    public BenchmarkResult run(Benchmark benchmark, Map<String, Object> params) {
        Map<String, Object> merged = new LinkedHashMap<>(benchmark.defaultParams());
        merged.putAll(params);
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        Map<String, String> info = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        String status = "ok";
        int warmup = this.warmup, repeats = this.repeats;
        boolean once = benchmark.runsOnce() && (warmup != 0 || repeats != 1);
        if (once) {
            warmup = 0;
            repeats = 1;
        }
        try {
            for (int i = 0; i < warmup; i++) {
                benchmark.run(merged);
            }
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                Measurement m = benchmark.run(merged);
                double wall = (System.nanoTime() - t0) * 1e-9;
                m.values().forEach((k, v) -> samples.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
                samples.computeIfAbsent("wallSeconds", key -> new ArrayList<>()).add(wall);
                info.putAll(m.info());
            }
        } catch (BenchmarkSkippedException e) {
            status = "skipped";
            notes.add(e.getMessage());
        } catch (Exception e) {
            status = "failed";
            notes.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Map<String, Statistic> numbers = new LinkedHashMap<>();
        if (once && status.equals("ok")) {
            notes.add("run once: it warms up and bounds its own methods (warm-up and repeats ignored)");
        }
        if (status.equals("ok")) {
            samples.forEach((k, v) -> numbers.put(k, Statistic.of(v.stream().mapToDouble(Double::doubleValue).toArray())));
        }
        return new BenchmarkResult(benchmark.name(), benchmark.description(), merged, status, warmup, repeats,
                numbers, info, notes);
    }

    /**
     * Runs each benchmark with its defaults and collects a report with the machine information. When
     * {@code dgemm} ran, every other result that reports {@code gflops} also gets
     * {@code percent_of_dgemm} = 100 · gflops / median dgemm gflops (per sample).
     */
    public BenchmarkReport runAll(List<? extends Benchmark> benchmarks) {
        return runAll(benchmarks, Map.of());
    }

    /**
     * As {@link #runAll(List)}, each benchmark's defaults overridden by those entries of {@code params} whose
     * keys it has among its {@link Benchmark#defaultParams()} ({@code ntk bench --param KEY=VALUE}). A key
     * that none of the benchmarks has is refused ({@link IllegalArgumentException} naming the keys they have).
     */
    public BenchmarkReport runAll(List<? extends Benchmark> benchmarks, Map<String, ?> params) {
        for (String key : params.keySet()) {
            if (benchmarks.stream().noneMatch(b -> b.defaultParams().containsKey(key))) {
                throw new IllegalArgumentException("--param " + key + ": none of the selected benchmarks has it; they have "
                        + benchmarks.stream().flatMap(b -> b.defaultParams().keySet().stream()).distinct().sorted().toList());
            }
        }
        List<BenchmarkResult> results = new ArrayList<>();
        for (Benchmark b : benchmarks) {
            Map<String, Object> own = new LinkedHashMap<>();
            params.forEach((k, v) -> {
                if (b.defaultParams().containsKey(k)) {
                    own.put(k, v);
                }
            });
            results.add(run(b, own));
        }
        return new BenchmarkReport(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), MachineInfo.current(),
                relativeToDgemm(results));
    }

    static List<BenchmarkResult> relativeToDgemm(List<BenchmarkResult> results) {
        BenchmarkResult dgemm = results.stream()
                .filter(r -> r.name().equals("dgemm") && r.numbers().containsKey("gflops")).findFirst().orElse(null);
        if (dgemm == null) {
            return results;
        }
        double peak = dgemm.median("gflops");
        List<BenchmarkResult> out = new ArrayList<>();
        for (BenchmarkResult r : results) {
            Statistic g = r.numbers().get("gflops");
            if (r == dgemm || g == null) {
                out.add(r);
                continue;
            }
            double[] pct = g.samples();
            for (int i = 0; i < pct.length; i++) {
                pct[i] = 100.0 * pct[i] / peak;
            }
            Map<String, Statistic> numbers = new LinkedHashMap<>(r.numbers());
            numbers.put("percent_of_dgemm", Statistic.of(pct));
            out.add(new BenchmarkResult(r.name(), r.description(), r.params(), r.status(), r.warmup(), r.repeats(),
                    numbers, r.info(), r.notes()));
        }
        return out;
    }
}
