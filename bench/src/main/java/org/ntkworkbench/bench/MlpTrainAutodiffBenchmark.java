package org.ntkworkbench.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Layers;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.train.Loss;
import org.ntkworkbench.train.NetworkObjective;
import org.ntkworkbench.train.Objective;
import org.ntkworkbench.train.Optimizer;

/**
 * {@code mlp_train}: the MLP training step of {@code mlp_train_numpy} and {@code mlp_train_java} through
 * the workbench's real path: the model {@code serial(dense(width), relu(), …, dense(1))} (NTK
 * parameterization, no bias), a {@link NetworkObjective} (forward pass and reverse-mode autodiff) with
 * {@code mse}, and the {@code gd} {@link Optimizer}. Same data and starting weights as
 * {@code mlp_train_java} (its layer {@code l} weights become the keys {@code 2l/W}), so
 * {@code loss_first} agrees with it. Reports {@code steps_per_second}, {@code seconds_per_step},
 * {@code gflops} (6 · batch · Σ fanIn·fanOut flops per step), {@code loss_first}, {@code loss_last}.
 */
public final class MlpTrainAutodiffBenchmark implements Benchmark {

    @Override
    public String name() {
        return "mlp_train";
    }

    @Override
    public String description() {
        return "nn + autodiff + gd optimizer: one gd step of a ReLU MLP in the NTK parameterization, mse; "
                + "same sizes, data and flop count as mlp_train_numpy";
    }

    @Override
    public Map<String, Object> defaultParams() {
        Map<String, Object> p = new LinkedHashMap<>(Benchmarks.MLP_DEFAULTS);
        p.remove("warmup"); // the runner's warm-up repetitions play this role
        return p;
    }

    @Override
    public Measurement run(Map<String, Object> params) {
        MlpTrainBenchmark.Sizes z = MlpTrainBenchmark.Sizes.of(params);
        Problem p = Problem.create(z.d(), z.width(), z.depth(), z.batch(), 0);
        Optimizer gd = Optimizer.gd();
        int[] rows = Objective.allRows(z.batch());
        Map<String, Tensor> grads = new LinkedHashMap<>();
        return MlpTrainBenchmark.timeSteps(z.steps(), p.mlp.flopsPerStep(), () -> {
            double loss = p.objective.lossAndGradient(p.params, rows, grads);
            gd.step(p.params, grads, z.lr());
            return loss;
        });
    }

    /** The model, objective and parameters of one benchmark run; package-private for the cross-check test. */
    static final class Problem {
        final MlpTrainBenchmark.Mlp mlp;
        final Layer net;
        final NetworkObjective objective;
        final LinkedHashMap<String, Tensor> params;

        private Problem(MlpTrainBenchmark.Mlp mlp, Layer net, NetworkObjective objective, LinkedHashMap<String, Tensor> params) {
            this.mlp = mlp;
            this.net = net;
            this.objective = objective;
            this.params = params;
        }

        /** The data and starting weights of {@link MlpTrainBenchmark.Mlp#create} (copied) as a model and objective. */
        static Problem create(int d, int width, int depth, int batch, long seed) {
            MlpTrainBenchmark.Mlp mlp = MlpTrainBenchmark.Mlp.create(d, width, depth, batch, seed);
            List<Layer> layers = new ArrayList<>();
            for (int l = 0; l < depth; l++) {
                layers.add(Layers.dense(width));
                layers.add(Layers.relu());
            }
            layers.add(Layers.dense(1));
            Layer net = Layers.serial(layers);
            LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
            for (int l = 0; l <= depth; l++) {
                params.put((2 * l) + "/W", Tensor.of(mlp.weights[l].clone(), mlp.sizes[l], mlp.sizes[l + 1]));
            }
            NetworkObjective objective = new NetworkObjective(net, Tensor.of(mlp.x.clone(), batch, d),
                    Tensor.of(mlp.y.clone(), batch, 1), Loss.MSE);
            return new Problem(mlp, net, objective, params);
        }
    }
}
