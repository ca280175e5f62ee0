package org.ntkworkbench.plugins.cnn;

import java.util.HashMap;
import java.util.Map;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spectrum.MultiDotProductKernel;
import org.ntkworkbench.tensor.Tensor;

/**
 * A model's analytic kernels on (S¹)^p, inputs (n, p, 2), as multi-dot-product functions
 * f(t₁, …, t_p) = K(x, x′) with x_j = (1, 0) and x′_j = (t_j, √(1 − t_j²)), so ⟨x_j, x′_j⟩ = t_j.
 * When the kernel depends on the inputs only through the same-position products ⟨x_j, x′_j⟩ (conv nets
 * with a flatten readout) f reproduces K exactly on every input pair; kernels with cross-position
 * terms (global average pooling) are not multi-dot-product kernels and f is only their restriction.
 * Evaluations are batched: one {@code net.kernel} call per batch of t tuples gives both NNGP and NTK.
 */
public final class CircleKernelFunction {
    private final Layer net;
    private final int p;

    /** The kernels of {@code net} on signals with {@code p} positions of 2 channels. */
    public CircleKernelFunction(Layer net, int p) {
        if (p < 1) {
            throw new IllegalArgumentException("positions p must be >= 1, got " + p);
        }
        this.net = net;
        this.p = p;
    }

    /** Number of positions p. */
    public int positions() {
        return p;
    }

    /** The fixed input x, (1, p, 2) with x_j = (1, 0). */
    public Tensor anchor() {
        double[] x = new double[2 * p];
        for (int j = 0; j < p; j++) {
            x[2 * j] = 1;
        }
        return Tensor.of(x, 1, p, 2);
    }

    /** The partners x′ of the tuples, (B, p, 2) with x′_j = (t_j, √(1 − t_j²)). */
    public Tensor partners(double[][] ts) {
        double[] x = new double[ts.length * p * 2];
        for (int b = 0; b < ts.length; b++) {
            if (ts[b].length != p) {
                throw new IllegalArgumentException("tuple " + b + " has " + ts[b].length + " entries, need p = " + p);
            }
            for (int j = 0; j < p; j++) {
                double t = ts[b][j];
                x[(b * p + j) * 2] = t;
                x[(b * p + j) * 2 + 1] = Math.sqrt(Math.max(0, 1 - t * t));
            }
        }
        return Tensor.of(x, ts.length, p, 2);
    }

    /** {nngp values, ntk values} of the B tuples, one kernel call. */
    public double[][] evaluate(double[][] ts) {
        Kernel k = net.kernel(anchor(), partners(ts));
        double[] nngp = k.nngp().data().clone();
        double[] ntk = k.ntk().data().clone();
        if (nngp.length != ts.length || ntk.length != ts.length) {
            throw new IllegalArgumentException("model must have one output unit; kernel has shape " + k.ntk().shapeString());
        }
        return new double[][] {nngp, ntk};
    }

    /** f of the NTK (CNTK), one kernel call per value. */
    public MultiDotProductKernel ntk() {
        return t -> evaluate(new double[][] {t.clone()})[1][0];
    }

    /** f of the NNGP (CGPK), one kernel call per value. */
    public MultiDotProductKernel nngp() {
        return t -> evaluate(new double[][] {t.clone()})[0][0];
    }

    /** f of both kernels tabulated on a tensor grid, as looked-up functions. */
    public record Tabulated(MultiDotProductKernel nngp, MultiDotProductKernel ntk) {}

    /**
     * Both kernels tabulated on the grid {@code nodes}^p (row-major, t₁ most significant), evaluated in
     * batches of {@code batch} tuples. The returned functions look each argument up by its exact bits
     * and fall back to a direct kernel call for tuples off the grid, so they equal f everywhere.
     */
    public Tabulated tabulate(double[] nodes, int batch) {
        int l = nodes.length;
        double points = Math.pow(l, p);
        if (points > 1 << 26) {
            throw new IllegalArgumentException("grid " + l + "^" + p + " is too large to tabulate");
        }
        int size = (int) points;
        double[] nngp = new double[size];
        double[] ntk = new double[size];
        int[] idx = new int[p];
        for (int start = 0; start < size; start += batch) {
            int b = Math.min(batch, size - start);
            double[][] ts = new double[b][p];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < p; j++) {
                    ts[i][j] = nodes[idx[j]];
                }
                for (int j = p - 1; j >= 0; j--) {
                    if (++idx[j] < l) {
                        break;
                    }
                    idx[j] = 0;
                }
            }
            double[][] v = evaluate(ts);
            System.arraycopy(v[0], 0, nngp, start, b);
            System.arraycopy(v[1], 0, ntk, start, b);
        }
        Map<Long, Integer> index = new HashMap<>();
        for (int m = 0; m < l; m++) {
            index.putIfAbsent(Double.doubleToLongBits(nodes[m]), m);
        }
        return new Tabulated(lookup(nngp, index, l, nngp()), lookup(ntk, index, l, ntk()));
    }

    private MultiDotProductKernel lookup(double[] table, Map<Long, Integer> index, int l, MultiDotProductKernel direct) {
        return t -> {
            int flat = 0;
            for (int j = 0; j < p; j++) {
                Integer m = index.get(Double.doubleToLongBits(t[j]));
                if (m == null) {
                    return direct.value(t);
                }
                flat = flat * l + m;
            }
            return table[flat];
        };
    }
}
