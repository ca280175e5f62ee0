package org.ntkworkbench.dsl;

import org.ntkworkbench.model.ModelExtensions;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.spi.WordInfo;

/**
 * {@code monteCarloKernel(net, x1[, x2], seeds: 8, get: ['nngp', 'ntk'], method: 'auto', traceAxes:, diagonalAxes:)}:
 * sugar for {@link ModelExtensions#monteCarloKernel(Layer, java.util.Map, org.ntkworkbench.tensor.Tensor,
 * org.ntkworkbench.tensor.Tensor)} (neural-tangents' {@code monte_carlo_kernel_fn}).
 */
public final class MonteCarloKernelWord implements DslWord {
    /** The word's reference entry. */
    public static final WordInfo INFO = new WordInfo("monteCarloKernel",
            "monteCarloKernel(net, x1[, x2], seeds: 8 | [s...], get: ['nngp', 'ntk'], method: 'auto', traceAxes: [...], diagonalAxes: [...], maskConstant: c, pattern: A | [A1, A2])",
            "Empirical NNGP/NTK of the finite net averaged over initialisations (seeds 0..n-1 or the list), with standard errors: "
                    + "r.ntk.mean, r.ntk.standardError (neural-tangents' monte_carlo_kernel_fn).");

    @Override
    public Object call(DslArgs a) {
        if (a.count() < 2 || a.count() > 3 || !(a.positional(0) instanceof Layer net)) {
            throw new DslException("monteCarloKernel: expected (net, x1[, x2]); usage: " + INFO.usage());
        }
        var x1 = Values.tensor("monteCarloKernel", "x1", a.positional(1));
        var x2 = a.count() > 2 && a.positional(2) != null ? Values.tensor("monteCarloKernel", "x2", a.positional(2)) : null;
        try {
            return ModelExtensions.monteCarloKernel(net, a.named(), x1, x2);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw e instanceof DslException ? e : new DslException(m.startsWith("monteCarloKernel") ? m : "monteCarloKernel: " + m, e);
        }
    }
}
