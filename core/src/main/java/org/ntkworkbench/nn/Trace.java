package org.ntkworkbench.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Backprop;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * What the structured empirical NTK needs from a forward pass: for each dense or conv layer (a
 * "linear layer"), its input activations {@code h} and its pre-activations {@code z}, both as
 * matrices with example-major rows.
 *
 * <p>A linear layer computes {@code z = a · h W + c · b} on rows: dense rows are examples
 * ({@code h} is {@code (n, fanIn)}; for inputs with extra leading axes the rows are example×position);
 * conv rows are example×output-position and {@code h} holds the im2col patches
 * {@code (n·P, filterSize·inChannels)} matching {@code W} flattened to {@code (filterSize·inChannels, outChannels)}.
 * {@code a} is {@link Entry#weightScale()} ({@code wStd/√fanIn} in NTK parameterization, 1 in standard)
 * and {@code c} is {@link Entry#biasScale()}.
 *
 * <p>With {@code δ = ∂⟨u, f⟩/∂z} from {@link #deltas(Tensor)} (a single backward pass for an output
 * cotangent {@code u}), the parameter gradients are {@code ∂⟨u,f⟩/∂W = a hᵀ δ} and
 * {@code ∂⟨u,f⟩/∂b = c Σ_rows δ}; per example {@code e}, the contribution of one linear layer to
 * the NTK entry between examples {@code e, e'} is
 * {@code a² Σ_{p,p'} (h_{e,p}·h_{e',p'}) (δ_{e,p}·δ_{e',p'}) + c² (Σ_p δ_{e,p})·(Σ_{p'} δ_{e',p'})}
 * (for dense, one position per example). Record entries by running {@link Layer#trace}.
 */
public final class Trace {
    /**
     * One linear layer: its path and word, input rows {@code h} ({@code (rows, fanIn)}), pre-activation
     * rows {@code z} ({@code (rows, width)}), the number of rows per example, the weight and bias
     * scales, and whether it has a bias.
     */
    public record Entry(String path, String word, Var input, Var preActivation, int rowsPerExample,
                        double weightScale, double biasScale, boolean hasBias) {

        /** The input activations {@code h} as a tensor {@code (rows, fanIn)}. */
        public Tensor h() {
            return input.value();
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private Var output;

    /** Called by linear layers during a traced forward pass. */
    public void record(Entry entry) {
        entries.add(entry);
    }

    void setOutput(Var out) {
        this.output = out;
    }

    /** The recorded linear layers in forward order. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** The entry of the layer at {@code path}. */
    public Entry entry(String path) {
        for (Entry e : entries) {
            if (e.path().equals(path)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no dense or conv layer at path " + Params.displayPath(path) + " in this trace");
    }

    /** The network output {@code f(x)}. */
    public Var output() {
        return output;
    }

    /**
     * Pre-activation gradients {@code δ = ∂⟨u, f⟩/∂z} of every recorded layer for the output
     * cotangent {@code u} (shaped like the output), keyed by layer path; each is {@code (rows, width)}.
     */
    public Map<String, Tensor> deltas(Tensor cotangent) {
        List<Var> zs = new ArrayList<>();
        for (Entry e : entries) {
            zs.add(e.preActivation());
        }
        Map<Var, Tensor> g = Backprop.vjp(output, cotangent, zs);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            out.put(e.path(), g.get(e.preActivation()));
        }
        return out;
    }

    /**
     * Parameter gradients of {@code ⟨u, f⟩} reconstructed from {@code h} and {@code δ} alone
     * ({@code a hᵀδ} and {@code c Σ δ}, reshaped to the parameter shapes given by {@code params}).
     */
    public Map<String, Tensor> parameterGradients(Tensor cotangent, Map<String, Tensor> params) {
        Map<String, Tensor> deltas = deltas(cotangent);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            Tensor d = deltas.get(e.path());
            Tensor h = e.h();
            int rows = h.dim(0), fanIn = h.dim(1), width = d.dim(1);
            double[] gw = new double[fanIn * width];
            Blas.gemm(true, false, fanIn, width, rows, e.weightScale(), h.data(), d.data(), 0.0, gw);
            String wKey = Params.key(e.path(), "W");
            out.put(wKey, Tensor.of(gw, params.get(wKey).shape()));
            if (e.hasBias()) {
                out.put(Params.key(e.path(), "b"), d.sum(0).mul(e.biasScale()));
            }
        }
        return out;
    }
}
