package org.ntkworkbench.plugins.analyses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.ntkworkbench.model.predict.GradientDescentMse;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.NetworkTraining;
import org.ntkworkbench.spi.Plot;
import org.ntkworkbench.tensor.SeededRandom;
import org.ntkworkbench.tensor.Tensor;

/**
 * Extrapolation study of Wu et al. (2022): fit a 1-D target on a training interval, evaluate on a wider
 * one. Each finite network is trained by full-batch GD on the mse from its own initialisation (core
 * {@link NetworkTraining#gradientDescent}); beside it stand two infinite-width predictors from the model's analytic NTK Θ,
 * both with zero initial output: the kernel regression {@code Θ(x, X) Θ(X, X)⁻¹ y} (GD run to t = ∞) and the
 * linearised network after the same number of GD steps at the same learning rate.
 *
 * <p>Inputs follow the paper's code (LIONS-EPFL/pntk {@code extra/main_cube.py}, {@code main_cos.py}): the raw
 * scalar x ∈ R, with biases in every linear layer. Our bias-free presets get the bias through the
 * {@link Lift#BIAS} lift x ↦ (x, 1), so that a projection row w = (a, b) ~ N(0, I) computes a x + b.
 *
 * @see Options for the sampling, lift and training parameters
 */
public final class Extrapolation {
    private Extrapolation() {}

    /** How a scalar x becomes a network input row. */
    public enum Lift {
        /** (x, 1): the raw x with a constant coordinate that acts as an N(0, 1) bias (the paper's convention). */
        BIAS(2),
        /** (x): the raw scalar. */
        NONE(1),
        /** (x, 1)/√(1 + x²): onto the unit circle (bounded inputs: far outside every point nears (±1, 0)). */
        SPHERE(2);

        private final int dim;

        Lift(int dim) {
            this.dim = dim;
        }

        /** Input dimension after lifting. */
        public int dim() {
            return dim;
        }

        /** The rows {@code (n, dim())} for the points {@code x}. */
        public Tensor rows(double[] x) {
            double[] out = new double[x.length * dim];
            for (int i = 0; i < x.length; i++) {
                switch (this) {
                    case NONE -> out[i] = x[i];
                    case BIAS -> {
                        out[2 * i] = x[i];
                        out[2 * i + 1] = 1;
                    }
                    case SPHERE -> {
                        double r = Math.sqrt(1 + x[i] * x[i]);
                        out[2 * i] = x[i] / r;
                        out[2 * i + 1] = 1 / r;
                    }
                }
            }
            return Tensor.of(out, x.length, dim);
        }

