package org.ntkworkbench.train;

import java.util.Map;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * The training service (DESIGN.md's {@code Trainer} service, bound in the core Guice module): trains a
 * network on a data set. Scripts see it as {@code training}; the DSL word {@code train} and the command
 * {@code ntk train} call it. A {@link Trainer} does the updates; this service sets up the
 * {@link NetworkObjective} and the starting parameters.
 */
public interface Training {

    /**
     * The objective of {@code net} on inputs {@code x} {@code (n, d…)} and targets {@code y} under
     * {@code loss}; throws {@link IllegalArgumentException} naming the shapes that do not fit.
     */
    NetworkObjective objective(Layer net, Tensor x, Tensor y, Loss loss);

    /**
     * Trains from {@code init} (checked to have exactly the model's keys and shapes, and copied: the
     * caller's tensors are not modified), or from {@code objective.init(config.seed())} when
     * {@code init} is {@code null}. The same seed and inputs give the same curve and parameters bit for bit.
     *
     * @throws TrainingDivergedException when the loss becomes non-finite
     */
    TrainingResult train(NetworkObjective objective, TrainingConfig config, Map<String, Tensor> init);

    /** {@link #objective} then {@link #train(NetworkObjective, TrainingConfig, Map)}. */
    default TrainingResult train(Layer net, Tensor x, Tensor y, Loss loss, TrainingConfig config, Map<String, Tensor> init) {
        return train(objective(net, x, y, loss), config, init);
    }
}
