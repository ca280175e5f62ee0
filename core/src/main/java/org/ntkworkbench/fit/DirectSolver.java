package org.ntkworkbench.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.model.predict.Cholesky;
import org.ntkworkbench.model.predict.GradientDescentMse;
import org.ntkworkbench.model.predict.KernelChecks;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * The in-memory {@link FitSolver}: with t = ∞ only, one Cholesky factorisation (jitter policy of
 * {@link Cholesky}) and a triangular solve; with finite times, one symmetric eigendecomposition
 * ({@link GradientDescentMse}) reused for every t (t = ∞ then still by Cholesky, the accurate route).
 */
public final class DirectSolver implements FitSolver {
    private final List<String> notes = new ArrayList<>();

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public Map<Double, Tensor> solve(KernelBlocks blocks, Tensor targets, List<Double> times, double learningRate, FitProgress progress) {
        Tensor kxx = blocks.trainTrain(), ksx = blocks.testTrain();
        int n = kxx.dim(0), m = ksx.dim(0), k = targets.dim(1);
        String what = blocks.kernel() + " train-train";
        KernelChecks.requireFinite(blocks.kernel() + " test-train", ksx, m, n);
        boolean finite = times.stream().anyMatch(t -> t != Double.POSITIVE_INFINITY);
        Map<Double, Tensor> out = new LinkedHashMap<>();
        progress.start("solve " + blocks.kernel(), times.size() + 1L);
        if (!finite) {
            Cholesky chol = Cholesky.of(what, kxx);
            notes.add(chol.report());
            progress.step(1);
            double[] alpha = chol.solve(targets.data().clone(), k);
            double[] f = new double[m * k];
            Blas.gemm(false, false, m, k, n, 1.0, ksx.data(), alpha, 0.0, f);
            Tensor pred = Tensor.of(f, m, k);
            for (double t : times) {
                out.put(t, pred);
                progress.step(1);
            }
        } else {
            GradientDescentMse gd = new GradientDescentMse(kxx, targets, learningRate);
            notes.add("eigendecomposition of " + what + " (n = " + n + "): eigenvalues " + gd.eigenvalues()[0] + " .. "
                    + gd.eigenvalues()[n - 1]);
            progress.step(1);
            Tensor f0Train = Tensor.zeros(n, k), f0Test = Tensor.zeros(m, k);
            for (double t : times) {
                out.put(t, gd.test(t, f0Train, f0Test, ksx));
                progress.step(1);
            }
        }
        progress.finish();
        return out;
    }

    @Override
    public long estimateBytes(int n, int m, int outputs, boolean finiteTimes) {
        // Cholesky: the factor (n²) and the symmetry check; eigh: vectors, work and the matrix copy (≈ 3n²).
        return 8L * n * n * (finiteTimes ? 3 : 1) + 8L * (long) (n + m) * outputs * 4;
    }

    @Override
    public List<String> notes() {
        return List.copyOf(notes);
    }
}
