package org.ntkworkbench.model.empirical;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.kernel.Symmetry;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Trace;
import org.ntkworkbench.tensor.Tensor;

/**
 * The empirical (finite-width) NTK {@code Θ(x1, x2) = J(x1) J(x2)ᵀ}, {@code J = ∂f/∂θ} over all
 * parameters, of a network at given parameters.
 *
 * <p><b>Output trace.</b> A network with {@code k} output units per example ({@code f(x)} flattened per
 * example) has a kernel per pair of units. With {@code trace = true} (the default, DESIGN.md) the
 * result is the {@code (n1, n2)} <em>mean</em> over output units,
 * {@code (1/k) Σ_o ⟨∂f_o(x1_e)/∂θ, ∂f_o(x2_e′)/∂θ⟩}, which converges to the per-output analytic kernel.
 * With {@code trace = false} it is the full {@code (n1·k, n2·k)} matrix, row/column {@code e·k + o}
 * for example {@code e}, output unit {@code o} (the Gram matrix of the rows of the flattened
 * Jacobian).
 *
 * <p><b>Symmetry.</b> With {@code x2} omitted ({@code null}, or the same tensor as {@code x1}) the
 * result is symmetric to the last bit: one triangle is computed and copied onto the other.
 *
 * <p>Methods: see {@link NtkMethod}. All evaluate the network in evaluation mode (dropout off).
 */
public final class EmpiricalNtk {
    private EmpiricalNtk() {}

    /** {@link #ntk(Layer, Map, Tensor, Tensor, NtkMethod, boolean)} with {@link NtkMethod#AUTO} and {@code trace = true}. */
    public static Tensor ntk(Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2) {
        return ntk(net, params, x1, x2, NtkMethod.AUTO, true);
    }

