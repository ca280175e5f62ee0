package org.ntkworkbench.dsl;

import java.util.List;
import com.google.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Layers;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.spi.WordInfo;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.train.Loss;
import org.ntkworkbench.train.ProgressMode;
import org.ntkworkbench.train.Training;
import org.ntkworkbench.train.TrainingConfig;
import org.ntkworkbench.train.TrainingResult;

/** The {@code train} word: thin sugar over the {@link Training} service. */
public final class TrainWords {
    private TrainWords() {}

    public static final WordInfo TRAIN = new WordInfo("train",
            "train(net, x, y, loss: 'mse'|'xent', optimizer: 'gd'|'sgd'|'momentum'|'adam', lr: 0.1, steps: 100, batch: 0, seed: 0, init: params)",
            "Trains a model on inputs x (n, d...) and targets y; returns a TrainingResult (params, history, losses(), finalLoss()); writes no files.");

    public static final WordInfo LINEARIZE = new WordInfo("linearize", "linearize(net, params)",
            "The model f(x; p0) + J(x; p0)(p - p0) linearised around params = p0 (neural-tangents' linearize); train, apply, kernel accept it, and its init is p0.");

    public static final WordInfo TAYLOR_EXPAND = new WordInfo("taylorExpand", "taylorExpand(net, params, degree)",
            "The Taylor expansion of a model in its parameters around params; only degree 1 (= linearize) exists.");

    /** Adds the training words to {@code out} ({@link WordBinding#core}). */
    public static void words(List<WordBinding> out) {
        out.add(WordBinding.of(TRAIN, TrainWord.class));
        out.add(WordBinding.of(LINEARIZE, new LinearizeWord()));
        out.add(WordBinding.of(TAYLOR_EXPAND, new LinearizeWord()));
    }

    /** {@code linearize(net, params)} and {@code taylorExpand(net, params, degree)}. */
    static final class LinearizeWord implements DslWord {
        @Override
        public Object call(DslArgs a) {
            a.allowOnly();
            boolean taylor = a.word().equals("taylorExpand");
            int expected = taylor ? 3 : 2;
            if (a.count() != expected || !(a.positional(0) instanceof Layer net)) {
                throw new DslException(a.word() + ": expected " + (taylor ? TAYLOR_EXPAND : LINEARIZE).usage()
                        + " with a model first, e.g. " + a.word() + "(net, net.init(0, 3)" + (taylor ? ", 1)" : ")"));
            }
            Map<String, Tensor> p = TrainWord.params(a.word(), "params", a.positional(1));
            try {
                return taylor ? Layers.taylorExpand(net, p, a.intArg(2)) : Layers.linearize(net, p);
            } catch (IllegalArgumentException e) {
                throw e instanceof DslException ? e : new DslException(a.word() + ": " + e.getMessage(), e);
            }
        }
    }

    /** {@code train(net, x, y, ...)}. */
    static final class TrainWord implements DslWord {
        private final Training training;

        @Inject
        TrainWord(Training training) {
            this.training = training;
        }

        @Override
        public Object call(DslArgs a) {
            a.allowOnly("loss", "optimizer", "lr", "steps", "batch", "seed", "init");
            if (a.count() != 3 || !(a.positional(0) instanceof Layer net)) {
                throw new DslException("train: expected train(net, x, y, ...) with a model first, e.g. "
                        + "train(serial(dense(64), relu(), dense(1)), x, y, lr: 0.1, steps: 100)");
            }
            return train(training, a, net, Values.tensor("train", "x", a.positional(1)),
                    Values.tensor("train", "y", a.positional(2)), ProgressMode.AUTO, 0);
        }

        /**
         * Trains {@code net} on {@code x, y} with the named options of {@code a} (loss, optimizer, lr, steps,
         * batch, seed, init); {@code defaultSeed} when no seed is named.
         */
        static TrainingResult train(Training training, DslArgs a, Layer net, Tensor x, Tensor y, ProgressMode progress,
                                    long defaultSeed) {
            int steps = a.intNamed("steps", 100);
            int batch = a.intNamed("batch", 0);
            Map<String, Tensor> init = a.has("init") ? params("train", "init", a.named().get("init")) : null;
            try {
                TrainingConfig config = TrainingConfig.builder()
                        .optimizer(a.stringNamed("optimizer", "gd"))
                        .learningRate(a.doubleNamed("lr", 0.1))
                        .steps(steps)
                        .batchSize(batch)
                        .seed(a.has("seed") ? a.intNamed("seed", 0) : defaultSeed)
                        .progress(progress)
                        .build();
                return training.train(net, x, y, Loss.byName(a.stringNamed("loss", "mse")), config, init);
            } catch (DslException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new DslException(a.word() + ": " + e.getMessage(), e);
            }
        }

        static Map<String, Tensor> params(String word, String what, Object v) {
            if (!(v instanceof Map<?, ?> m)) {
                throw new DslException(word + ": '" + what + "' must be a parameter map such as net.init(seed, d) or load('P.npz'), got "
                        + DslArgs.describe(v));
            }
            Map<String, Tensor> p = new LinkedHashMap<>();
            m.forEach((k, t) -> p.put(String.valueOf(k), Values.tensor(word, what + " parameter '" + k + "'", t)));
            return p;
        }
    }
}
