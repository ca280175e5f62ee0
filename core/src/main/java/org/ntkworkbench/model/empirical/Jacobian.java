package org.ntkworkbench.model.empirical;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Backprop;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * Per-example Jacobians {@code J[(e, o), θ] = ∂f_o(x_e)/∂θ} of a network, for the parameters
 * {@code keys} (concatenated in that order, each flattened row-major), stored as column panels of at
 * most {@link #PANEL} parameters so that every BLAS call copies a bounded block.
 *
 * <p>Row {@code e·k + o} holds example {@code e}, output unit {@code o} ({@code f(x_e)} flattened
 * row-major). Built by one forward pass per example (batch of one) and one reverse-mode pass per output
 * unit, examples in parallel. A panel {@code (n·k, w)} is also the row-major {@code (n, k·w)} matrix
 * whose rows concatenate an example's output units, which is how the output trace is contracted.
 */
final class Jacobian {
    /** Columns (parameters) per panel. */
    static final int PANEL = 8192;

    final int n;
    final int k;
    final int columns;
    final double[][] panels;
    final int[] panelWidth;

    private Jacobian(int n, int k, int columns) {
        this.n = n;
        this.k = k;
        this.columns = columns;
        int count = (columns + PANEL - 1) / PANEL;
        panels = new double[count][];
        panelWidth = new int[count];
        for (int p = 0; p < count; p++) {
            panelWidth[p] = Math.min(PANEL, columns - p * PANEL);
            panels[p] = new double[n * k * panelWidth[p]];
        }
    }

    /** The Jacobian of {@code net} at {@code params} on the batch {@code x} with respect to {@code keys}. */
    static Jacobian of(Layer net, Map<String, Tensor> params, Tensor x, List<String> keys) {
        int n = x.dim(0);
        int k = EmpiricalInputs.outputsPerExample(net, x);
        long columns = 0;
        int[] offsets = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            Tensor p = params.get(keys.get(i));
            if (p == null) {
                throw new IllegalArgumentException("parameter '" + keys.get(i) + "' is missing from the parameters");
            }
            offsets[i] = (int) columns;
            columns += p.size();
        }
        long bytes = 8L * n * k * columns;
        if (columns > Integer.MAX_VALUE || (long) n * k * PANEL > Integer.MAX_VALUE - 8
                || bytes > Runtime.getRuntime().maxMemory() * 0.8) {
            throw new IllegalArgumentException(String.format(
                    "the Jacobian of %d examples x %d outputs x %d parameters needs %.2f GB, more than this JVM "
                            + "can hold; use STRUCTURED_DERIVATIVES or NTK_VECTOR_PRODUCTS", n, k, columns, bytes / 1e9));
        }
        Jacobian jac = new Jacobian(n, k, (int) columns);
        ParallelBlocks.forEach(n, e -> {
            Map<String, Var> leaves = ApplyContext.leaves(params);
            List<Var> wrt = new ArrayList<>(keys.size());
            for (String key : keys) {
                wrt.add(leaves.get(key));
            }
            Var out = net.apply(ApplyContext.eval(leaves), Var.of(x.rowRange(e, e + 1)));
            if (out.value().size() != k) {
                throw new IllegalStateException("network gave " + out.value().size() + " outputs per example, "
                        + "shape inference said " + k);
            }
            for (int o = 0; o < k; o++) {
                Tensor cot = Tensor.zeros(out.shape());
                cot.data()[o] = 1.0;
                Map<Var, Tensor> g = Backprop.vjp(out, cot, wrt);
                for (int i = 0; i < wrt.size(); i++) {
                    jac.putRow(e * k + o, offsets[i], g.get(wrt.get(i)).data());
                }
            }
        });
        return jac;
    }

    /** Copies {@code values} into row {@code row} from column {@code col} on, across panels. */
    private void putRow(int row, int col, double[] values) {
        int done = 0;
        while (done < values.length) {
            int c = col + done;
            int p = c / PANEL, within = c % PANEL;
            int len = Math.min(panelWidth[p] - within, values.length - done);
            System.arraycopy(values, done, panels[p], row * panelWidth[p] + within, len);
            done += len;
        }
    }

    /** The whole Jacobian as one {@code (n·k, P)} tensor. */
    Tensor toTensor() {
        double[] all = new double[Math.multiplyExact(n * k, columns)];
        for (int p = 0; p < panels.length; p++) {
            int w = panelWidth[p];
            for (int r = 0; r < n * k; r++) {
                System.arraycopy(panels[p], r * w, all, r * columns + p * PANEL, w);
            }
        }
        return Tensor.of(all, n * k, columns);
    }

    /**
     * Adds {@code J1 J2ᵀ} into {@code out}: with {@code trace} the {@code (n1, n2)} sum over output units
     * {@code Σ_o J1[(e,o)]·J2[(e′,o)]}, else the full {@code (n1·k, n2·k)} matrix; {@code b == null} means
     * {@code J2 = J1} (syrk: only the upper triangle is accumulated).
     */
    void contractInto(Jacobian b, boolean trace, double[] out) {
        Jacobian other = b == null ? this : b;
        if (other.columns != columns || other.k != k) {
            throw new IllegalArgumentException("Jacobians with different parameters cannot be contracted");
        }
        int m1 = trace ? n : n * k;
        int m2 = trace ? other.n : other.n * other.k;
        for (int p = 0; p < panels.length; p++) {
            int inner = trace ? k * panelWidth[p] : panelWidth[p];
            if (b == null) {
                Blas.syrkUpper(false, m1, inner, 1.0, panels[p], 1.0, out);
            } else {
                Blas.gemm(false, true, m1, m2, inner, 1.0, panels[p], 0, other.panels[p], 0, 1.0, out, 0);
            }
        }
    }
}
