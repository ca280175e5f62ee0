package org.ntkworkbench.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/** The {@link Training} service: a {@link NetworkObjective} minimised by a {@link Trainer}. Stateless. */
public final class DefaultTraining implements Training {

    @Override
    public NetworkObjective objective(Layer net, Tensor x, Tensor y, Loss loss) {
        return new NetworkObjective(net, x, y, loss);
    }

    @Override
    public TrainingResult train(NetworkObjective objective, TrainingConfig config, Map<String, Tensor> init) {
        LinkedHashMap<String, Tensor> params;
        if (init == null) {
            params = objective.init(config.seed());
        } else {
            objective.checkParameters(init);
            // model order, whatever order the file had
            params = new LinkedHashMap<>();
            for (String key : objective.parameterShapes().keySet()) {
                params.put(key, init.get(key).copy());
            }
        }
        return new Trainer(config).train(objective, params);
    }
}
