package org.ntkworkbench.fit;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * Seam (b) of {@code ntk fit}: the linear algebra that turns kernel blocks and training targets into
 * test predictions. {@link DirectSolver} factors in memory (Cholesky, or one symmetric
 * eigendecomposition when finite times are asked); block-iterative or out-of-core solvers implement
 * the same method.
 *
 * <p>Contract: {@code blocks.trainTrain()} already carries the diagonal regulariser and may be
 * overwritten by the solver (the pipeline owns it). For every requested time t the result holds the
 * test outputs {@code (m, k)} of the infinitely wide network trained by gradient descent on
 * DESIGN.md's mse (loss (1/2n)Σ‖f − y‖², learning rate η, f₀ = 0, the mean over initialisations):
 * {@code f*_t = K_{*X} V diag((1 − e^{−ηλt/n})/λ) Vᵀ y}, and at t = ∞ the kernel regression
 * {@code K_{*X} K⁻¹ y}.
 */
public interface FitSolver {
    /** The solver's name (recorded in the manifest). */
    String name();

    /**
     * Test predictions for each time in {@code times} (in the same order; {@code Double.POSITIVE_INFINITY}
     * allowed), from the train-train and test-train blocks and targets {@code (n, k)}.
     */
    Map<Double, Tensor> solve(KernelBlocks blocks, Tensor targets, List<Double> times, double learningRate, FitProgress progress);

    /** Bytes this solver allocates beyond the kernel blocks for {@code n} training and {@code m} test rows. */
    long estimateBytes(int n, int m, int outputs, boolean finiteTimes);

    /** Lines for the log: jitter used, iterations, residuals. Empty by default. */
    default List<String> notes() {
        return List.of();
    }
}
