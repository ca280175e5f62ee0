package org.ntkworkbench.model;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.model.empirical.EmpiricalNtk;
import org.ntkworkbench.model.empirical.NtkMethod;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * Model-level functions of a layer value, also reachable from Groovy as methods of every {@link Layer}
 * (a Groovy extension module, {@code META-INF/groovy/org.codehaus.groovy.runtime.ExtensionModule}):
 * scripts keep writing {@code net.empiricalNtk(p, x)} and {@code net.consistency(x, widths: [...])}
 * while {@code nn} itself knows nothing of empirical kernels (they sit above it, in {@code model}).
 */
public final class ModelExtensions {
    private ModelExtensions() {}

    /**
     * The empirical NTK of {@code net} at {@code params} between the batches {@code x1} and {@code x2}:
     * {@code (n1, n2)}, the mean over output units of {@code J(x1) J(x2)ᵀ}, by {@link NtkMethod#AUTO};
     * see {@link EmpiricalNtk} for methods and the full per-output kernel. {@code x2 = null} means
     * {@code x2 = x1} (symmetric to the last bit).
     */
    public static Tensor empiricalNtk(Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2) {
        return EmpiricalNtk.ntk(net, params, x1, x2, NtkMethod.AUTO, true);
    }

    /** {@link #empiricalNtk(Layer, Map, Tensor, Tensor)} with {@code x2 = x1}: symmetric to the last bit. */
    public static Tensor empiricalNtk(Layer net, Map<String, Tensor> params, Tensor x) {
        return empiricalNtk(net, params, x, null);
    }

    /**
     * Finite ↔ infinite consistency (Groovy: {@code net.consistency(x, widths: [128, 512, 2048], seeds: 4)}):
     * the relative error of the seed-averaged empirical NTK/NNGP of {@code net} at each width against
     * its analytic kernels, and the fitted rate (about width^−½). See {@link Consistency}; the DSL word
     * {@code consistency} also plots it.
     */
    public static Consistency.Report consistency(Layer net, Map<String, ?> options, Tensor x) {
        Object w = options.get("widths");
        if (!(w instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("consistency needs widths: [w1, w2, ...]");
        }
        int[] widths = list.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
        Object seeds = options.containsKey("seeds") ? options.get("seeds") : 4;
        return Consistency.check(net, x, widths, ((Number) seeds).intValue());
    }
}
