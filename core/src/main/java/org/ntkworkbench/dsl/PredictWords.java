package org.ntkworkbench.dsl;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.data.DatasetFiles;
import org.ntkworkbench.data.DatasetRequest;
import org.ntkworkbench.data.LabeledData;
import org.ntkworkbench.fit.DirectSolver;
import org.ntkworkbench.fit.FitPipeline;
import org.ntkworkbench.fit.FitRequest;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.model.KernelService;
import org.ntkworkbench.model.predict.EnsembleGdMse;
import org.ntkworkbench.model.predict.GaussianProcess;
import org.ntkworkbench.model.predict.GradientDescentMse;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.spi.WordInfo;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * Words for real data and infinite-width predictions: {@code dataset(...)} (labelled data from IDX,
 * CSV or NPY files), {@code predict(...)} (over the predictors of {@code model.predict}: GD-MSE at
 * several times from one eigendecomposition, GP posterior mean and variance, the ensemble over
 * initialisations, function-space gradient descent on cross-entropy with momentum) and
 * {@code maxLearningRate(...)}.
 */
public final class PredictWords {
    private PredictWords() {}

    /** Adds the prediction words to {@code out} ({@link WordBinding#core}). */
    public static void words(List<WordBinding> out) {
        out.add(WordBinding.of(new WordInfo("dataset",
                "dataset('fashion-mnist', split: 'train', n: 5000, seed: 0, sample: 'stratified'|'first', classes: [...], "
                        + "normalize: 'standardize'|'unit'|'none', flatten: true, data: DIR)",
                "Labelled examples from IDX (.gz or plain), CSV (a label column) or NPY/NPZ files under --data DIR, NTK_DATA or "
                        + "/usr/share/datasets: inputs (n, d), or NHWC with flatten: false, and integer labels; def (x, y) = dataset(...). "
                        + "n examples drawn stratified by class with the seed (sample: 'first' takes the file's first n); "
                        + "classes: keeps those labels renumbered 0.. in the given order; standardize = each example to mean 0, variance 1."),
                Dataset.class));
        out.add(WordBinding.of(new WordInfo("predict",
                "predict(net | kernel: [train: K, test: Ks, testTest: Kss], xTrain, yTrain, xTest, yTest: y, get: ['nngp','ntk'], "
                        + "t: [Double.POSITIVE_INFINITY, 1e3], diagReg: 0, noise: s2, variance: false, ensemble: false, "
                        + "loss: 'mse'|'xent', lr: 1, momentum: 0, engine: 'local'|'spark', master: URL, maskConstant: c, "
                        + "pattern: [trainGraphs, testGraphs])",
                "Infinite-width predictions on xTest as a map: 'ntk', 'nngp' at t = inf, 'ntk_t1000' at finite t (gradient descent on mse, "
                        + "one eigendecomposition for all t), with accuracy_* (integer labels, one-hot targets) or rmse_* (float targets) "
                        + "when yTest is given. noise: GP posterior with that noise variance; variance: true adds cov_* (the GP or ensemble "
                        + "covariance); ensemble: true gives the mean and covariance over initialisations; loss: 'xent' trains in function space "
                        + "under softmax cross-entropy (t in whole steps of size lr, optional momentum). With kernel: the positionals are "
                        + "yTrain only. engine: 'spark' (master: URL) computes the kernels as Spark tiles (plugins/spark), the same to 1e-12."),
                Predict.class));
        out.add(WordBinding.of(new WordInfo("maxLearningRate", "maxLearningRate(net, xTrain) | maxLearningRate(kernel: K)",
                "Largest stable gradient-descent learning rate on mse: 2n / lambda_max(NTK train-train)."), MaxLr.class));
    }

