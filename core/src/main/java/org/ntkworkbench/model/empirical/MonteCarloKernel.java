package org.ntkworkbench.model.empirical;

import java.util.Map;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * neural-tangents' {@code monte_carlo_kernel_fn}: the empirical NNGP and NTK of finite networks averaged
 * over independent initialisations, with standard errors. For each seed the parameters are
 * {@code net.init(seed, x1's per-example shape)}; the NNGP draw is {@link EmpiricalNngp#of} and the NTK draw
 * {@link EmpiricalNtk#ntk} by the given {@link NtkMethod}, both reduced to the requested {@link OutputAxes}.
 * The estimate converges to the analytic kernel as the widths grow (bias O(1/width)) and the seeds grow
 * (standard error O(1/√seeds)); the network's widths are whatever it was built with.
 */
public final class MonteCarloKernel {
    private MonteCarloKernel() {}

    /**
     * The two estimates ({@code null} when not asked for); Groovy reads {@code mc.ntk.mean},
     * {@code mc.ntk.standardError}.
     */
    public record Result(KernelEstimate nngp, KernelEstimate ntk) {}

    /**
     * Averages over {@code seeds} (at least one; standard errors need two) the kernels of {@code net} between
     * {@code x1} and {@code x2} ({@code null}: x2 = x1, symmetric to the last bit).
     */
    public static Result of(Layer net, Tensor x1, Tensor x2, long[] seeds, boolean nngp, boolean ntk,
                            NtkMethod method, OutputAxes axes) {
        if (seeds == null || seeds.length == 0) {
            throw new IllegalArgumentException("Monte Carlo kernel: no seeds given");
        }
        if (!nngp && !ntk) {
            throw new IllegalArgumentException("Monte Carlo kernel: get must name 'nngp', 'ntk' or both");
        }
        EmpiricalInputs.checkArguments(net, Map.of(), x1, x2);
        KernelEstimate.Accumulator a = nngp ? new KernelEstimate.Accumulator() : null;
        KernelEstimate.Accumulator b = ntk ? new KernelEstimate.Accumulator() : null;
        for (long seed : seeds) {
            Map<String, Tensor> params = net.init(seed, EmpiricalInputs.perExample(x1));
            if (a != null) {
                a.add(EmpiricalNngp.of(net, params, x1, x2, axes));
            }
            if (b != null) {
                b.add(EmpiricalNtk.ntk(net, params, x1, x2, method, axes));
            }
        }
        return new Result(a == null ? null : a.result(), b == null ? null : b.result());
    }
}
