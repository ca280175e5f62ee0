package org.ntkworkbench.autodiff

import java.util.function.Function
import org.ntkworkbench.tensor.Tensor

/**
 * Central finite differences of a scalar function of named tensors, compared with reverse mode.
 * The error is norm-wise over all entries: ‖g_ad − g_fd‖ / max(‖g_ad‖, ‖g_fd‖, 1e−300).
 */
class GradCheck {
    static final double H = 1e-5

    /** ∂f/∂inputs[k] by central differences, entry by entry. */
    static Map<String, Tensor> finiteDifferences(Function<Map<String, Tensor>, Double> f, Map<String, Tensor> inputs) {
        Map<String, Tensor> out = [:]
        inputs.each { k, v ->
            Tensor g = Tensor.zeros(v.shape())
            for (int i = 0; i < v.size(); i++) {
                double old = v.data()[i]
                v.data()[i] = old + H
                double plus = f.apply(inputs)
                v.data()[i] = old - H
                double minus = f.apply(inputs)
                v.data()[i] = old
                g.data()[i] = (plus - minus) / (2 * H)
            }
            out[k] = g
        }
        out
    }

    /** Norm-wise relative error between two gradient maps over the union of all entries. */
    static double relativeError(Map<String, Tensor> a, Map<String, Tensor> b) {
        assert a.keySet() == b.keySet()
        double diff = 0, na = 0, nb = 0
        a.each { k, v ->
            Tensor w = b[k]
            assert v.sameShape(w): "gradient '$k' has shape ${v.shapeString()} vs ${w.shapeString()}"
            for (int i = 0; i < v.size(); i++) {
                diff += (v.data()[i] - w.data()[i]) ** 2
                na += v.data()[i] ** 2
                nb += w.data()[i] ** 2
            }
        }
        Math.sqrt(diff) / Math.max(Math.max(Math.sqrt(na), Math.sqrt(nb)), 1e-300)
    }

    /** Relative error of reverse mode against finite differences for {@code loss}. */
    static double check(Function<Map<String, Var>, Var> loss, Map<String, Tensor> inputs) {
        def ad = Grad.of(loss, inputs)
        def fd = finiteDifferences({ Map<String, Tensor> m -> loss.apply(m.collectEntries { k, v -> [k, Var.of(v)] } as Map<String, Var>).value().item() } as Function, inputs)
        relativeError(ad, fd)
    }
}