    /** {@code dataset(name, ...)}. */
    static final class Dataset implements DslWord {
        @Override
        public Object call(DslArgs a) {
            a.allowOnly("split", "n", "seed", "sample", "classes", "normalize", "flatten", "data");
            if (a.count() != 1 || !(a.positional(0) instanceof CharSequence name)) {
                throw new DslException("dataset: expected dataset('name', split: 'train', n: ...)");
            }
            try {
                List<Integer> classes = null;
                if (a.has("classes")) {
                    classes = new ArrayList<>();
                    for (double c : Values.doubles("dataset", "classes", a.named().get("classes"))) {
                        classes.add((int) c);
                    }
                }
                String sample = a.stringNamed("sample", "stratified");
                DatasetRequest.Sample s = switch (sample) {
                    case "stratified" -> DatasetRequest.Sample.STRATIFIED;
                    case "first" -> DatasetRequest.Sample.FIRST;
                    default -> throw new DslException("dataset: sample '" + sample + "': expected stratified or first");
                };
                String data = a.stringNamed("data", null);
                return DatasetFiles.load(new DatasetRequest(name.toString(), a.stringNamed("split", "train"), a.intNamed("n", 0), s,
                        a.intNamed("seed", 0), classes, DatasetRequest.Normalize.parse(a.stringNamed("normalize", "standardize")),
                        a.boolNamed("flatten", true), data == null ? null : Path.of(data)));
            } catch (IOException e) {
                throw new DslException("dataset: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw e instanceof DslException ? e : new DslException("dataset: " + e.getMessage());
            }
        }
    }

    /** {@code maxLearningRate(...)}. */
    static final class MaxLr implements DslWord {
        private final KernelService kernels;

        @Inject
        MaxLr(KernelService kernels) {
            this.kernels = kernels;
        }

        @Override
        public Object call(DslArgs a) {
            a.allowOnly("kernel");
            Tensor k;
            if (a.has("kernel")) {
                k = Values.tensor("maxLearningRate", "kernel", a.named().get("kernel"));
            } else if (a.count() == 2 && a.positional(0) instanceof Layer net) {
                k = kernels.analytic(net, Values.tensor("maxLearningRate", "xTrain", a.positional(1)), null).ntk();
            } else {
                throw new DslException("maxLearningRate: expected maxLearningRate(net, xTrain) or maxLearningRate(kernel: K)");
            }
            try {
                return GradientDescentMse.maxStableLearningRate(k);
            } catch (IllegalArgumentException e) {
                throw new DslException("maxLearningRate: " + e.getMessage());
            }
        }
    }

    /** {@code predict(...)}. */
    static final class Predict implements DslWord {
        private final KernelService kernels;

        @Inject
        Predict(KernelService kernels) {
            this.kernels = kernels;
        }

        /** One kernel's blocks. */
        private record Blocks(Tensor train, Tensor test, Tensor testTest) {}

        @Override
        public Object call(DslArgs a) {
            a.allowOnly("kernel", "yTest", "get", "t", "diagReg", "noise", "variance", "ensemble", "loss", "lr", "momentum", "engine",
                    "master", "maskConstant", "pattern");
            try {
                return predict(a);
            } catch (DslException e) {
                throw e;
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new DslException("predict: " + e.getMessage());
            }
        }

