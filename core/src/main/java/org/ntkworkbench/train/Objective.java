package org.ntkworkbench.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * What a {@link Trainer} minimises: a loss over a fixed training set of {@link #size()} examples as a
 * function of named parameters, with its gradient. A network plus a {@link Loss} implements it through
 * autodiff; {@link LinearRegressionObjective} is a closed-form example.
 *
 * <p>Contract of {@link #lossAndGradient}: the value is the loss of the batch made of the examples
 * {@code batchRows} (indices into the training set; the full set is {@code 0..size()-1} in order), with
 * the normalisation of the loss ({@code mse} divides by the batch size). On return {@code gradOut}
 * holds, for every key of {@code params}, a tensor of that parameter's shape with {@code ∂loss/∂θ}.
 * The trainer passes {@code gradOut} pre-filled with tensors of the right shapes, which the
 * implementation may overwrite in place (preferred: no allocation) or replace with {@code put}. The
 * implementation must not modify {@code params} and must be deterministic (same bits for the same
 * inputs), so that resumed runs reproduce uninterrupted ones.
 */
public interface Objective {

    /** Number of training examples. */
    int size();

    /** Loss of the batch {@code batchRows} at {@code params}; writes the gradient into {@code gradOut}. */
    double lossAndGradient(Map<String, Tensor> params, int[] batchRows, Map<String, Tensor> gradOut);

    /**
     * The same for training step {@code step} of a run seeded {@code seed}: objectives with randomness
     * of their own (dropout masks) draw it from these two numbers, so a resumed run reproduces an
     * uninterrupted one. The default ignores them.
     */
    default double lossAndGradient(Map<String, Tensor> params, int[] batchRows, Map<String, Tensor> gradOut,
                                   long seed, long step) {
        return lossAndGradient(params, batchRows, gradOut);
    }

    /** Loss of the batch without the gradient; the default computes (and discards) the gradient too. */
    default double loss(Map<String, Tensor> params, int[] batchRows) {
        Map<String, Tensor> scratch = new LinkedHashMap<>();
        params.forEach((k, v) -> scratch.put(k, Tensor.zeros(v.shape())));
        return lossAndGradient(params, batchRows, scratch);
    }

    /** The rows {@code 0..n-1}: the full batch. */
    static int[] allRows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }
}
