package org.ntkworkbench.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/** Plain gradient descent {@code θ ← θ − η g}: {@code gd} on full batches, {@code sgd} on mini-batches. Stateless. */
final class GradientDescent implements Optimizer {
    private final String name;
    private final boolean fullBatch;

    GradientDescent(String name, boolean fullBatch) {
        this.name = name;
        this.fullBatch = fullBatch;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean fullBatchOnly() {
        return fullBatch;
    }

    @Override
    public void step(Map<String, Tensor> params, Map<String, Tensor> grads, double learningRate) {
        Optimizer.checkGradients(params, grads);
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            double[] p = e.getValue().data();
            double[] g = grads.get(e.getKey()).data();
            for (int i = 0; i < p.length; i++) {
                p[i] -= learningRate * g[i];
            }
        }
    }

    @Override
    public LinkedHashMap<String, Tensor> state() {
        return new LinkedHashMap<>();
    }

    @Override
    public void restore(Map<String, Tensor> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(name + " has no state, but the checkpoint holds " + state.keySet());
        }
    }
}