        private Object predict(DslArgs a) {
            boolean byKernel = a.has("kernel");
            Object yTrainArg;
            Map<String, Blocks> blocks = new LinkedHashMap<>();
            List<String> get = new ArrayList<>();
            Object g = a.named().getOrDefault("get", List.of("nngp", "ntk"));
            for (Object o : g instanceof List<?> l ? l : List.of(g)) {
                get.add(o.toString());
            }
            boolean variance = a.boolNamed("variance", false);
            boolean ensemble = a.boolNamed("ensemble", false);
            double diagReg = a.doubleNamed("diagReg", 0);
            if (!(diagReg >= 0) || Double.isInfinite(diagReg)) {
                throw new DslException("predict: diagReg must be a finite number >= 0, got " + diagReg);
            }
            String loss = a.stringNamed("loss", "mse");
            if (!loss.equals("mse") && !loss.equals("xent")) {
                throw new DslException("predict: loss '" + loss + "': expected mse or xent");
            }
            if (ensemble && (a.has("noise") || loss.equals("xent"))) {
                throw new DslException("predict: ensemble: true is the mse gradient-descent ensemble; it does not take noise: or loss: 'xent'");
            }
            if (byKernel) {
                if (a.count() != 1) {
                    throw new DslException("predict: with kernel: give only yTrain as positional argument");
                }
                yTrainArg = a.positional(0);
                if (a.has("engine") || a.has("master") || a.has("maskConstant") || a.has("pattern")) {
                    throw new DslException("predict: engine:/master:/maskConstant:/pattern: compute the kernels of predict(net, ...); with kernel: "
                            + "they are given");
                }
                if (!(a.named().get("kernel") instanceof Map<?, ?> km) || km.get("train") == null || km.get("test") == null) {
                    throw new DslException("predict: kernel: expects [train: K(train, train), test: K(test, train), testTest: K(test, test)]");
                }
                // A copy: the diagonal regulariser must not change the caller's kernel.
                blocks.put("kernel", new Blocks(Values.tensor("predict", "kernel train", km.get("train")).copy(),
                        Values.tensor("predict", "kernel test", km.get("test")),
                        km.get("testTest") == null ? null : Values.tensor("predict", "kernel testTest", km.get("testTest"))));
                get = List.of("kernel");
                if (ensemble) {
                    throw new DslException("predict: ensemble: true needs the net (the NNGP prior and the NTK), not kernel:");
                }
            } else {
                if (a.count() != 4 || !(a.positional(0) instanceof Layer model)) {
                    throw new DslException("predict: expected predict(net, xTrain, yTrain, xTest, ...) or predict(kernel: [...], yTrain)");
                }
                Tensor xTrain = Values.tensor("predict", "xTrain", a.positional(1));
                Tensor xTest = Values.tensor("predict", "xTest", a.positional(3));
                // maskConstant: the kernels of the masked net (neural-tangents' mask_constant); NaN padding is allowed then.
                Double maskConstant = org.ntkworkbench.nn.Masking.constant("predict", a.named().get("maskConstant"));
                Layer net = maskConstant == null ? model : model.masked(maskConstant);
                if (maskConstant == null || !Double.isNaN(maskConstant)) {
                    requireFinite("xTrain", xTrain);
                    requireFinite("xTest", xTest);
                }
                // pattern: [train graphs, test graphs] of a per-example aggregate(): bound to the examples (Graphs.bind).
                if (a.has("pattern")) {
                    Tensor[] pats = org.ntkworkbench.nn.Graphs.option("predict", a.named().get("pattern"), false);
                    if (!a.stringNamed("engine", "local").equals("local")) {
                        throw new DslException("predict: pattern with engine: '" + a.stringNamed("engine", "local")
                                + "' is not supported (the graphs travel with the local engine's kernels); use the local engine");
                    }
                    org.ntkworkbench.nn.Graphs.Bound b = org.ntkworkbench.nn.Graphs.bind(model, maskConstant, xTrain, pats[0], xTest, pats[1]);
                    net = b.net();
                    xTrain = b.x1();
                    xTest = b.x2();
                }
                yTrainArg = a.positional(2);
                for (String k : get) {
                    if (!k.equals("nngp") && !k.equals("ntk")) {
                        throw new DslException("predict: get '" + k + "': expected nngp and/or ntk");
                    }
                }
                String engine = a.stringNamed("engine", "local");
                String master = a.stringNamed("master", null);
                if (engine.equals("local") && master != null) {
                    throw new DslException("predict: master: needs engine: 'spark' (the local engine runs in this JVM)");
                }
                if (maskConstant != null && !engine.equals("local")) {
                    throw new DslException("predict: maskConstant with engine: '" + engine + "' is not supported (the masks travel with the "
                            + "local engine's kernels); use the local engine");
                }
                // The NTK pass carries the NNGP; asking only for the NNGP skips the NTK work.
                boolean ntk = get.contains("ntk") || ensemble;
                Kernel ktt = kernel(engine, master, net, xTrain, null, ntk, "K(train,train)");
                Kernel kst = kernel(engine, master, net, xTest, xTrain, ntk, "K(test,train)");
                Kernel kss = variance || ensemble ? kernel(engine, master, net, xTest, null, ntk, "K(test,test)") : null;
                for (String k : get) {
                    switch (k) {
                        case "nngp" -> blocks.put(k, new Blocks(ktt.nngp().copy(), kst.nngp(), kss == null ? null : kss.nngp()));
                        case "ntk" -> blocks.put(k, new Blocks(ktt.ntk().copy(), kst.ntk(), kss == null ? null : kss.ntk()));
                        default -> throw new DslException("predict: get '" + k + "': expected nngp and/or ntk");
                    }
                }
                if (ensemble) {
                    // The ensemble needs the NNGP (the prior) for either kernel; regularised as the kernels asked for.
                    Blocks prior = new Blocks(ktt.nngp().copy(), kst.nngp(), kss.nngp());
                    FitPipeline.addDiagonal(prior.train(), diagReg);
                    blocks.put("_nngp", prior);
                }
            }
            int[] labels = labels(yTrainArg);
            Tensor y;
            int classes = 0;
            int[] testLabels = a.has("yTest") ? labels(a.named().get("yTest")) : null;
            int m = blocks.values().iterator().next().test().dim(0);
            if (testLabels != null && testLabels.length != m) {
                throw new DslException("predict: yTest has " + testLabels.length + " labels but there are " + m + " test inputs");
            }
            Tensor yTest = null;
            if (labels != null) {
                for (int l : labels) {
                    classes = Math.max(classes, l + 1);
                }
                if (testLabels != null) {
                    for (int l : testLabels) {
                        classes = Math.max(classes, l + 1);
                    }
                }
                y = LabeledData.oneHot(labels, classes);
            } else {
                y = Values.tensor("predict", "yTrain", yTrainArg);
                y = y.reshape(y.dim(0), y.size() / y.dim(0));
                requireFinite("yTrain", y);
                if (a.has("yTest")) {
                    yTest = Values.tensor("predict", "yTest", a.named().get("yTest"));
                    if (yTest.size() != m * y.dim(1)) {
                        throw new DslException("predict: yTest has shape " + yTest.shapeString() + " but the predictions are [" + m + ", "
                                + y.dim(1) + "]");
                    }
                }
            }
            List<Double> ts = new ArrayList<>();
            Object tArg = a.named().getOrDefault("t", Double.POSITIVE_INFINITY);
            for (double t : Values.doubles("predict", "t", tArg instanceof List<?> ? tArg : List.of(tArg))) {
                if (!(t >= 0)) {
                    throw new DslException("predict: t = " + t + ": times must be >= 0");
                }
                ts.add(t);
            }
            double lr = a.doubleNamed("lr", 1);
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new DslException("predict: lr must be a positive number, got " + lr);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (String k : get) {
                Blocks b = blocks.get(k);
                FitPipeline.addDiagonal(b.train(), diagReg);
                int n = b.train().dim(0);
                if (b.test().rank() != 2 || b.test().dim(1) != n || y.dim(0) != n) {
                    throw new DslException("predict: " + k + ": test kernel " + b.test().shapeString() + ", train kernel "
                            + b.train().shapeString() + " and targets " + y.shapeString() + " do not fit together");
                }
                requireFinite(k + " train-train", b.train());
                requireFinite(k + " test-train", b.test());
                if (loss.equals("xent")) {
                    xent(k, b, y, ts, lr, a.doubleNamed("momentum", 0), out);
                } else if (a.has("noise")) {
                    GaussianProcess.Posterior p = GaussianProcess.posterior(b.train(), b.test(), variance ? b.testTest() : null, y,
                            a.doubleNamed("noise", 0));
                    out.put(k, p.mean());
                    if (p.covariance() != null) {
                        out.put("cov_" + k, p.covariance());
                    }
                } else if (ensemble) {
                    Blocks prior = blocks.get("_nngp");
                    EnsembleGdMse e = new EnsembleGdMse(blocks.get("ntk") != null ? blocks.get("ntk").train() : b.train(), prior.train(), y, lr,
                            k.equals("ntk") ? EnsembleGdMse.Mode.NTK : EnsembleGdMse.Mode.NNGP);
                    for (double t : ts) {
                        EnsembleGdMse.Gaussian gs = e.test(t, b.test(), prior.test(), prior.testTest());
                        out.put(FitRequest.predictionName(k, t), gs.mean());
                        out.put("cov_" + FitRequest.predictionName(k, t), gs.covariance());
                    }
                } else {
                    var solved = new DirectSolver().solve(new org.ntkworkbench.fit.KernelBlocks(k, b.train(), b.test()), y, ts, lr,
                            org.ntkworkbench.fit.FitProgress.NONE);
                    for (double t : ts) {
                        out.put(FitRequest.predictionName(k, t), solved.get(t));
                    }
                    if (variance && b.testTest() != null && ts.contains(Double.POSITIVE_INFINITY)) {
                        out.put("cov_" + k, GaussianProcess.posterior(b.train(), b.test(), b.testTest(), y, 0).covariance());
                    }
                }
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : out.entrySet()) {
                if (e.getKey().startsWith("cov_")) {
                    continue;
                }
                Tensor f = (Tensor) e.getValue();
                if (testLabels != null) {
                    metrics.put("accuracy_" + e.getKey(), FitPipeline.accuracy(FitPipeline.confusion(f, testLabels, classes)));
                } else if (yTest != null) {
                    metrics.put("rmse_" + e.getKey(), FitPipeline.rmse(f, yTest));
                }
            }
            out.putAll(metrics);
            return out;
        }

