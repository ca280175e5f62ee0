package org.ntkworkbench.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.tensor.Tensor;

/**
 * Everything a forward pass needs besides its inputs: the parameters (as {@link Var}s, so gradients
 * and tangents flow through them), the mode (evaluation, or training with a dropout seed) and an
 * optional {@link Trace} that dense and conv layers record into. Immutable.
 */
public final class ApplyContext {
    private final Map<String, Var> params;
    private final boolean training;
    private final long seed;
    private final Trace trace;
    private final Tensor pattern;

    private ApplyContext(Map<String, Var> params, boolean training, long seed, Trace trace, Tensor pattern) {
        this.params = params;
        this.training = training;
        this.seed = seed;
        this.trace = trace;
        this.pattern = pattern;
    }

    /** Evaluation mode: dropout is the identity. */
    public static ApplyContext eval(Map<String, Var> params) {
        return new ApplyContext(params, false, 0L, null, null);
    }

    /** Training mode: dropout masks are drawn from {@code SeededRandom.derived(seed, layerPath)}. */
    public static ApplyContext train(Map<String, Var> params, long seed) {
        return new ApplyContext(params, true, seed, null, null);
    }

    /**
     * A training-mode copy with dropout seed {@code seed}, keeping the parameters and trace (e.g. to take
     * empirical kernels of the training-mode network).
     */
    public ApplyContext training(long seed) {
        return new ApplyContext(params, true, seed, trace, pattern);
    }

    /** A copy that records dense/conv activations into {@code trace}. */
    public ApplyContext withTrace(Trace t) {
        return new ApplyContext(params, training, seed, t, pattern);
    }

    /**
     * A copy carrying the per-example graphs of the batch being applied (neural-tangents' {@code pattern} keyword of
     * {@code apply_fn}): {@code (n, V, V)} or {@code (n, X…, X…)}, example i's adjacency at index i; a per-example
     * {@code aggregate()} reads it ({@link Aggregate}), every other layer ignores it.
     */
    public ApplyContext withPattern(Tensor p) {
        return new ApplyContext(params, training, seed, trace, p);
    }

    /** The per-example graphs of the batch, or {@code null}. */
    public Tensor pattern() {
        return pattern;
    }

    /** Leaf Vars (no tangents) for plain parameter tensors. */
    public static Map<String, Var> leaves(Map<String, Tensor> params) {
        Map<String, Var> vars = new LinkedHashMap<>();
        params.forEach((k, v) -> vars.put(k, Var.of(v)));
        return vars;
    }

    /**
     * The parameter {@code key}, checked to have {@code expectedShape}; throws
     * {@link IllegalArgumentException} naming the key when it is missing or has another shape.
     */
    public Var param(String key, int... expectedShape) {
        Var v = params.get(key);
        if (v == null) {
            throw new IllegalArgumentException("parameter '" + key + "' is missing from the parameters (keys: "
                    + params.keySet() + ")");
        }
        if (!Arrays.equals(v.shape(), expectedShape)) {
            throw new IllegalArgumentException("parameter '" + key + "' has shape " + Arrays.toString(v.shape())
                    + " but shape " + Arrays.toString(expectedShape) + " is expected");
        }
        return v;
    }

    /** True in training mode. */
    public boolean training() {
        return training;
    }

    /** The randomness seed of training mode (dropout). */
    public long seed() {
        return seed;
    }

    /** The trace being recorded, or {@code null}. */
    public Trace trace() {
        return trace;
    }
}
