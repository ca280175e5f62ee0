package org.ntkworkbench.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.memory.MemoryPlanner;
import org.ntkworkbench.solve.NystromFit;
import org.ntkworkbench.solve.ProgressBar;
import org.ntkworkbench.solve.SolveReport;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code ntk fit} without files: kernel blocks from a {@link KernelEngine}, the diagonal regulariser,
 * predictions from a {@link FitSolver} for each kernel and time, then metrics. The two seams are the
 * constructor's arguments; everything else (names, metrics, regulariser) is decided here, once.
 */
public final class FitPipeline {
    private final KernelEngine engine;
    private final FitSolver solver;

    /** A pipeline over an engine (seam a) and a solver (seam b). */
    public FitPipeline(KernelEngine engine, FitSolver solver) {
        this.engine = engine;
        this.solver = solver;
    }

    /** Runs the fit. Bad input: {@link IllegalArgumentException}; a failed factorisation: {@link ArithmeticException} or as thrown. */
    public FitResult run(FitRequest r, FitProgress progress) {
        int n = r.xTrain().dim(0), m = r.xTest().dim(0);
        Tensor targets = r.targets();
        int k = targets.dim(1);
        boolean finite = r.times().stream().anyMatch(t -> t != Double.POSITIVE_INFINITY);
        // The memory planner decides (one place): the direct solve in memory, the Nystrom (FALKON) solve that
        // recomputes nothing but K(X, C) when the n x n kernel does not fit, or a one-line refusal.
        MemoryPlanner planner = r.memoryBytes() > 0 ? MemoryPlanner.ofBytes(r.memoryBytes()) : MemoryPlanner.current();
        double needD = 8.0 * n * n * r.get().size() + 8.0 * m * n * r.get().size() + solver.estimateBytes(n, m, k, finite);
        long need = needD >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) needD;
        if (!planner.fits(need)) {
            String what = "the fit of " + n + " training and " + m + " test examples";
            if (finite || !"local".equals(engine.name())) {
                // finite times need the eigendecomposition of the whole kernel; other engines solve their own way
                planner.require(what + (finite ? " at finite times" : ""), need);
            }
            planner.plan(what, need, NystromFit.minimumBytes(n, k));
            return nystrom(r, targets, planner);
        }
        Map<String, Double> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Map<String, KernelBlocks> blocks = engine.compute(r.net(), r.xTrain(), r.xTest(), r.get(), progress);
        timings.put("kernel", (System.nanoTime() - t0) * 1e-9);

