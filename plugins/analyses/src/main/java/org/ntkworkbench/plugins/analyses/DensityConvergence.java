package org.ntkworkbench.plugins.analyses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.ntkworkbench.model.predict.GradientDescentMse;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.NetworkTraining;
import org.ntkworkbench.spi.Plot;
import org.ntkworkbench.spi.Samples;
import org.ntkworkbench.tensor.Tensor;

/**
 * Frequency bias under non-uniform density (Basri et al. 2020): n points on S¹ drawn from a piecewise-constant
 * density over m equal arcs, target y = sin(kθ), a one-output network trained by full-batch GD on the mse
 * ({@link NetworkTraining#residualGradientDescent}, centred by default: f − f₀ is trained, so the random initial function does not
 * blur the per-point times), next to the linearised dynamics of its analytic NTK Θ,
 * r_t = V diag((1 − ηλ/n)^t) Vᵀ r₀ with r₀ = −y ({@link NetworkTraining#linearisedResiduals}).
 *
 * <p>Residuals are recorded on a log grid of steps; point i converges at the first recorded step with
 * |r_i| < threshold · max(|y_i|, floor), and a region (arc) reports the median over its points, unconverged
 * points counting as +∞ ({@link NetworkTraining#medianByGroup}). The paper's headline: the median time grows like 1/density
 * (about 1 : 2 : 4 for weights 4 : 2 : 1); ratios here are relative to the densest arc.
 *
 * @see Options for the sampling and training parameters
 */
public final class DensityConvergence {
    private DensityConvergence() {}

    /**
     * What to sample and how to train.
     *
     * @param density    weights of the m equal arcs [2πj/m, 2π(j+1)/m) (Basri: 4, 2, 1)
     * @param frequency  k of the target sin(kθ)
     * @param lr         GD learning rate; 0 means {@code lrFraction · 2n/λ_max(Θ)} (the largest stable rate of the
     *                   linearised dynamics, scaled down)
     * @param steps      GD updates; 0 means automatic: {@code margin} × the slowest region median of the linearised
     *                   prediction (on the log grid up to {@code maxSteps}), at most {@code maxSteps}
     * @param grid       recorded steps per decade of the log grid
     * @param seed       seeds the sample ({@link Samples#circle})
     * @param initSeed   seeds the network's initialisation
     */
    public record Options(double[] density, int n, int frequency, double lr, double lrFraction, long steps, long maxSteps,
                          double margin, double threshold, double floor, int grid, boolean centered, long seed, long initSeed) {
        public Options {
            density = Samples.circleWeights(density); // validates and copies
            if (n < 2 || steps < 0 || maxSteps < 1 || lr < 0 || !(lrFraction > 0 && lrFraction < 1) || !(margin > 0)
                    || !(threshold > 0) || !(floor >= 0) || grid < 1) {
                throw new IllegalArgumentException("need n >= 2, steps >= 0, maxSteps >= 1, lr >= 0, 0 < lrFraction < 1, margin > 0, "
                        + "threshold > 0, floor >= 0, grid >= 1, got n " + n + ", steps " + steps + ", maxSteps " + maxSteps + ", lr " + lr
                        + ", lrFraction " + lrFraction + ", margin " + margin + ", threshold " + threshold + ", floor " + floor + ", grid " + grid);
            }
        }

        @Override
        public double[] density() {
            return density.clone();
        }

        /** Index of the densest arc (the first of equal maxima): the reference of the ratios. */
        public int densest() {
            int best = 0;
            for (int j = 1; j < density.length; j++) {
                if (density[j] > density[best]) {
                    best = j;
                }
            }
            return best;
        }
    }