        /**
         * The analytic kernel by the local kernel service, or by the plugin engine {@code engine} (the same
         * numbers to 1e-12 relative; see {@link EngineKernels}).
         */
        private Kernel kernel(String engine, String master, Layer net, Tensor x1, Tensor x2, boolean computeNtk, String what) {
            if (!engine.equals("local")) {
                return new EngineKernels().kernel(net, engine, master, x1, x2, computeNtk);
            }
            if (x1.rank() <= 2) {
                return kernels.analytic(net, x1, x2, computeNtk);
            }
            // Kernels of images take minutes: a progress bar on a terminal, one line with the time otherwise.
            long n1 = x1.dim(0);
            org.ntkworkbench.fit.FitProgress bar = new org.ntkworkbench.fit.ConsoleFitProgress("predict");
            bar.start("kernel " + what, x2 == null ? n1 * (n1 + 1) / 2 : n1 * x2.dim(0));
            try {
                return kernels.analytic(net, x1, x2, computeNtk, bar::step);
            } finally {
                bar.finish();
            }
        }

        /** Integer labels from int[], a list of integers or a LabeledData; null for float targets. */
        private static int[] labels(Object y) {
            int[] out = null;
            if (y instanceof int[] l) {
                out = l;
            } else if (y instanceof LabeledData d) {
                out = d.labels();
            } else if (y instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(o -> o instanceof Integer || o instanceof Long)) {
                out = l.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
            }
            if (out != null) {
                for (int i = 0; i < out.length; i++) {
                    if (out[i] < 0) {
                        throw new DslException("predict: label " + i + " is " + out[i] + ", not a class index >= 0");
                    }
                }
            }
            return out;
        }

