package org.ntkworkbench.model;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.model.empirical.EmpiricalNngp;
import org.ntkworkbench.model.empirical.EmpiricalNtk;
import org.ntkworkbench.model.empirical.MonteCarloKernel;
import org.ntkworkbench.model.empirical.NtkMethod;
import org.ntkworkbench.model.empirical.OutputAxes;
import org.ntkworkbench.nn.Graphs;
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
     * {@code net.empiricalNtk(params, x1, x2, method: 'structured', traceAxes: [], diagonalAxes: [])} (Groovy
     * named arguments; {@code x2} may be omitted or null): {@code method} one of {@link NtkMethod} (see
     * {@link NtkMethod#named}; default auto); {@code traceAxes} / {@code diagonalAxes} as neural-tangents'
     * {@code trace_axes} / {@code diagonal_axes} ({@link OutputAxes}; default: every output axis traced, the
     * {@code (n1, n2)} mean over output units); {@code maskConstant} as neural-tangents' {@code mask_constant}
     * (the Jacobians of the masked network, {@link Layer#masked}); {@code pattern} the per-example graphs of
     * {@code aggregate()} (one array with x2 omitted, else {@code [A1, A2]}; neural-tangents' {@code pattern}).
     */
    public static Tensor empiricalNtk(Layer net, Map<String, ?> options, Map<String, Tensor> params, Tensor x1, Tensor x2) {
        allowOnly("empiricalNtk", options, "method", "traceAxes", "diagonalAxes", "maskConstant", "pattern");
        OutputAxes axes = axes(net, options, x1);
        Graphs.Bound b = bound(net, "empiricalNtk", options, x1, x2);
        return EmpiricalNtk.ntk(b.net(), params, b.x1(), b.x2(), NtkMethod.named(options.get("method")), axes);
    }

    /** {@link #empiricalNtk(Layer, Map, Map, Tensor, Tensor)} of {@code x} with itself. */
    public static Tensor empiricalNtk(Layer net, Map<String, ?> options, Map<String, Tensor> params, Tensor x) {
        return empiricalNtk(net, options, params, x, null);
    }

    /**
     * The empirical NNGP of one finite network, {@code f(x1) f(x2)ᵀ / k} ({@link EmpiricalNngp#of}); symmetric to
     * the last bit with {@code x2} omitted.
     */
    public static Tensor empiricalNngp(Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2) {
        return EmpiricalNngp.of(net, params, x1, x2);
    }

    /** {@link #empiricalNngp(Layer, Map, Tensor, Tensor)} of {@code x} with itself. */
    public static Tensor empiricalNngp(Layer net, Map<String, Tensor> params, Tensor x) {
        return EmpiricalNngp.of(net, params, x, null);
    }

    /** {@code net.empiricalNngp(params, x1, x2, traceAxes:, diagonalAxes:)}: the output products reduced as {@link OutputAxes}. */
    public static Tensor empiricalNngp(Layer net, Map<String, ?> options, Map<String, Tensor> params, Tensor x1, Tensor x2) {
        allowOnly("empiricalNngp", options, "traceAxes", "diagonalAxes", "maskConstant", "pattern");
        OutputAxes axes = axes(net, options, x1);
        Graphs.Bound b = bound(net, "empiricalNngp", options, x1, x2);
        return EmpiricalNngp.of(b.net(), params, b.x1(), b.x2(), axes);
    }

    /** {@link #empiricalNngp(Layer, Map, Map, Tensor, Tensor)} of {@code x} with itself. */
    public static Tensor empiricalNngp(Layer net, Map<String, ?> options, Map<String, Tensor> params, Tensor x) {
        return empiricalNngp(net, options, params, x, null);
    }

    /**
     * {@code net.monteCarloKernel(x1, x2, seeds: 16, get: ['nngp', 'ntk'], method:, traceAxes:, diagonalAxes:)}:
     * neural-tangents' Monte Carlo kernel, the empirical kernels averaged over initialisations with standard
     * errors ({@link MonteCarloKernel}). {@code seeds} is a count n (seeds 0…n−1, default 8) or a list of seeds.
     */
    public static MonteCarloKernel.Result monteCarloKernel(Layer net, Map<String, ?> options, Tensor x1, Tensor x2) {
        allowOnly("monteCarloKernel", options, "seeds", "get", "method", "traceAxes", "diagonalAxes", "maskConstant", "pattern");
        Object get = options.get("get");
        List<?> wanted = get == null ? List.of("nngp", "ntk") : get instanceof List<?> l ? l : List.of(get);
        for (Object w : wanted) {
            if (!"nngp".equals(String.valueOf(w)) && !"ntk".equals(String.valueOf(w))) {
                throw new IllegalArgumentException("monteCarloKernel: get: '" + w + "' is not a kernel; use 'nngp', 'ntk' or both");
            }
        }
        boolean nngp = wanted.stream().anyMatch(w -> "nngp".equals(String.valueOf(w)));
        boolean ntk = wanted.stream().anyMatch(w -> "ntk".equals(String.valueOf(w)));
        OutputAxes axes = axes(net, options, x1);
        Graphs.Bound b = bound(net, "monteCarloKernel", options, x1, x2);
        return MonteCarloKernel.of(b.net(), b.x1(), b.x2(), seeds(options.get("seeds")), nngp, ntk,
                NtkMethod.named(options.get("method")), axes);
    }

    /** {@link #monteCarloKernel(Layer, Map, Tensor, Tensor)} of {@code x} with itself. */
    public static MonteCarloKernel.Result monteCarloKernel(Layer net, Map<String, ?> options, Tensor x) {
        return monteCarloKernel(net, options, x, null);
    }

    /** {@link #monteCarloKernel(Layer, Map, Tensor, Tensor)} with the default options (8 seeds, both kernels). */
    public static MonteCarloKernel.Result monteCarloKernel(Layer net, Tensor x1, Tensor x2) {
        return monteCarloKernel(net, Map.of(), x1, x2);
    }

    /** {@link #monteCarloKernel(Layer, Map, Tensor, Tensor)} of {@code x} with itself, default options. */
    public static MonteCarloKernel.Result monteCarloKernel(Layer net, Tensor x) {
        return monteCarloKernel(net, Map.of(), x, null);
    }

    private static long[] seeds(Object v) {
        if (v == null) {
            v = 8;
        }
        if (v instanceof Number n) {
            if (n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 1) {
                throw new IllegalArgumentException("monteCarloKernel: seeds must be a positive count or a list of seeds, got " + v);
            }
            long[] s = new long[n.intValue()];
            for (int i = 0; i < s.length; i++) {
                s[i] = i;
            }
            return s;
        }
        if (v instanceof Iterable<?> it) {
            List<Long> list = new java.util.ArrayList<>();
            for (Object o : it) {
                if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new IllegalArgumentException("monteCarloKernel: seeds must be integers, got " + o);
                }
                list.add(n.longValue());
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("monteCarloKernel: seeds is an empty list");
            }
            return list.stream().mapToLong(Long::longValue).toArray();
        }
        throw new IllegalArgumentException("monteCarloKernel: seeds must be a positive count or a list of seeds, got " + v);
    }

    private static OutputAxes axes(Layer net, Map<String, ?> options, Tensor x1) {
        if (!options.containsKey("traceAxes") && !options.containsKey("diagonalAxes")) {
            return OutputAxes.ALL_TRACED;
        }
        if (x1 == null || x1.rank() < 2) {
            throw new IllegalArgumentException("empirical kernel: x1 needs an example axis and a feature axis");
        }
        int m = net.modelOutputShape(java.util.Arrays.copyOfRange(x1.shape(), 1, x1.rank())).length;
        return OutputAxes.of(options.get("traceAxes"), options.get("diagonalAxes"), m);
    }

    /**
     * {@code net} with neural-tangents' {@code mask_constant} when the options give {@code maskConstant:}
     * ({@link Layer#masked}: the empirical kernels of the masked finite network), else {@code net}.
     */
    private static Layer masked(Layer net, String what, Map<String, ?> options) {
        Double c = org.ntkworkbench.nn.Masking.constant(what, options.get("maskConstant"));
        return c == null ? net : net.masked(c);
    }

    /**
     * {@code net} and its inputs with the options' {@code maskConstant:} ({@link #masked}) and {@code pattern:}
     * (neural-tangents' per-example {@code pattern}, one array for x1 = x2 or {@code [A1, A2]}): with graphs, the
     * inputs carry each example's graph ({@link Graphs#bind}), so every empirical method (per-example Jacobians,
     * traces, vector products) reads the right graph for each example.
     */
    private static Graphs.Bound bound(Layer net, String what, Map<String, ?> options, Tensor x1, Tensor x2) {
        boolean itself = x2 == null || x2 == x1;
        Tensor[] p = Graphs.option(what, options.get("pattern"), itself);
        if (p == null) {
            return new Graphs.Bound(masked(net, what, options), x1, x2);
        }
        return Graphs.bind(net, org.ntkworkbench.nn.Masking.constant(what, options.get("maskConstant")), x1, p[0],
                itself ? null : x2, p[1]);
    }

    private static void allowOnly(String what, Map<String, ?> options, String... names) {
        for (String k : options.keySet()) {
            if (!List.of(names).contains(k)) {
                throw new IllegalArgumentException(what + ": unknown option '" + k + "' (known: " + String.join(", ", names) + ")");
            }
        }
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
