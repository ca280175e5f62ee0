package org.ntkworkbench.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.SeededRandom;

/**
 * The Java counterpart of {@code bench/numpy/mlp_train.py}: one gradient-descent step (forward,
 * backward in closed form, update) of a bias-free ReLU MLP in the NTK parameterization
 * ({@code z = (wStd/√fanIn) h W}, {@code W ~ N(0, 1)}), one linear output, loss
 * {@code mse = (1/2n) Σ (f − y)²}, written directly on {@link Blas#gemm} (5 products per layer pair).
 * It is the baseline that the autodiff implementation should approach. Reports
 * {@code steps_per_second}, {@code seconds_per_step}, {@code gflops} (counting
 * {@code 6 · batch · Σ fanIn·fanOut} flops per step, as the NumPy script does), {@code loss_first} and
 * {@code loss_last}.
 */
public final class MlpTrainBenchmark implements Benchmark {

    @Override
    public String name() {
        return "mlp_train_java";
    }

    @Override
    public String description() {
        return "Java + Blas.gemm: one gd step (forward, backward, update) of a ReLU MLP in the NTK "
                + "parameterization, mse; same sizes and flop count as mlp_train_numpy";
    }

    @Override
    public Map<String, Object> defaultParams() {
        Map<String, Object> p = new LinkedHashMap<>(Benchmarks.MLP_DEFAULTS);
        p.remove("warmup"); // the runner's warm-up repetitions play this role
        return p;
    }

    @Override
    public Measurement run(Map<String, Object> params) {
        Sizes z = Sizes.of(params);
        Mlp mlp = Mlp.create(z.d(), z.width(), z.depth(), z.batch(), 0);
        return timeSteps(z.steps(), mlp.flopsPerStep(), () -> mlp.step(z.lr()));
    }

    /**
     * The parameters both MLP training benchmarks read ({@code mlp_train_java} and {@code mlp_train}): input
     * dimension, hidden width, depth, batch, steps and the learning rate {@code lr} (default 0.5).
     */
    record Sizes(int d, int width, int depth, int batch, int steps, double lr) {
        static Sizes of(Map<String, Object> params) {
            return new Sizes(Benchmark.intParam(params, "d"), Benchmark.intParam(params, "width"),
                    Benchmark.intParam(params, "depth"), Benchmark.intParam(params, "batch"), Benchmark.intParam(params, "steps"),
                    params.containsKey("lr") ? Double.parseDouble(params.get("lr").toString()) : 0.5);
        }
    }

    /**
     * The timed loop both MLP training benchmarks share: {@code steps} calls of {@code step} (one training step,
     * returning its loss) timed together. Reports {@code steps_per_second}, {@code seconds_per_step}, {@code gflops}
     * (from {@code flopsPerStep}), {@code loss_first} and {@code loss_last}.
     */
    static Measurement timeSteps(int steps, double flopsPerStep, DoubleSupplier step) {
        double first = Double.NaN, last = Double.NaN;
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            last = step.getAsDouble();
            if (s == 0) {
                first = last;
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("steps_per_second", steps / seconds);
        v.put("seconds_per_step", seconds / steps);
        v.put("gflops", flopsPerStep * steps / seconds * 1e-9);
        v.put("loss_first", first);
        v.put("loss_last", last);
        return Measurement.of(v);
    }

    /** The network, a fixed batch and its buffers; package-private for the gradient check. */
    static final class Mlp {
        final int[] sizes;
        final int batch;
        final double wStd = 1.0;
        final double[][] weights;
        final double[][] grads;
        final double[] x;
        final double[] y;
        private final double[][] pre;   // z of each layer (batch × fanOut)
        private final double[][] post;  // input of each layer: x, relu(z_0), …
        private final double[][] delta; // dL/dz of each layer

        private Mlp(int[] sizes, int batch, double[] x, double[] y, double[][] weights) {
            this.sizes = sizes;
            this.batch = batch;
            this.x = x;
            this.y = y;
            this.weights = weights;
            int layers = sizes.length - 1;
            grads = new double[layers][];
            pre = new double[layers][];
            post = new double[layers][];
            delta = new double[layers][];
            for (int l = 0; l < layers; l++) {
                grads[l] = new double[sizes[l] * sizes[l + 1]];
                pre[l] = new double[batch * sizes[l + 1]];
                delta[l] = new double[batch * sizes[l + 1]];
                post[l] = l == 0 ? x : new double[batch * sizes[l]];
            }
        }

        /** Sizes {@code d, width×depth, 1}; inputs on the unit sphere, target {@code sin(3 x₀)}. */
        static Mlp create(int d, int width, int depth, int batch, long seed) {
            int[] sizes = new int[depth + 2];
            sizes[0] = d;
            for (int i = 1; i <= depth; i++) {
                sizes[i] = width;
            }
            sizes[depth + 1] = 1;
            double[][] w = new double[depth + 1][];
            for (int l = 0; l <= depth; l++) {
                w[l] = new double[sizes[l] * sizes[l + 1]];
                SeededRandom.derived(seed, l + "/W").fillGaussian(w[l]);
            }
            double[] x = new double[batch * d];
            new SeededRandom(seed + 1).fillGaussian(x);
            double[] y = new double[batch];
            for (int i = 0; i < batch; i++) {
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    norm += x[i * d + j] * x[i * d + j];
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < d; j++) {
                    x[i * d + j] /= norm;
                }
                y[i] = Math.sin(3 * x[i * d]);
            }
            return new Mlp(sizes, batch, x, y, w);
        }

        double flopsPerStep() {
            double s = 0;
            for (int l = 0; l + 1 < sizes.length; l++) {
                s += (double) sizes[l] * sizes[l + 1];
            }
            return 6.0 * batch * s;
        }

        /** Loss at the current weights; fills {@link #grads}. */
        double lossAndGradient() {
            int layers = sizes.length - 1;
            for (int l = 0; l < layers; l++) {
                double scale = wStd / Math.sqrt(sizes[l]);
                Blas.gemm(false, false, batch, sizes[l + 1], sizes[l], scale, post[l], weights[l], 0.0, pre[l]);
                if (l + 1 < layers) {
                    double[] z = pre[l], h = post[l + 1];
                    for (int i = 0; i < z.length; i++) {
                        h[i] = Math.max(z[i], 0.0);
                    }
                }
            }
            double[] f = pre[layers - 1];
            double[] top = delta[layers - 1];
            double loss = 0;
            for (int i = 0; i < batch; i++) {
                double r = f[i] - y[i];
                loss += r * r;
                top[i] = r / batch;
            }
            for (int l = layers - 1; l >= 0; l--) {
                double scale = wStd / Math.sqrt(sizes[l]);
                Blas.gemm(true, false, sizes[l], sizes[l + 1], batch, scale, post[l], delta[l], 0.0, grads[l]);
                if (l > 0) {
                    double[] below = delta[l - 1], z = pre[l - 1];
                    Blas.gemm(false, true, batch, sizes[l], sizes[l + 1], scale, delta[l], weights[l], 0.0, below);
                    for (int i = 0; i < below.length; i++) {
                        if (!(z[i] > 0)) {
                            below[i] = 0.0;
                        }
                    }
                }
            }
            return 0.5 * loss / batch;
        }

        /** One gd step; returns the loss before it. */
        double step(double lr) {
            double loss = lossAndGradient();
            for (int l = 0; l < weights.length; l++) {
                double[] w = weights[l], g = grads[l];
                for (int i = 0; i < w.length; i++) {
                    w[i] -= lr * g[i];
                }
            }
            return loss;
        }
    }
}
