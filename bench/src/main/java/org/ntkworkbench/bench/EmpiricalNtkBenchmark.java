package org.ntkworkbench.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.model.empirical.EmpiricalNtk;
import org.ntkworkbench.model.empirical.NtkMethod;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Layers;
import org.ntkworkbench.tensor.Tensor;

/**
 * Benchmark (ii): the empirical NTK {@code Θ(x, x)} of a bias-free ReLU MLP in the NTK
 * parameterization (d inputs, {@code depth} hidden layers of {@code width}, one output) on {@code n}
 * points of the unit sphere, by {@link NtkMethod#STRUCTURED_DERIVATIVES}. Reports {@code seconds},
 * {@code gflop} (the BLAS work the method needs, {@link #structuredMlpFlops}) and {@code gflops}; the
 * runner adds {@code percent_of_dgemm}. The network, parameters and inputs are built once, outside
 * the timer. {@code bench/numpy/empirical_ntk.py} computes the same kernel with the same flop count.
 */
public final class EmpiricalNtkBenchmark implements Benchmark {
    private final MlpCache cache = new MlpCache();

    @Override
    public String name() {
        return "empirical_ntk";
    }

    @Override
    public String description() {
        return "structured-derivatives empirical NTK Θ(x, x) of a ReLU MLP (d, width x depth, 1 output) on n points; "
                + "reports seconds, gflop needed and gflops";
    }

    @Override
    public Map<String, Object> defaultParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("d", 64);
        p.put("width", 2048);
        p.put("depth", 2);
        p.put("n", 2000);
        return p;
    }

    @Override
    public Measurement run(Map<String, Object> params) {
        Mlp mlp = cache.get(params);
        long t0 = System.nanoTime();
        Tensor k = EmpiricalNtk.ntk(mlp.net, mlp.params, mlp.x, null, NtkMethod.STRUCTURED_DERIVATIVES, true);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        double flops = structuredMlpFlops(mlp.x.dim(0), mlp.sizes);
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("seconds", seconds);
        v.put("gflop", flops * 1e-9);
        v.put("gflops", flops / seconds * 1e-9);
        v.put("kernel_diagonal_mean", diagonalMean(k));
        return Measurement.of(v);
    }

    /**
     * The BLAS flops of the structured NTK of a bias-free MLP with layer sizes {@code sizes}
     * ({@code d, widths…, 1}) on {@code n} inputs, {@code x2 = x1}, one output: forward
     * {@code Σ_l 2n·fanIn_l·w_l}; backward to the pre-activations {@code Σ_{l≥1} 2n·fanIn_l·w_l} (no
     * gradient to the inputs); per layer the symmetric products {@code hhᵀ} and {@code δδᵀ} by syrk,
     * {@code n(n+1)·fanIn_l} and {@code n(n+1)·w_l}. The Hadamard products and the sum ({@code O(n²)}
     * per layer) are not counted.
     */
    public static double structuredMlpFlops(int n, int[] sizes) {
        double f = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            double fanIn = sizes[l], w = sizes[l + 1];
            f += 2.0 * n * fanIn * w;                   // forward
            if (l > 0) {
                f += 2.0 * n * fanIn * w;               // δ_{l−1} from δ_l
            }
            f += (double) n * (n + 1) * (fanIn + w);    // syrk h hᵀ and δ δᵀ
        }
        return f;
    }

    static double diagonalMean(Tensor k) {
        int n = k.dim(0);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += k.data()[i * n + i];
        }
        return s / n;
    }

    /**
     * The {@link Mlp} of the parameters {@code d}, {@code width}, {@code depth}, {@code n} (seed 0), built once and
     * kept while they stay the same, so repetitions time the kernel only (used by this benchmark and
     * {@link EmpiricalNtkRatioBenchmark}).
     */
    static final class MlpCache {
        private String key;
        private Mlp mlp;

        Mlp get(Map<String, Object> params) {
            int d = Benchmark.intParam(params, "d");
            int width = Benchmark.intParam(params, "width");
            int depth = Benchmark.intParam(params, "depth");
            int n = Benchmark.intParam(params, "n");
            String k = d + "/" + width + "/" + depth + "/" + n;
            if (!k.equals(key)) {
                mlp = Mlp.create(d, width, depth, n, 0);
                key = k;
            }
            return mlp;
        }
    }

    /** A bias-free ReLU MLP {@code d → width×depth → 1} (NTK parameterization), its parameters and n sphere points. */
    record Mlp(Layer net, Map<String, Tensor> params, Tensor x, int[] sizes) {
        static Mlp create(int d, int width, int depth, int n, long seed) {
            if (d < 1 || width < 1 || depth < 0 || n < 1) {
                throw new IllegalArgumentException("empirical NTK benchmark needs d, width, n >= 1 and depth >= 0, got d="
                        + d + ", width=" + width + ", depth=" + depth + ", n=" + n);
            }
            List<Layer> layers = new ArrayList<>();
            int[] sizes = new int[depth + 2];
            sizes[0] = d;
            for (int i = 0; i < depth; i++) {
                layers.add(Layers.dense(width));
                layers.add(Layers.relu());
                sizes[i + 1] = width;
            }
            layers.add(Layers.dense(1));
            sizes[depth + 1] = 1;
            Layer net = Layers.serial(layers);
            Tensor x = Tensor.randn(seed + 1, n, d);
            double[] a = x.data();
            for (int i = 0; i < n; i++) {
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    norm += a[i * d + j] * a[i * d + j];
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < d; j++) {
                    a[i * d + j] /= norm;
                }
            }
            return new Mlp(net, net.init(seed, d), x, sizes);
        }
    }
}