    /**
     * The study's outcome. Per-point arrays are in sample order, NaN where a point never converged.
     *
     * @param targets       y_i = sin(k θ_i)
     * @param lr            the learning rate used
     * @param steps         the GD updates run
     * @param seconds       wall time of the training
     * @param curves        the recorded run (core's ResidualCurves: rms residual curves, kept residual vectors)
     * @param finitePoints  convergence step of each point, trained network
     * @param ntkPoints     the same for the NTK-linearised prediction
     * @param finiteMedians median convergence step per arc (+∞ when half an arc never converged; NaN for an empty arc)
     * @param ntkMedians    the same, linearised
     */
    public record Result(Options options, Samples.Circle sample, double[] targets, double lr, long steps, double seconds,
                         NetworkTraining.ResidualRun curves, double[] finitePoints, double[] ntkPoints, double[] finiteMedians,
                         double[] ntkMedians) {

        /** finiteMedians[j] / finiteMedians[densest]. */
        public double[] ratios() {
            return relative(finiteMedians, options.densest());
        }

        /** ntkMedians[j] / ntkMedians[densest]. */
        public double[] ntkRatios() {
            return relative(ntkMedians, options.densest());
        }

        /** Points the trained network never brought below the threshold. */
        public int unconverged() {
            return countNaN(finitePoints);
        }

        /** Points the linearised prediction never brought below the threshold. */
        public int unconvergedNtk() {
            return countNaN(ntkPoints);
        }

        /**
         * Named scalars: {@code steps}, {@code lr}, {@code seconds}, {@code final_loss}, {@code unconverged_points},
         * {@code unconverged_points_ntk} and per arc j {@code median_steps_region<j>}, {@code time_ratio_region<j>}
         * and their {@code _ntk} twins.
         */
        public Map<String, Double> results() {
            Map<String, Double> r = new LinkedHashMap<>();
            r.put("steps", (double) steps);
            r.put("lr", lr);
            r.put("seconds", seconds);
            r.put("final_loss", curves.training().finalLoss());
            r.put("unconverged_points", (double) unconverged());
            r.put("unconverged_points_ntk", (double) unconvergedNtk());
            double[] ratio = ratios(), ratioNtk = ntkRatios();
            for (int j = 0; j < finiteMedians.length; j++) {
                r.put("median_steps_region" + j, finiteMedians[j]);
                r.put("time_ratio_region" + j, ratio[j]);
                r.put("median_steps_region" + j + "_ntk", ntkMedians[j]);
                r.put("time_ratio_region" + j + "_ntk", ratioNtk[j]);
            }
            return r;
        }

        /** Convergence step per point against θ (log y), the network and the NTK prediction; unconverged points are left out. */
        public Plot plot(String title) {
            int n = sample.size();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            double[] theta = sample.angles();
            Arrays.sort(order, (a, b) -> Double.compare(theta[a], theta[b]));
            List<Plot.Line> s = new ArrayList<>();
            s.add(converged("network", order, theta, finitePoints, 0));
            s.add(converged("NTK linearised", order, theta, ntkPoints, 1));
            return new Plot(title, "theta (arcs of density " + Arrays.toString(options.density()) + ")", "GD step",
                    false, true, true, s);
        }

        private static Plot.Line converged(String name, Integer[] order, double[] theta, double[] t, int color) {
            List<double[]> xy = new ArrayList<>();
            for (int i : order) {
                if (!Double.isNaN(t[i])) {
                    xy.add(new double[] {theta[i], t[i]});
                }
            }
            double[] x = new double[xy.size()], y = new double[xy.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = xy.get(i)[0];
                y[i] = xy.get(i)[1];
            }
            return new Plot.Line(name, x, y, false, false, color);
        }

        private static int countNaN(double[] times) {
            int c = 0;
            for (double t : times) {
                if (Double.isNaN(t)) {
                    c++;
                }
            }
            return c;
        }

        private static double[] relative(double[] v, int ref) {
            double[] out = new double[v.length];
            for (int j = 0; j < v.length; j++) {
                out[j] = v[j] / v[ref];
            }
            return out;
        }
    }

    /**
     * Draws the sample of {@code o} and runs the study on it with {@code net} (inputs (cos θ, sin θ), one output),
     * trained by {@code training}.
     */
    public static Result run(NetworkTraining training, Layer net, Options o) {
        Samples.Circle sample = Samples.circle(o.density(), o.n(), o.seed());
        int n = sample.size();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(o.frequency() * sample.angles()[i]);
        }
        int regions = o.density().length;
        Tensor x = sample.points();
        Tensor ntk = net.kernel(x).ntk();
        double lr = o.lr() > 0 ? o.lr() : o.lrFraction() * GradientDescentMse.maxStableLearningRate(ntk);
        long steps = o.steps();
        if (steps == 0) {
            double slowest = 0;
            for (double m : linearisedMedians(training, ntk, y, sample.pieces(), regions, lr, o.maxSteps(), o.grid(), o.threshold(), o.floor())) {
                slowest = Double.isNaN(m) ? slowest : Math.max(slowest, m);
            }
            steps = Double.isInfinite(slowest) ? o.maxSteps() : Math.max(1, Math.min(o.maxSteps(), (long) Math.ceil(o.margin() * slowest)));
        }
        long t0 = System.nanoTime();
        NetworkTraining.ResidualRun curves = training.residualGradientDescent(net, x, y, lr, steps, o.initSeed(),
                training.logGrid(steps, o.grid()), o.centered(), ntk);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] fin = curves.convergenceSteps(o.threshold(), o.floor());
        double[] lin = curves.linearisedConvergenceSteps(o.threshold(), o.floor());
        return new Result(o, sample, y, lr, steps, seconds, curves, fin, lin,
                training.medianByGroup(fin, sample.pieces(), regions),
                training.medianByGroup(lin, sample.pieces(), regions));
    }

    /**
     * Median convergence step per region of the linearised dynamics of {@code ntk} from r₀ = −y at constant
     * learning rate {@code lr}, recorded on the log grid up to {@code maxSteps} ({@code perDecade} per decade).
     */
    public static double[] linearisedMedians(NetworkTraining training, Tensor ntk, double[] y, int[] regions, int count, double lr, long maxSteps,
                                             int perDecade, double threshold, double floor) {
        LongPredicate when = training.logGrid(maxSteps, perDecade);
        List<Double> grid = new ArrayList<>();
        for (long t = 0; t <= maxSteps; t++) {
            if (when.test(t)) {
                grid.add((double) t);
            }
        }
        double[] steps = grid.stream().mapToDouble(Double::doubleValue).toArray();
        double[] r0 = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            r0[i] = -y[i];
        }
        double[][] r = training.linearisedResiduals(ntk, r0, steps, lr);
        return training.medianByGroup(training.convergenceSteps(steps, r, y, threshold, floor), regions, count);
    }
}
