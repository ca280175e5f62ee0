package org.ntkworkbench.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * Adam (Kingma and Ba, ICLR 2015, Algorithm 1) with bias correction. With {@code m₀ = v₀ = 0} and
 * {@code t} the number of the update (1, 2, …):
 * <pre>
 *   m_t = β₁ m_{t−1} + (1 − β₁) g_t
 *   v_t = β₂ v_{t−1} + (1 − β₂) g_t²
 *   m̂_t = m_t / (1 − β₁ᵗ),  v̂_t = v_t / (1 − β₂ᵗ)
 *   θ_t = θ_{t−1} − η_t m̂_t / (√v̂_t + ε)
 * </pre>
 * State: {@code m/<key>}, {@code v/<key>} and the update count {@code t} (a scalar).
 */
public final class Adam implements Optimizer {
    /** Default β₁. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** Default β₂. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** Default ε. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> v = new LinkedHashMap<>();
    private long t;

    /** Decay rates {@code 0 ≤ β < 1} and {@code ε > 0}. */
    public Adam(double beta1, double beta2, double epsilon) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("adam needs 0 <= beta1, beta2 < 1 and epsilon > 0, got beta1="
                    + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public String name() {
        return "adam";
    }

    /** Number of updates done so far. */
    public long updates() {
        return t;
    }

    @Override
    public void step(Map<String, Tensor> params, Map<String, Tensor> grads, double learningRate) {
        Optimizer.checkGradients(params, grads);
        t++;
        double c1 = 1.0 / (1.0 - Math.pow(beta1, t));
        double c2 = 1.0 / (1.0 - Math.pow(beta2, t));
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            double[] p = e.getValue().data();
            double[] g = grads.get(e.getKey()).data();
            double[] ma = m.computeIfAbsent(e.getKey(), k -> Tensor.zeros(e.getValue().shape())).data();
            double[] va = v.computeIfAbsent(e.getKey(), k -> Tensor.zeros(e.getValue().shape())).data();
            for (int i = 0; i < p.length; i++) {
                ma[i] = beta1 * ma[i] + (1 - beta1) * g[i];
                va[i] = beta2 * va[i] + (1 - beta2) * g[i] * g[i];
                p[i] -= learningRate * (ma[i] * c1) / (Math.sqrt(va[i] * c2) + epsilon);
            }
        }
    }

    @Override
    public LinkedHashMap<String, Tensor> state() {
        LinkedHashMap<String, Tensor> s = new LinkedHashMap<>();
        s.put("t", Tensor.scalar(t));
        m.forEach((k, a) -> s.put("m/" + k, a.copy()));
        v.forEach((k, a) -> s.put("v/" + k, a.copy()));
        return s;
    }

    @Override
    public void restore(Map<String, Tensor> state) {
        m.clear();
        v.clear();
        t = 0;
        state.forEach((k, a) -> {
            if (k.equals("t")) {
                t = (long) a.item();
            } else if (k.startsWith("m/")) {
                m.put(k.substring(2), a.copy());
            } else if (k.startsWith("v/")) {
                v.put(k.substring(2), a.copy());
            } else {
                throw new IllegalArgumentException("unexpected adam state entry '" + k + "'");
            }
        });
    }
}