    /**
     * The empirical NTK of {@code net} at {@code params} between the batches {@code x1 (n1, …)} and
     * {@code x2 (n2, …)} ({@code null}: {@code x2 = x1}), by {@code method}; {@code (n1, n2)} with
     * {@code trace}, else {@code (n1·k, n2·k)}.
     */
    public static Tensor ntk(Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2, NtkMethod method,
                             boolean trace) {
        EmpiricalInputs.checkArguments(net, params, x1, x2);
        if (method == null) {
            throw new IllegalArgumentException("empirical NTK: method is null (use AUTO)");
        }
        boolean sym = x2 == null || x2 == x1;
        if (method == NtkMethod.NTK_VECTOR_PRODUCTS) {
            return NtkOperator.of(net, params, x1, sym ? null : x2).ntk(trace);
        }
        int n1 = x1.dim(0), n2 = sym ? n1 : x2.dim(0);
        int k = EmpiricalInputs.outputsPerExample(net, x1);
        if (!sym && EmpiricalInputs.outputsPerExample(net, x2) != k) {
            throw new IllegalArgumentException("x1 " + x1.shapeString() + " and x2 " + x2.shapeString()
                    + " give different numbers of outputs per example");
        }
        int m1 = trace ? n1 : n1 * k, m2 = trace ? n2 : n2 * k;
        double[] out = new double[Math.multiplyExact(m1, m2)];
        List<String> jacobianKeys = new ArrayList<>(params.keySet());
        if (method != NtkMethod.JACOBIAN_CONTRACTION) {
            Trace t1 = net.trace(params, x1);
            List<String> uncovered = StructuredNtk.uncoveredKeys(t1, params);
            if (method == NtkMethod.STRUCTURED_DERIVATIVES || uncovered.isEmpty()) {
                Trace t2 = sym ? null : net.trace(params, x2);
                if (t2 != null) {
                    // x2 may trace differently only in row counts; keys are the same, but be safe.
                    List<String> u2 = StructuredNtk.uncoveredKeys(t2, params);
                    for (String key : u2) {
                        if (!uncovered.contains(key)) {
                            uncovered.add(key);
                        }
                    }
                }
                StructuredNtk.addInto(t1, t2, n1, n2, k, trace, out, uncovered);
                jacobianKeys = uncovered;
            }
        }
        if (!jacobianKeys.isEmpty()) {
            Jacobian j1 = Jacobian.of(net, params, x1, jacobianKeys);
            Jacobian j2 = sym ? null : Jacobian.of(net, params, x2, jacobianKeys);
            j1.contractInto(j2, trace, out);
        }
        if (trace && k > 1) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= k;
            }
        }
        if (sym) {
            Symmetry.mirrorUpper(out, m1);
        }
        return Tensor.of(out, m1, m2);
    }

    /**
     * The empirical NTK with neural-tangents' {@code trace_axes} / {@code diagonal_axes} ({@link OutputAxes}):
     * {@link OutputAxes#ALL_TRACED} is {@link #ntk(Layer, Map, Tensor, Tensor, NtkMethod, boolean)} with
     * {@code trace = true}; otherwise the full per-output kernel reduced to the requested axes (shape
     * {@link OutputAxes#shape}; symmetric to the last bit when {@code x2} is omitted).
     */
    public static Tensor ntk(Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2, NtkMethod method, OutputAxes axes) {
        EmpiricalInputs.checkArguments(net, params, x1, x2);
        int[] s = net.modelOutputShape(EmpiricalInputs.perExample(x1));
        if (axes == null || axes.allTraced(s.length)) {
            return ntk(net, params, x1, x2, method, true);
        }
        boolean sym = x2 == null || x2 == x1;
        Tensor full = ntk(net, params, x1, x2, method, false);
        return axes.reduce(full.data(), x1.dim(0), sym ? x1.dim(0) : x2.dim(0), s, sym);
    }

    /**
     * Peak bytes of {@code arrays} (1 or 2: NTK and/or NNGP) empirical kernels of {@code net} at
     * {@code params} between {@code n1} and {@code n2} examples shaped like {@code x}, by
     * {@link NtkMethod#AUTO}, for the {@link org.ntkworkbench.memory.MemoryPlanner}: the
     * {@code (n1, n2)} results, two scratch arrays of that size (the structured method's Gram and
     * Hadamard factors), the traced activations and backward signals (about
     * {@code (n1 + n2)·(k + 1)·4·√P} values for dense layers of width {@code √P}), and when a parameter
     * falls back to Jacobian contraction the Jacobians {@code (n1 + n2)·k·P}. Rows scale linearly, so
     * {@code estimate / n1} is the cost of one more row of x1.
     */
    public static long estimateBytes(Layer net, Map<String, Tensor> params, Tensor x, int n1, int n2, int arrays) {
        int k = EmpiricalInputs.outputsPerExample(net, x);
        long p = 0;
        for (Tensor t : params.values()) {
            p += t.size();
        }
        double kernels = 8.0 * n1 * n2 * (arrays + 2);
        double activations = 8.0 * (n1 + (double) n2) * (k + 1) * 4 * Math.sqrt(p);
        double jacobians = 0;
        if (n1 > 0 && autoMethod(net, params, x.rowRange(0, 1)) == NtkMethod.JACOBIAN_CONTRACTION) {
            jacobians = 8.0 * (n1 + (double) n2) * k * p;
        }
        double total = kernels + activations + jacobians;
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) total;
    }

    /**
     * The method {@link NtkMethod#AUTO} resolves to for this network and parameters:
     * {@link NtkMethod#STRUCTURED_DERIVATIVES} when every parameter belongs to a dense or conv layer
     * used once, else {@link NtkMethod#JACOBIAN_CONTRACTION}.
     */
    public static NtkMethod autoMethod(Layer net, Map<String, Tensor> params, Tensor x) {
        EmpiricalInputs.checkArguments(net, params, x, null);
        return StructuredNtk.uncoveredKeys(net.trace(params, x), params).isEmpty()
                ? NtkMethod.STRUCTURED_DERIVATIVES : NtkMethod.JACOBIAN_CONTRACTION;
    }

    /**
     * The per-example Jacobian {@code J[(e, o), θ] = ∂f_o(x_e)/∂θ}, shape {@code (n·k, P)}: row
     * {@code e·k + o}; columns are the parameters in the map's key order, each flattened row-major.
     */
    public static Tensor jacobian(Layer net, Map<String, Tensor> params, Tensor x) {
        EmpiricalInputs.checkArguments(net, params, x, null);
        return Jacobian.of(net, params, x, new ArrayList<>(params.keySet())).toTensor();
    }

    /**
     * The seed-averaged empirical NTK: for each seed, parameters {@code net.init(seed, x1's per-example
     * shape)} and the output-traced kernel by {@code method}; returns the elementwise mean and its
     * standard error over seeds (symmetric to the last bit when {@code x2 == null}).
     */
    public static KernelEstimate seedAverage(Layer net, Tensor x1, Tensor x2, long[] seeds, NtkMethod method) {
        if (seeds == null || seeds.length == 0) {
            throw new IllegalArgumentException("seed-averaged empirical NTK: no seeds given");
        }
        KernelEstimate.Accumulator acc = new KernelEstimate.Accumulator();
        for (long seed : seeds) {
            Map<String, Tensor> params = net.init(seed, EmpiricalInputs.perExample(x1));
            acc.add(ntk(net, params, x1, x2, method, true));
        }
        return acc.result();
    }
}
