package org.ntkworkbench.kernel

import groovy.transform.CompileStatic
import org.ntkworkbench.autodiff.Var
import org.ntkworkbench.autodiff.Vjp
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor

/**
 * Seed-averaged empirical kernels of finite networks, an independent (Monte Carlo) derivation of the
 * analytic NNGP and NTK. Per seed s: {@code nngp_s[i,j] = mean_k f_k(x_i) f_k(x_j)} over the output
 * units k, {@code ntk_s[i,j] = mean_{k < ntkUnits} ⟨∂f_k(x_i)/∂θ, ∂f_k(x_j)/∂θ⟩} (reverse mode per
 * example and unit). Returns the mean over seeds and the standard error of that mean (sd/√S over seeds).
 */
@CompileStatic
class MonteCarloKernels {
    double[][] nngpMean, nngpSe, ntkMean, ntkSe

    static MonteCarloKernels of(Layer net, Tensor x, int seeds, int ntkUnits, boolean withNtk = true) {
        int n = x.dim(0)
        int[] perExample = Arrays.copyOfRange(x.shape(), 1, x.rank())
        List<double[][]> nngps = [], ntks = []
        for (int s = 0; s < seeds; s++) {
            Map<String, Tensor> params = net.init(1000L + s, perExample)
            Tensor out = net.apply(params, x)
            int m = out.dim(1)
            double[][] k = new double[n][n]
            double[] o = out.data()
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
                double acc = 0
                for (int u = 0; u < m; u++) acc += o[i * m + u] * o[j * m + u]
                k[i][j] = acc / m
            }
            nngps << k
            if (withNtk) ntks << ntk(net, params, x, Math.min(ntkUnits, m), m)
        }
        def r = new MonteCarloKernels()
        r.nngpMean = mean(nngps); r.nngpSe = se(nngps, r.nngpMean)
        if (withNtk) { r.ntkMean = mean(ntks); r.ntkSe = se(ntks, r.ntkMean) }
        r
    }

    /** Mean over the first {@code units} output units of the Jacobian contraction, one vjp per (example, unit). */
    static double[][] ntk(Layer net, Map<String, Tensor> params, Tensor x, int units, int m) {
        int n = x.dim(0)
        double[][] k = new double[n][n]
        for (int u = 0; u < units; u++) {
            List<double[]> grads = []
            for (int i = 0; i < n; i++) {
                Tensor cot = Tensor.zeros(n, m)
                cot.data()[i * m + u] = 1.0
                Map<String, Tensor> g = Vjp.of({ Map<String, Var> p -> net.apply(p, Var.of(x)) } as java.util.function.Function<Map<String, Var>, Var>,
                        params, cot)
                int size = (int) g.values().sum { Tensor t -> t.size() }
                double[] flat = new double[size]
                int off = 0
                for (Tensor t : g.values()) { System.arraycopy(t.data(), 0, flat, off, t.size()); off += t.size() }
                grads << flat
            }
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
                double acc = 0
                double[] a = grads[i], b = grads[j]
                for (int e = 0; e < a.length; e++) acc += a[e] * b[e]
                k[i][j] += acc / units
            }
        }
        k
    }

    static double[][] mean(List<double[][]> ks) {
        int n = ks[0].length
        double[][] r = new double[n][n]
        for (double[][] k : ks) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) r[i][j] += k[i][j] / ks.size()
        r
    }

    static double[][] se(List<double[][]> ks, double[][] mean) {
        int n = mean.length, s = ks.size()
        double[][] r = new double[n][n]
        for (double[][] k : ks) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double d = k[i][j] - mean[i][j]
            r[i][j] += d * d / (s - 1)
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) r[i][j] = Math.sqrt(r[i][j] / s)
        r
    }

    /**
     * The layer specs' Monte Carlo check in one place: {@link #of} with {@code seeds} seeds (1000, 1001, …) and the NTK
     * over the first 2 output units, against {@code analytic}, per entry within 5 SE + (8/width)·max|analytic|
     * ({@link #worstRatio}; 8/width bounds the O(1/width) bias of the mean finite-width kernel). Returns the worst
     * ratios {@code [nngp, ntk]}; each ≤ 1 passes.
     */
    static double[] worstRatios(Layer net, Tensor x, Kernel analytic, double width, int seeds = 16) {
        MonteCarloKernels mc = of(net, x, seeds, 2, true)
        double bias = 8.0d / width
        [worstRatio(mc.nngpMean, mc.nngpSe, analytic.nngp(), 5, bias),
         worstRatio(mc.ntkMean, mc.ntkSe, analytic.ntk(), 5, bias)] as double[]
    }

    /**
     * The worst ratio |empirical − analytic| / (zSe·SE + bias·max|analytic|) over all entries; ≤ 1 passes.
     */
    static double worstRatio(double[][] emp, double[][] se, Tensor analytic, double zSe, double bias) {
        int n = emp.length
        double scale = 0
        for (double v : analytic.data()) scale = Math.max(scale, Math.abs(v))
        double worst = 0
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double tol = zSe * se[i][j] + bias * scale
            worst = Math.max(worst, Math.abs(emp[i][j] - analytic.get(i, j)) / tol)
        }
        worst
    }
}
