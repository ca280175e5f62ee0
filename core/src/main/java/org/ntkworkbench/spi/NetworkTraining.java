package org.ntkworkbench.spi;

import java.util.Map;
import java.util.function.LongPredicate;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * Training finite networks for plugins' studies: full-batch gradient descent on the mean squared error (the
 * dynamics an NTK linearises), optionally with the residuals recorded along the way next to the linearised
 * prediction of a given NTK, and the per-point convergence times of such residuals. Inject it; core's
 * {@code train} package does the work (the {@code train} word's optimizer, progress bar and divergence check).
 *
 * <p>The values returned are core's own ({@code TrainingResult}, {@code ResidualCurves}) seen through
 * {@link Trained} and {@link ResidualRun}, so a plugin's result hands scripts the same objects core's words
 * take (e.g. {@code plotResiduals}).
 */
public interface NetworkTraining {

    /** A trained network. */
    interface Trained {
        /** The parameters after the last step, by key ({@code Layer.apply(params, x)} evaluates the network). */
        Map<String, Tensor> params();

        /** The training loss after the last step. */
        double finalLoss();
    }

    /** A training run with residuals recorded at chosen steps (every residual vector kept). */
    interface ResidualRun {
        /** The observed steps, ascending (0 first). */
        double[] steps();

        /** Per point, the first observed step at which the network's residual fell below the threshold ({@link NetworkTraining#convergenceSteps(double[], double[][], double[], double, double)}); NaN if never. */
        double[] convergenceSteps(double threshold, double floor);

        /** The same for the linearised (NTK) prediction. */
        double[] linearisedConvergenceSteps(double threshold, double floor);

        /** The training run (parameters, final loss). */
        Trained training();
    }

    /**
     * Trains {@code net} (parameters from {@code net.init(seed)}) on ({@code x}, {@code y}) by {@code steps}
     * full-batch gradient-descent steps of learning rate {@code lr} on the mse.
     */
    Trained gradientDescent(Layer net, Tensor x, Tensor y, double lr, long steps, long seed);

    /**
     * {@link #gradientDescent} of a single-output network on targets {@code y} while recording its residual
     * vector and its rms (residual component {@code "rms"}) at the steps {@code when} accepts (include 0 and
     * {@code steps}), next to the linearised dynamics of {@code ntk} (the train NTK, {@code (n, n)}) from the
     * same start. With {@code centered}, f − f₀
     * is trained (targets y + f₀), so residuals start at −y as for an infinitely wide network.
     */
    ResidualRun residualGradientDescent(Layer net, Tensor x, double[] y, double lr, long steps, long seed, LongPredicate when,
                                        boolean centered, Tensor ntk);

    /**
     * The steps 0, {@code steps} and about {@code perDecade} log-spaced steps per decade in between (plus every
     * step below {@code perDecade}): a grid on which early and late convergence are both resolved.
     */
    LongPredicate logGrid(long steps, int perDecade);

    /**
     * The linearised residuals r_t = V diag((1 − ηλ/n)^t) Vᵀ r₀ of gradient descent with constant learning rate
     * {@code lr} on the mse with kernel {@code ntk}, as {@code [observation][point]} at the given steps.
     */
    double[][] linearisedResiduals(Tensor ntk, double[] r0, double[] steps, double lr);

    /**
     * Per point i, the first of {@code steps} at which |r_i| < threshold · max(|y_i|, floor) ({@code residuals}
     * are {@code [observation][point]}); NaN if never.
     */
    double[] convergenceSteps(double[] steps, double[][] residuals, double[] y, double threshold, double floor);

    /**
     * The median of {@code times} over the points of each group 0 … count − 1 (NaN, i.e. never converged, counts
     * as +∞; NaN for an empty group).
     */
    double[] medianByGroup(double[] times, int[] groups, int count);
}
