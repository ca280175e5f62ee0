package org.ntkworkbench.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongPredicate;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * Trains a finite single-output network by the given configuration while a {@link ResidualRecorder}
 * records residual components, and predicts the same components from the linearised dynamics of an
 * NTK ({@link LinearisedResiduals}): the finite-width counterpart of the spectral-bias instruments.
 *
 * <p>Centred runs ({@code centered = true}) train f on targets y + f(x; θ_0) and measure
 * r = f − f(x; θ_0) − y, whose linearised prediction starts at r_0 = −y (as for an infinitely wide network
 * with f_0 = 0); plain runs measure r = f − y from r_0 = f(x; θ_0) − y. The loss is mse; the parameters
 * start from {@code net.init(config.seed())}.
 */
public final class ResidualTraining {
    private ResidualTraining() {}

    /**
     * @param net           a model with one output per example
     * @param x             training inputs {@code (n, d…)}
     * @param y             targets (length n)
     * @param components    what to record
     * @param config        optimizer, learning rate, steps, seed (its own observers are kept)
     * @param when          the steps to observe (step 0 and the last step should be among them)
     * @param centered      train f − f_0 (see above)
     * @param ntk           θ_0 ↦ the train NTK {@code (n, n)} to linearise with (analytic or empirical), or {@code null}
     * @param keepResiduals keep all residual vectors (for per-point convergence)
     */
    public static ResidualCurves run(Layer net, Tensor x, double[] y, ResidualComponents components, TrainingConfig config,
                                     LongPredicate when, boolean centered, Function<Map<String, Tensor>, Tensor> ntk,
                                     boolean keepResiduals) {
        int n = x.dim(0);
        if (y.length != n) {
            throw new IllegalArgumentException(y.length + " targets for inputs " + x.shapeString());
        }
        NetworkObjective plain = new NetworkObjective(net, x, Tensor.of(y.clone(), n, 1), Loss.MSE);
        var params = plain.init(config.seed());
        double[] f0 = plain.outputs(params, Objective.allRows(n)).data().clone();
        if (f0.length != n) {
            throw new IllegalArgumentException("residual training needs one output per example, got " + f0.length + " outputs for " + n + " inputs");
        }
        Tensor theta = ntk == null ? null : ntk.apply(params);
        NetworkObjective objective = plain;
        if (centered) {
            double[] shifted = new double[n];
            for (int i = 0; i < n; i++) {
                shifted[i] = y[i] + f0[i];
            }
            objective = new NetworkObjective(net, x, Tensor.of(shifted, n, 1), Loss.MSE);
        }
        ResidualRecorder recorder = new ResidualRecorder(objective, y, centered ? f0 : null, components, keepResiduals);
        List<TrainingObserver.Registration> observers = new ArrayList<>(config.observers());
        observers.add(new TrainingObserver.Registration(when, recorder));
        TrainingConfig withRecorder = new TrainingConfig(config.optimizer(), config.schedule(), config.steps(),
                config.batchSize(), config.seed(), config.checkpointFile(), config.checkpointEvery(),
                config.checkpointStore(), config.progress(), config.listeners(), observers);
        TrainingResult result = new Trainer(withRecorder).train(objective, params);
        double[] steps = recorder.steps();
        double[][] lin = null, linResiduals = null;
        if (theta != null) {
            double[] r0 = new double[n];
            for (int i = 0; i < n; i++) {
                r0[i] = (centered ? 0 : f0[i]) - y[i];
            }
            linResiduals = new LinearisedResiduals(theta).at(r0, steps, config.schedule());
            lin = new double[components.names().size()][steps.length];
            for (int t = 0; t < steps.length; t++) {
                double[] m = components.measure(linResiduals[t]);
                for (int c = 0; c < m.length; c++) {
                    lin[c][t] = m[c];
                }
            }
        }
        return new ResidualCurves(components.names(), steps, recorder.curves(), lin, recorder.residuals(),
                keepResiduals ? linResiduals : null, y.clone(), result);
    }
}
