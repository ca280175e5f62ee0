package org.ntkworkbench.model.empirical;

import java.util.Map;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * The empirical NNGP kernel: the output covariance of a finite network over random initialisations,
 * {@code Σ(x, x′) ≈ E_θ[f(x)·f(x′)] / k} (the mean over the {@code k} output units per example, so it
 * estimates the per-output analytic NNGP). Each draw is an ordinary finite network; the estimate
 * converges to the infinite-width kernel as the widths grow and the number of seeds grows.
 */
public final class EmpiricalNngp {
    private EmpiricalNngp() {}

    /**
     * One draw: {@code f(x1) f(x2)ᵀ / k} at {@code params}, {@code (n1, n2)}; symmetric to the last bit
     * when {@code x2} is omitted ({@code null}).
     */
    public static Tensor of(Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2) {
        EmpiricalInputs.checkArguments(net, params, x1, x2);
        boolean sym = x2 == null || x2 == x1;
        Tensor f1 = net.apply(params, x1);
        int n1 = x1.dim(0), k = f1.size() / n1;
        double[] out;
        if (sym) {
            out = new double[n1 * n1];
            Blas.syrk(false, n1, k, 1.0 / k, f1.data(), 0.0, out);
            return Tensor.of(out, n1, n1);
        }
        Tensor f2 = net.apply(params, x2);
        int n2 = x2.dim(0);
        if (f2.size() != n2 * k) {
            throw new IllegalArgumentException("x1 " + x1.shapeString() + " and x2 " + x2.shapeString()
                    + " give different numbers of outputs per example");
        }
        out = new double[n1 * n2];
        Blas.gemm(false, true, n1, n2, k, 1.0 / k, f1.data(), f2.data(), 0.0, out);
        return Tensor.of(out, n1, n2);
    }

    /**
     * One draw with neural-tangents' {@code trace_axes} / {@code diagonal_axes} ({@link OutputAxes}): the
     * products {@code f_o(x1_i) f_o′(x2_j)} reduced to the requested axes ({@link OutputAxes#ALL_TRACED}:
     * {@link #of(Layer, Map, Tensor, Tensor)}).
     */
    public static Tensor of(Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2, OutputAxes axes) {
        EmpiricalInputs.checkArguments(net, params, x1, x2);
        int[] s = net.modelOutputShape(EmpiricalInputs.perExample(x1));
        if (axes == null || axes.allTraced(s.length)) {
            return of(net, params, x1, x2);
        }
        boolean sym = x2 == null || x2 == x1;
        double[] f1 = net.apply(params, x1).data();
        double[] f2 = sym ? f1 : net.apply(params, x2).data();
        int n1 = x1.dim(0), n2 = sym ? n1 : x2.dim(0);
        if (f2.length * n1 != f1.length * n2) {
            throw new IllegalArgumentException("x1 " + x1.shapeString() + " and x2 " + x2.shapeString()
                    + " give different numbers of outputs per example");
        }
        double[] full = new double[Math.multiplyExact(f1.length, f2.length)];
        for (int r = 0; r < f1.length; r++) {
            for (int c = 0; c < f2.length; c++) {
                full[r * f2.length + c] = f1[r] * f2[c];
            }
        }
        return axes.reduce(full, n1, n2, s, sym);
    }

    /**
     * The Monte Carlo NNGP: for each seed, parameters {@code net.init(seed, x1's per-example shape)} and
     * one draw {@link #of}; the elementwise mean over seeds and its standard error. The network's widths
     * are whatever it was built with (wider nets, smaller finite-width bias).
     */
    public static KernelEstimate monteCarlo(Layer net, Tensor x1, Tensor x2, long... seeds) {
        if (seeds == null || seeds.length == 0) {
            throw new IllegalArgumentException("Monte Carlo NNGP: no seeds given");
        }
        EmpiricalInputs.checkArguments(net, Map.of(), x1, x2);
        KernelEstimate.Accumulator acc = new KernelEstimate.Accumulator();
        for (long seed : seeds) {
            acc.add(of(net, net.init(seed, EmpiricalInputs.perExample(x1)), x1, x2));
        }
        return acc.result();
    }
}