        Map<String, Tensor> predictions = new LinkedHashMap<>();
        Map<String, Double> added = new LinkedHashMap<>();
        for (String g : r.get()) {
            KernelBlocks b = blocks.get(g);
            double d = addDiagonal(b.trainTrain(), r.diagReg());
            added.put(g, d);
            long s0 = System.nanoTime();
            Map<Double, Tensor> byTime = solver.solve(b, targets, r.times(), r.learningRate(), progress);
            timings.put("solve_" + g, (System.nanoTime() - s0) * 1e-9);
            for (double t : r.times()) {
                Tensor p = byTime.get(t);
                requireFinite(FitRequest.predictionName(g, t), p);
                predictions.put(FitRequest.predictionName(g, t), p);
            }
        }
        return finish(r, predictions, timings, added, new ArrayList<>(solver.notes()), new LinkedHashMap<>());
    }

    /** Kernel regression (t = ∞) by {@link NystromFit} for each kernel; solver facts go into the results. */
    private FitResult nystrom(FitRequest r, Tensor targets, MemoryPlanner planner) {
        int k = targets.dim(1);
        Map<String, Tensor> predictions = new LinkedHashMap<>();
        Map<String, Double> timings = new LinkedHashMap<>();
        Map<String, Double> added = new LinkedHashMap<>();
        Map<String, Double> solveFacts = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (String g : r.get()) {
            long s0 = System.nanoTime();
            NystromFit.Result res = NystromFit.run(r.net(), g, r.xTrain(), targets.data(), k, r.xTest(), r.diagReg(), 0, planner,
                    ProgressBar.stderr());
            timings.put("solve_" + g, (System.nanoTime() - s0) * 1e-9);
            SolveReport rep = res.report();
            Map<String, Object> facts = rep.toMap();
            added.put(g, ((Number) facts.get("lambda")).doubleValue() * r.xTrain().dim(0));
            solveFacts.put("solve_tolerance_" + g, rep.tolerance());
            solveFacts.put("solve_iterations_" + g, (double) rep.iterations());
            solveFacts.put("solve_relative_residual_" + g, rep.relativeResidual());
            solveFacts.put("solve_converged_" + g, rep.converged() ? 1.0 : 0.0);
            solveFacts.put("nystrom_centres_" + g, ((Number) facts.get("centres")).doubleValue());
            for (Map.Entry<String, Object> f : facts.entrySet()) {     // stage times: kernel, preconditioner, iterations
                if (f.getKey().startsWith("seconds_") && f.getValue() instanceof Number v) {
                    solveFacts.put("nystrom_" + f.getKey() + "_" + g, v.doubleValue());
                }
            }
            notes.add(g + ": " + rep.line());
            Tensor p = res.predictions();
            requireFinite(FitRequest.predictionName(g, Double.POSITIVE_INFINITY), p);
            predictions.put(FitRequest.predictionName(g, Double.POSITIVE_INFINITY), p);
        }
        return finish(r, predictions, timings, added, notes, solveFacts);
    }

    private FitResult finish(FitRequest r, Map<String, Tensor> predictions, Map<String, Double> timings, Map<String, Double> added,
                             List<String> notes, Map<String, Double> solveFacts) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, int[][]> confusion = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : predictions.entrySet()) {
            if (r.classification() && r.labelsTest() != null) {
                int[][] c = confusion(e.getValue(), r.labelsTest(), r.classes());
                confusion.put(e.getKey(), c);
                metrics.put("accuracy_" + e.getKey(), accuracy(c));
            } else if (!r.classification() && r.yTest() != null) {
                metrics.put("rmse_" + e.getKey(), rmse(e.getValue(), r.yTest()));
            }
        }
        metrics.putAll(solveFacts);
        return new FitResult(predictions, metrics, confusion, timings, added, notes);
    }

    /** Adds {@code r · mean(diag K)} to the diagonal in place; returns the value added. */
    public static double addDiagonal(Tensor k, double r) {
        if (r == 0) {
            return 0;
        }
        int n = k.dim(0);
        double[] a = k.data();
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += a[i * n + i];
        }
        double add = r * mean / n;
        for (int i = 0; i < n; i++) {
            a[i * n + i] += add;
        }
        return add;
    }

    /** Class of each row: the index of its largest output (the first on ties). */
    public static int[] argmax(Tensor f) {
        int m = f.dim(0), k = f.size() / Math.max(1, m);
        double[] a = f.data();
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (a[i * k + c] > a[i * k + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Confusion counts: {@code [true class][predicted class]}. */
    public static int[][] confusion(Tensor f, int[] labels, int classes) {
        int[][] c = new int[classes][classes];
        int[] p = argmax(f);
        for (int i = 0; i < labels.length; i++) {
            c[labels[i]][p[i]]++;
        }
        return c;
    }

    /** Fraction on the diagonal. */
    public static double accuracy(int[][] c) {
        long right = 0, all = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                all += c[i][j];
                if (i == j) {
                    right += c[i][j];
                }
            }
        }
        return all == 0 ? Double.NaN : (double) right / all;
    }

    /** Root mean square error over all entries. */
    public static double rmse(Tensor f, Tensor y) {
        double[] a = f.data(), b = y.data();
        if (a.length != b.length) {
            throw new IllegalArgumentException("predictions have " + a.length + " entries, targets " + b.length);
        }
        double s = 0;
        for (int e = 0; e < a.length; e++) {
            double d = a[e] - b[e];
            s += d * d;
        }
        return Math.sqrt(s / a.length);
    }

    private static void requireFinite(String name, Tensor p) {
        for (double v : p.data()) {
            if (!Double.isFinite(v)) {
                throw new ArithmeticException("prediction " + name + " has non-finite values: the kernel system is too ill-conditioned"
                        + " (try --diag-reg 1e-4)");
            }
        }
    }
}