        /** Parses {@code 'bias'}, {@code 'none'} or {@code 'sphere'}. */
        public static Lift parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "bias" -> BIAS;
                case "none" -> NONE;
                case "sphere" -> SPHERE;
                default -> throw new IllegalArgumentException("lift must be 'bias', 'none' or 'sphere', got '" + s + "'");
            };
        }
    }

    /**
     * What to sample and how to train.
     *
     * @param trainLo    training interval [trainLo, trainHi]; n training points uniform in it
     * @param testLo     test interval [testLo, testHi] ⊇ the training interval; nTest points uniform in it
     * @param grid       points of the evenly spaced grid over the test interval (plots, curvature)
     * @param lr         GD learning rate; 0 means {@code lrFraction · 2n/λ_max(Θ_train)} per network
     *                   (the largest stable rate of the linearised dynamics, scaled down)
     * @param seed       seeds the samples (streams {@code extrapolation/train}, {@code extrapolation/test})
     *                   and each network's initialisation
     */
    public record Options(double trainLo, double trainHi, double testLo, double testHi, int n, int nTest, int grid,
                          Lift lift, int steps, double lr, double lrFraction, long seed) {
        public Options {
            if (!(trainLo < trainHi) || !(testLo <= trainLo) || !(testHi >= trainHi)) {
                throw new IllegalArgumentException("need trainLo < trainHi inside [testLo, testHi], got train [" + trainLo + ", "
                        + trainHi + "], test [" + testLo + ", " + testHi + "]");
            }
            if (n < 2 || nTest < 2 || grid < 5 || steps < 0 || lr < 0 || !(lrFraction > 0 && lrFraction < 1)) {
                throw new IllegalArgumentException("need n >= 2, nTest >= 2, grid >= 5, steps >= 0, lr >= 0 and 0 < lrFraction < 1, got n "
                        + n + ", nTest " + nTest + ", grid " + grid + ", steps " + steps + ", lr " + lr + ", lrFraction " + lrFraction);
            }
        }

        /** Whether x lies in the training interval. */
        public boolean inside(double x) {
            return x >= trainLo && x <= trainHi;
        }

        /** Whether x is in the outer half of either gap between the training and the test interval. */
        public boolean farOutside(double x) {
            return x >= trainHi + 0.5 * (testHi - trainHi) || x <= trainLo - 0.5 * (trainLo - testLo);
        }
    }

    /**
     * One network's outcome; prediction arrays are on the test points ({@code test…}) and on the grid
     * ({@code grid…}).
     *
     * @param lr        the learning rate used
     * @param finalLoss training mse of the finite network after the last step
     */
    public record Fit(String name, double lr, double finalLoss, double[] testTrained, double[] testNtk, double[] testNtkGd,
                      double[] gridTrained, double[] gridNtk, double[] gridNtkGd) {}

    /**
     * The whole study: samples, targets, per-network fits.
     *
     * @param xTest test points, ascending
     * @param xGrid evenly spaced grid over the test interval
     */
    public record Result(Options options, double[] xTrain, double[] yTrain, double[] xTest, double[] yTest,
                         double[] xGrid, double[] yGrid, Map<String, Fit> fits) {

        /** RMSE of {@code prediction} on the test points inside ({@code inside = true}) or outside the training interval. */
        public double rmse(double[] prediction, Boolean inside) {
            double s = 0;
            int count = 0;
            for (int i = 0; i < xTest.length; i++) {
                if (inside == null || options.inside(xTest[i]) == inside) {
                    double e = prediction[i] - yTest[i];
                    s += e * e;
                    count++;
                }
            }
            return count == 0 ? Double.NaN : Math.sqrt(s / count);
        }

        /**
         * Mean |second difference| of {@code gridPrediction} over grid triples that lie wholly far outside
         * ({@link Options#farOutside}), divided by the same for the target: about 0 for a predictor that is
         * linear there, about 1 for one that bends like the target.
         */
        public double relativeCurvatureFarOutside(double[] gridPrediction) {
            return meanAbsSecondDifference(gridPrediction) / meanAbsSecondDifference(yGrid);
        }

        private double meanAbsSecondDifference(double[] f) {
            double s = 0;
            int count = 0;
            for (int i = 1; i + 1 < xGrid.length; i++) {
                // Both ends far outside on an evenly spaced grid: the middle is too, on the same side.
                if (options.farOutside(xGrid[i - 1]) && options.farOutside(xGrid[i + 1])) {
                    s += Math.abs(f[i + 1] - 2 * f[i] + f[i - 1]);
                    count++;
                }
            }
            if (count == 0) {
                throw new IllegalArgumentException("no grid triple lies far outside the training interval; raise grid");
            }
            return s / count;
        }

        /**
         * Named scalars for the manifest, {@code <what>_<tag>_<net>[_ntk|_ntk_gd]}: {@code test_rmse} (all test
         * points, the paper's test set), {@code test_rmse_inside}, {@code test_rmse_outside},
         * {@code rel_curvature_far_outside}; plus {@code train_loss_<tag>_<net>} and {@code lr_<tag>_<net>}.
         */
        public Map<String, Double> results(String tag) {
            Map<String, Double> r = new LinkedHashMap<>();
            for (Fit f : fits.values()) {
                String base = tag + "_" + f.name();
                String[] kinds = {"", "_ntk", "_ntk_gd"};
                double[][] test = {f.testTrained(), f.testNtk(), f.testNtkGd()};
                double[][] grid = {f.gridTrained(), f.gridNtk(), f.gridNtkGd()};
                for (int k = 0; k < kinds.length; k++) {
                    r.put("test_rmse_" + base + kinds[k], rmse(test[k], null));
                    r.put("test_rmse_inside_" + base + kinds[k], rmse(test[k], true));
                    r.put("test_rmse_outside_" + base + kinds[k], rmse(test[k], false));
                    r.put("rel_curvature_far_outside_" + base + kinds[k], relativeCurvatureFarOutside(grid[k]));
                }
                r.put("train_loss_" + base, f.finalLoss());
                r.put("lr_" + base, f.lr());
            }
            return r;
        }

        /** Target, training points, and each network's trained and NTK (t = ∞) predictions over the grid. */
        public Plot plot(String title) {
            List<Plot.Line> s = new ArrayList<>();
            s.add(Plot.Line.of("target", xGrid, yGrid));
            s.add(Plot.Line.points("training points", xTrain, yTrain));
            for (Fit f : fits.values()) {
                s.add(Plot.Line.of(f.name() + " trained (GD)", xGrid, f.gridTrained()));
                s.add(Plot.Line.of(f.name() + " NTK regression", xGrid, f.gridNtk()));
            }
            return Plot.of(title, "x (training interval [" + fmt(options.trainLo()) + ", " + fmt(options.trainHi()) + "])",
                    "y", s);
        }

        private static String fmt(double v) {
            return String.format(java.util.Locale.ROOT, "%.3g", v);
        }
    }

    /**
     * Runs the study for each network of {@code nets} (name → model taking rows of dimension
     * {@code options.lift().dim()}) on {@code target}.
     */
    public static Result run(NetworkTraining training, Map<String, Layer> nets, DoubleUnaryOperator target, Options o) {
        if (nets.isEmpty()) {
            throw new IllegalArgumentException("extrapolation needs at least one network");
        }
        double[] xTrain = uniform(SeededRandom.derived(o.seed(), "extrapolation/train"), o.n(), o.trainLo(), o.trainHi());
        double[] xTest = uniform(SeededRandom.derived(o.seed(), "extrapolation/test"), o.nTest(), o.testLo(), o.testHi());
        Arrays.sort(xTest);
        double[] xGrid = new double[o.grid()];
        for (int i = 0; i < xGrid.length; i++) {
            xGrid[i] = o.testLo() + (o.testHi() - o.testLo()) * i / (xGrid.length - 1);
        }
        double[] yTrain = apply(target, xTrain), yTest = apply(target, xTest), yGrid = apply(target, xGrid);
        for (double[] y : List.of(yTrain, yTest, yGrid)) {
            for (double v : y) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("the target is not finite on the test interval (got " + v + ")");
                }
            }
        }
        Tensor x = o.lift().rows(xTrain);
        Tensor y = Tensor.of(yTrain.clone(), o.n(), 1);
        double[] xEval = concat(xTest, xGrid);
        Tensor xe = o.lift().rows(xEval);
        Map<String, Fit> fits = new LinkedHashMap<>();
        for (Map.Entry<String, Layer> e : nets.entrySet()) {
            Layer net = e.getValue();
            Tensor kTrain = net.kernel(x).ntk();
            Tensor kEval = net.kernel(xe, x).ntk();
            double lr = o.lr() > 0 ? o.lr() : o.lrFraction() * GradientDescentMse.maxStableLearningRate(kTrain);
            GradientDescentMse gd = new GradientDescentMse(kTrain, y, lr);
            Tensor zeroTrain = Tensor.of(new double[o.n()], o.n(), 1);
            Tensor zeroEval = Tensor.of(new double[xEval.length], xEval.length, 1);
            double[] ntk = gd.test(Double.POSITIVE_INFINITY, zeroTrain, zeroEval, kEval).data();
            double[] ntkGd = gd.testDiscrete(o.steps(), zeroTrain, zeroEval, kEval).data();
            NetworkTraining.Trained trained = training.gradientDescent(net, x, y, lr, o.steps(), o.seed());
            double[] pred = net.apply(trained.params(), xe).data();
            int t = xTest.length;
            fits.put(e.getKey(), new Fit(e.getKey(), lr, trained.finalLoss(),
                    Arrays.copyOfRange(pred, 0, t), Arrays.copyOfRange(ntk, 0, t), Arrays.copyOfRange(ntkGd, 0, t),
                    Arrays.copyOfRange(pred, t, xEval.length), Arrays.copyOfRange(ntk, t, xEval.length),
                    Arrays.copyOfRange(ntkGd, t, xEval.length)));
        }
        return new Result(o, xTrain, yTrain, xTest, yTest, xGrid, yGrid, fits);
    }

    private static double[] uniform(SeededRandom rng, int n, double lo, double hi) {
        double[] v = new double[n];
        rng.fillUniform(v, lo, hi);
        return v;
    }

    private static double[] apply(DoubleUnaryOperator f, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f.applyAsDouble(x[i]);
        }
        return y;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