        /** One line naming the first non-finite entry. */
        private static void requireFinite(String what, Tensor t) {
            double[] d = t.data();
            for (int e = 0; e < d.length; e++) {
                if (!Double.isFinite(d[e])) {
                    throw new DslException("predict: " + what + " has a non-finite value " + d[e] + " at flat index " + e);
                }
            }
        }

        /**
         * Function-space gradient descent on mean softmax cross-entropy (neural-tangents' {@code gradient_descent}):
         * {@code v ← μ v − (1/n) K (softmax(f) − y)}, {@code f ← f + η v} on training outputs, the same update with
         * {@code K(test, train)} on test outputs, f₀ = 0; t counts whole steps.
         */
        private static void xent(String name, Blocks b, Tensor y, List<Double> ts, double lr, double momentum, Map<String, Object> out) {
            int n = b.train().dim(0), m = b.test().dim(0), k = y.dim(1);
            long last = 0;
            for (double t : ts) {
                if (t == Double.POSITIVE_INFINITY || t != Math.rint(t)) {
                    throw new DslException("predict: loss 'xent' needs whole finite step counts t, got " + t);
                }
                last = Math.max(last, (long) t);
            }
            double[] f = new double[n * k], fs = new double[m * k], v = new double[n * k], vs = new double[m * k];
            double[] r = new double[n * k], g = new double[n * k], gs = new double[m * k];
            Map<Long, Tensor> at = new LinkedHashMap<>();
            for (long step = 0; step <= last; step++) {
                if (ts.contains((double) step)) {
                    at.put(step, Tensor.of(fs.clone(), m, k));
                }
                if (step == last) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    double mx = Double.NEGATIVE_INFINITY, z = 0;
                    for (int c = 0; c < k; c++) {
                        mx = Math.max(mx, f[i * k + c]);
                    }
                    for (int c = 0; c < k; c++) {
                        z += Math.exp(f[i * k + c] - mx);
                    }
                    for (int c = 0; c < k; c++) {
                        r[i * k + c] = Math.exp(f[i * k + c] - mx) / z - y.data()[i * k + c];
                    }
                }
                Blas.gemm(false, false, n, k, n, 1.0 / n, b.train().data(), r, 0.0, g);
                Blas.gemm(false, false, m, k, n, 1.0 / n, b.test().data(), r, 0.0, gs);
                for (int e = 0; e < f.length; e++) {
                    v[e] = momentum * v[e] - g[e];
                    f[e] += lr * v[e];
                }
                for (int e = 0; e < fs.length; e++) {
                    vs[e] = momentum * vs[e] - gs[e];
                    fs[e] += lr * vs[e];
                }
            }
            for (double t : ts) {
                out.put(FitRequest.predictionName(name, t), at.get((long) t));
            }
        }
    }
}
