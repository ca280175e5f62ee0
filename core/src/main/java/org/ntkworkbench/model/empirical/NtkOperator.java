package org.ntkworkbench.model.empirical;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.ntkworkbench.kernel.Symmetry;
import org.ntkworkbench.autodiff.Jvp;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.autodiff.Vjp;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * The empirical NTK as an implicit operator, {@code v ↦ Θ(x1, x2) v = J1 (J2ᵀ v)}, without forming
 * {@code Θ} or {@code J}: one reverse-mode pass through {@code f(x2)} (its forward graph is recorded
 * once, here) and one forward-mode pass through {@code f(x1)} per product. Memory {@code O(n·k + P)};
 * for iterative solvers (conjugate gradients, Lanczos) and large {@code n}.
 *
 * <p>Shapes: {@code n1}, {@code n2} examples, {@code k} output units per example (the network output
 * flattened per example). {@link #apply} takes {@code (n2, k)} (the full kernel over (example, output)
 * pairs) or {@code (n2)} (the output-traced kernel, the mean over output units). Thread-safe.
 */
public final class NtkOperator {
    private final Layer net;
    private final Map<String, Tensor> params;
    private final Tensor x1;
    private final Tensor x2;
    private final boolean symmetric;
    private final int n1;
    private final int n2;
    private final int k;
    private final Map<String, Var> leaves2;
    private final Var out2;

    private NtkOperator(Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2) {
        EmpiricalInputs.checkArguments(net, params, x1, x2);
        this.net = net;
        this.params = new LinkedHashMap<>(params);
        this.symmetric = x2 == null || x2 == x1;
        this.x1 = x1;
        this.x2 = symmetric ? x1 : x2;
        this.n1 = x1.dim(0);
        this.n2 = this.x2.dim(0);
        this.k = EmpiricalInputs.outputsPerExample(net, x1);
        if (EmpiricalInputs.outputsPerExample(net, this.x2) != k) {
            throw new IllegalArgumentException("x1 " + x1.shapeString() + " and x2 " + this.x2.shapeString()
                    + " give different numbers of outputs per example");
        }
        this.leaves2 = ApplyContext.leaves(this.params);
        this.out2 = net.apply(ApplyContext.eval(leaves2), Var.of(this.x2));
    }

    /** The operator {@code Θ(x1, x2)}; {@code x2 == null} means {@code x2 = x1}. */
    public static NtkOperator of(Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2) {
        return new NtkOperator(net, params, x1, x2);
    }

    /** The operator {@code Θ(x, x)}. */
    public static NtkOperator of(Layer net, Map<String, Tensor> params, Tensor x) {
        return new NtkOperator(net, params, x, null);
    }

    /** Number of examples of {@code x1} (rows of the traced kernel). */
    public int rows() {
        return n1;
    }

    /** Number of examples of {@code x2} (columns of the traced kernel). */
    public int columns() {
        return n2;
    }

    /** Output units per example, {@code k}. */
    public int outputsPerExample() {
        return k;
    }

    /**
     * {@code Θ v}: for {@code v} of shape {@code (n2, k)} the full product
     * {@code (Θv)[e, o] = Σ_{e′,o′} Θ_{oo′}(x1_e, x2_e′) v[e′, o′]}, shape {@code (n1, k)}; for {@code v}
     * of shape {@code (n2)} the output-traced product {@code (1/k) Σ_o Σ_{e′} Θ_{oo}(x1_e, x2_e′) v[e′]},
     * shape {@code (n1)} ({@code k} VJP+JVP pairs).
     */
    public Tensor apply(Tensor v) {
        if (v.rank() == 2 && v.dim(0) == n2 && v.dim(1) == k) {
            return full(v);
        }
        if (v.rank() == 1 && v.dim(0) == n2) {
            double[] acc = new double[n1];
            for (int o = 0; o < k; o++) {
                Tensor vo = Tensor.zeros(n2, k);
                for (int e = 0; e < n2; e++) {
                    vo.data()[e * k + o] = v.data()[e];
                }
                double[] r = full(vo).data();
                for (int e = 0; e < n1; e++) {
                    acc[e] += r[e * k + o];
                }
            }
            for (int e = 0; e < n1; e++) {
                acc[e] /= k;
            }
            return Tensor.of(acc, n1);
        }
        throw new IllegalArgumentException("NTK operator: v of shape " + v.shapeString() + " is neither (" + n2
                + ", " + k + ") nor (" + n2 + ")");
    }

    /** {@code J1 (J2ᵀ v)} for {@code v (n2, k)}: one VJP through the recorded {@code f(x2)}, one JVP through {@code f(x1)}. */
    private Tensor full(Tensor v) {
        Map<String, Tensor> jtv = Vjp.pull(out2, v.reshape(out2.shape()), leaves2);
        Function<Map<String, Var>, Var> f1 = m -> net.apply(ApplyContext.eval(m), Var.of(x1));
        return Jvp.of(f1, params, jtv).tangent().reshape(n1, k);
    }

    /**
     * The whole kernel from {@code n2·k} products with unit vectors (columns in parallel): with
     * {@code trace} the {@code (n1, n2)} mean over output units, else the full {@code (n1·k, n2·k)} with
     * row {@code e·k + o}. Slow (a VJP and a JVP per column); meant for testing the other methods.
     * Symmetric to the last bit when {@code x2 = x1} (the upper triangle is copied to the lower).
     */
    public Tensor ntk(boolean trace) {
        int m1 = trace ? n1 : n1 * k, m2 = trace ? n2 : n2 * k;
        double[] out = new double[m1 * m2];
        // One task per example of x2: its k columns, so that traced sums are written by one task only.
        ParallelBlocks.forEach(n2, e2 -> {
            double[] traced = trace ? new double[n1] : null;
            for (int o2 = 0; o2 < k; o2++) {
                int col = e2 * k + o2;
                Tensor unit = Tensor.zeros(n2, k);
                unit.data()[col] = 1.0;
                double[] r = full(unit).data(); // column (e2, o2) of the full kernel, as (n1, k)
                if (trace) {
                    for (int e = 0; e < n1; e++) {
                        traced[e] += r[e * k + o2];
                    }
                } else {
                    for (int i = 0; i < n1 * k; i++) {
                        out[i * m2 + col] = r[i];
                    }
                }
            }
            if (trace) {
                for (int e = 0; e < n1; e++) {
                    out[e * m2 + e2] = traced[e] / k;
                }
            }
        });
        if (symmetric) {
            Symmetry.mirrorUpper(out, m1);
        }
        return Tensor.of(out, m1, m2);
    }
}
