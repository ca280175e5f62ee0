package org.ntkworkbench.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        if (r.memoryBytes() > 0) {
            long need = 8L * n * n * r.get().size() + 8L * m * n * r.get().size() + solver.estimateBytes(n, m, k, finite);
            if (need > r.memoryBytes()) {
                throw new IllegalArgumentException("the fit of " + n + " training and " + m + " test examples needs about "
                        + need / (1 << 20) + " MiB but the memory budget is " + r.memoryBytes() / (1 << 20)
                        + " MiB: raise --memory or NTK_JAVA_OPTS=-Xmx..., use fewer examples, or --engine spark");
            }
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
        List<String> notes = new ArrayList<>(solver.notes());
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
