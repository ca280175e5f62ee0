package org.ntkworkbench.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * A first-order update rule over a map of named parameters, applied in place:
 * {@code step(θ, ∇L(θ), η)} overwrites the data of the parameter tensors.
 *
 * <p>An optimizer may carry state (moments, a step count). {@link #state()} exports it as named tensors
 * and {@link #restore} reads it back, so that a checkpointed run resumes bit for bit.
 *
 * <p>Implementations: {@link #gd()} and {@link #sgd()} ({@code θ ← θ − η g}; {@code gd} insists on full
 * batches), {@link #momentum(double)} (heavy ball) and {@link #adam(double, double, double)}.
 */
public interface Optimizer {

    /** The name used by the CLI and DSL ({@code gd}, {@code sgd}, {@code momentum}, {@code adam}). */
    String name();

    /** Whether the rule is only defined on the full training set (as {@code gd} is). */
    default boolean fullBatchOnly() {
        return false;
    }

    /** One update of {@code params} in place from the gradients {@code grads} (same keys and shapes). */
    void step(Map<String, Tensor> params, Map<String, Tensor> grads, double learningRate);

    /** The optimizer state as named tensors (copies), empty for stateless rules. */
    LinkedHashMap<String, Tensor> state();

    /** Restores a state exported by {@link #state()} (copies it in). */
    void restore(Map<String, Tensor> state);

    /** Full-batch gradient descent {@code θ ← θ − η ∇L(θ)}. */
    static Optimizer gd() {
        return new GradientDescent("gd", true);
    }

    /** Mini-batch stochastic gradient descent {@code θ ← θ − η g_B}. */
    static Optimizer sgd() {
        return new GradientDescent("sgd", false);
    }

    /** Heavy-ball momentum {@code v ← μ v + g, θ ← θ − η v} (see {@link Momentum}). */
    static Optimizer momentum(double mu) {
        return new Momentum(mu);
    }

    /** Adam (Kingma and Ba 2015) with bias correction (see {@link Adam}). */
    static Optimizer adam(double beta1, double beta2, double epsilon) {
        return new Adam(beta1, beta2, epsilon);
    }

    /** By name with default hyper-parameters: momentum μ = 0.9; adam β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
    static Optimizer byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "gd" -> gd();
            case "sgd" -> sgd();
            case "momentum" -> momentum(Momentum.DEFAULT_MU);
            case "adam" -> adam(Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name
                    + "'; expected gd, sgd, momentum or adam");
        };
    }

    /** Checks that {@code grads} has a tensor of the same shape for every parameter. */
    static void checkGradients(Map<String, Tensor> params, Map<String, Tensor> grads) {
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor g = grads.get(e.getKey());
            if (g == null || !g.sameShape(e.getValue())) {
                throw new IllegalArgumentException("gradient of parameter '" + e.getKey() + "' is "
                        + (g == null ? "missing" : g.shapeString()) + ", expected " + e.getValue().shapeString());
            }
        }
    }

    /** Deep copy of a tensor map, preserving order. */
    static LinkedHashMap<String, Tensor> copyOf(Map<String, Tensor> tensors) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }
}
