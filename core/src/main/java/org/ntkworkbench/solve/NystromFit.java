package org.ntkworkbench.solve;

import java.util.Locale;
import org.ntkworkbench.memory.MemoryPlanner;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * Kernel regression (t = ∞) when the {@code n × n} training kernel does not fit the memory budget:
 * {@link Falkon} with as many Nyström centres as the budget holds (float32 storage of {@code K(X, C)},
 * at most {@link #MAX_CENTRES}), λ from the diagonal regulariser as DESIGN.md's {@code --diag-reg}.
 * What {@code ntk fit} runs when the {@link MemoryPlanner} says the direct solve does not fit.
 */
public final class NystromFit {
    /** More centres than this cost more in the m³ preconditioner than they gain in accuracy on 2 cores. */
    public static final int MAX_CENTRES = 20_000;
    /** Rows of X per stored kernel block. */
    public static final int BLOCK_ROWS = 1024;
    /** CG tolerance on the preconditioned system's relative residual. */
    public static final double TOLERANCE = 1e-4;
    /** CG iteration cap. */
    public static final int MAX_ITERATIONS = 60;

    private NystromFit() {}

    /** Predictions {@code (m_test, k)} and the solve's report. */
    public record Result(Tensor predictions, SolveReport report) {}

    /** The number of centres this budget allows for {@code n} rows and {@code k} outputs (0: not even one). */
    public static int centres(int n, int k, MemoryPlanner planner) {
        return Falkon.centresFor(n, k, true, BLOCK_ROWS, planner.budgetBytes(), MAX_CENTRES);
    }

    /** Peak bytes with the fewest useful centres (for the planner's blockwise estimate). */
    public static long minimumBytes(int n, int k) {
        return Falkon.estimateBytes(n, Math.min(n, 1000), k, true, BLOCK_ROWS);
    }

    /**
     * Fits {@code which} ({@code ntk} or {@code nngp}) of {@code net} on {@code xTrain} and row-major
     * {@code (n, k)} targets and predicts {@code xTest}.
     */
    public static Result run(Layer net, String which, Tensor xTrain, double[] targets, int k, Tensor xTest, double diagReg,
                             long seed, MemoryPlanner planner, ProgressBar progress) {
        int n = xTrain.dim(0);
        int m = centres(n, k, planner);
        if (m < Math.min(n, 1000)) {
            throw planner.refusal(String.format(Locale.ROOT, "the Nystrom solve of %d examples (at least %d centres)", n,
                    Math.min(n, 1000)), minimumBytes(n, k));
        }
        if (!(diagReg > 0)) {
            throw new IllegalArgumentException("the kernel of " + n + " training examples does not fit the memory budget, and the "
                    + "Nystrom solve used instead needs a ridge: give --diag-reg r > 0 (e.g. 1e-3)");
        }
        Falkon.Options o = Falkon.Options.ofDiagReg(m, diagReg).withFloat32(true).withTolerance(TOLERANCE, MAX_ITERATIONS)
                .withBlockRows(BLOCK_ROWS).withSeed(seed);
        Falkon f = Falkon.fit(KernelFunction.of(net, which), xTrain, targets, k, o, planner, progress);
        return new Result(f.predict(xTest, BLOCK_ROWS, progress), f.report());
    }
}
