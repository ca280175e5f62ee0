package org.ntkworkbench.train;

import com.google.inject.Inject;
import java.util.function.LongPredicate;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.NetworkTraining;
import org.ntkworkbench.tensor.Tensor;

/**
 * Core's {@link NetworkTraining} for plugins: {@link Training} with the {@code gd} optimizer, constant learning
 * rate and the automatic progress bar; {@link ResidualTraining} recording the rms; {@link LinearisedResiduals};
 * {@link ConvergenceTimes}.
 */
public final class DefaultNetworkTraining implements NetworkTraining {
    private final Training training;

    /** Trains through {@code training} (core's {@link DefaultTraining} when injected). */
    @Inject
    public DefaultNetworkTraining(Training training) {
        this.training = training;
    }

    /** Full-batch gd on the mse with a constant rate, seeded initialisation, automatic progress bar. */
    static TrainingConfig gradientDescent(double lr, long steps, long seed) {
        return TrainingConfig.builder().optimizer("gd").learningRate(lr).steps(steps).seed(seed).progress(ProgressMode.AUTO).build();
    }

    @Override
    public TrainingResult gradientDescent(Layer net, Tensor x, Tensor y, double lr, long steps, long seed) {
        return training.train(net, x, y, Loss.MSE, gradientDescent(lr, steps, seed), null);
    }

    @Override
    public ResidualCurves residualGradientDescent(Layer net, Tensor x, double[] y, double lr, long steps, long seed, LongPredicate when,
                                                  boolean centered, Tensor ntk) {
        return ResidualTraining.run(net, x, y, ResidualComponents.rms(x.dim(0)), gradientDescent(lr, steps, seed), when, centered,
                p -> ntk, true);
    }

    @Override
    public LongPredicate logGrid(long steps, int perDecade) {
        return TrainingObserver.logGrid(steps, perDecade);
    }

    @Override
    public double[][] linearisedResiduals(Tensor ntk, double[] r0, double[] steps, double lr) {
        return new LinearisedResiduals(ntk).at(r0, steps, LearningRateSchedule.constant(lr));
    }

    @Override
    public double[] convergenceSteps(double[] steps, double[][] residuals, double[] y, double threshold, double floor) {
        return ConvergenceTimes.perPoint(steps, residuals, y, threshold, floor);
    }

    @Override
    public double[] medianByGroup(double[] times, int[] groups, int count) {
        return ConvergenceTimes.medianByGroup(times, groups, count);
    }
}
