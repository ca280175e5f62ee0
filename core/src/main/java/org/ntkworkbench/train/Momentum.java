package org.ntkworkbench.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * Heavy-ball momentum in the form used by PyTorch's SGD: with velocity {@code v₀ = 0},
 * <pre>
 *   v_{t+1} = μ v_t + g_t
 *   θ_{t+1} = θ_t − η_t v_{t+1}
 * </pre>
 * so the first step equals plain gradient descent and, with a constant learning rate, this is Polyak's
 * {@code θ_{t+1} = θ_t − η g_t + μ (θ_t − θ_{t−1})}. The learning rate multiplies the velocity, so a
 * schedule changes the step length of the accumulated direction at once. State: {@code velocity/<key>}.
 */
public final class Momentum implements Optimizer {
    /** Default μ. */
    public static final double DEFAULT_MU = 0.9;

    private final double mu;
    private final LinkedHashMap<String, Tensor> velocity = new LinkedHashMap<>();

    /** Momentum coefficient {@code 0 ≤ μ < 1}. */
    public Momentum(double mu) {
        if (!(mu >= 0 && mu < 1)) {
            throw new IllegalArgumentException("momentum mu must be in [0, 1), got " + mu);
        }
        this.mu = mu;
    }

    @Override
    public String name() {
        return "momentum";
    }

    public double mu() {
        return mu;
    }

    @Override
    public void step(Map<String, Tensor> params, Map<String, Tensor> grads, double learningRate) {
        Optimizer.checkGradients(params, grads);
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            double[] p = e.getValue().data();
            double[] g = grads.get(e.getKey()).data();
            double[] v = velocity.computeIfAbsent(e.getKey(), k -> Tensor.zeros(e.getValue().shape())).data();
            for (int i = 0; i < p.length; i++) {
                v[i] = mu * v[i] + g[i];
                p[i] -= learningRate * v[i];
            }
        }
    }

    @Override
    public LinkedHashMap<String, Tensor> state() {
        LinkedHashMap<String, Tensor> s = new LinkedHashMap<>();
        velocity.forEach((k, v) -> s.put("velocity/" + k, v.copy()));
        return s;
    }

    @Override
    public void restore(Map<String, Tensor> state) {
        velocity.clear();
        state.forEach((k, v) -> {
            if (!k.startsWith("velocity/")) {
                throw new IllegalArgumentException("unexpected momentum state entry '" + k + "'");
            }
            velocity.put(k.substring("velocity/".length()), v.copy());
        });
    }
}
