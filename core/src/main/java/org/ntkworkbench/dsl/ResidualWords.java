package org.ntkworkbench.dsl;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongPredicate;
import org.ntkworkbench.data.CircleSample;
import org.ntkworkbench.model.ModelExtensions;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.plot.PlotSpec;
import org.ntkworkbench.plot.Plots;
import org.ntkworkbench.plot.Series;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.spectrum.HarmonicProjection;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.spi.WordInfo;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.train.ConvergenceTimes;
import org.ntkworkbench.train.ProgressMode;
import org.ntkworkbench.train.ResidualComponents;
import org.ntkworkbench.train.ResidualCurves;
import org.ntkworkbench.train.ResidualTraining;
import org.ntkworkbench.train.TrainingConfig;
import org.ntkworkbench.train.TrainingObserver;

/**
 * Spectral-bias instruments for finite networks: {@code degreeResiduals} trains a network and records
 * residual components next to its NTK's linearised prediction ({@link ResidualTraining}),
 * {@code regionConvergence} turns the recorded residuals into median convergence steps per region, and
 * {@code plotResiduals} draws the curves (network solid, prediction dashed).
 */
public final class ResidualWords {
    private ResidualWords() {}

    public static final WordInfo DEGREE_RESIDUALS = new WordInfo("degreeResiduals",
            "degreeResiduals(net, x, y, degrees: [k...] | zonal: [[k...], directions] | zonalFit: [[k...], directions], "
                    + "lr: 0.1, steps: 100, optimizer: 'gd', seed: 0, every: 0, grid: 20, centered: true, "
                    + "ntk: 'analytic'|'empirical'|'none'|K, keep: false)",
            "Trains a one-output net by full-batch GD and records the residual f(x) - y per harmonic degree (degrees: norms; "
                    + "zonal: projection lengths; zonalFit: least-squares zonal coefficients; none: rms) every 'every' steps or on a "
                    + "log grid of 'grid' points per decade, with the NTK-linearised prediction of the same components; "
                    + "centered trains f - f0. Returns ResidualCurves (steps(), finite(name), linearised(name), "
                    + "stepsToFraction(name, f), linearisedStepsToFraction(name, f)).");
    public static final WordInfo REGION_CONVERGENCE = new WordInfo("regionConvergence",
            "regionConvergence(curves, regions: sample | [labels], threshold: 0.1, floor: 0.1)",
            "Per-point convergence step (first recorded step with |r_i| < threshold max(|y_i|, floor)) of a degreeResiduals "
                    + "run with keep: true, and its median per region (unconverged points count as +infinity), for the network and the linearised prediction: "
                    + "[finite: medians, ntk: medians, finitePoints:, ntkPoints:, unconverged:, unconvergedNtk:].");
    public static final WordInfo PLOT_RESIDUALS = new WordInfo("plotResiduals",
            "plotResiduals(name, curves, components: [names], labels: [name: label], title:, ylabel:)",
            "Plots residual-component curves of degreeResiduals on log-log axes (x = step + 1): the trained network solid, the "
                    + "NTK-linearised prediction dashed in the same colour; PNG and SVG.");

    /** Adds these words to {@code out} ({@link WordBinding#core}). */
    public static void words(List<WordBinding> out) {
        out.add(WordBinding.of(DEGREE_RESIDUALS, new DegreeResidualsWord()));
        out.add(WordBinding.of(REGION_CONVERGENCE, new RegionConvergenceWord()));
        out.add(WordBinding.of(PLOT_RESIDUALS, PlotResidualsWord.class));
    }

    static final class DegreeResidualsWord implements DslWord {
        @Override
        public Object call(DslArgs a) {
            a.allowOnly("degrees", "zonal", "zonalFit", "lr", "steps", "optimizer", "seed", "every", "grid", "centered", "ntk", "keep");
            String w = "degreeResiduals";
            if (a.count() != 3 || !(a.positional(0) instanceof Layer net)) {
                throw new DslException(w + ": expected degreeResiduals(net, x, y, degrees: [1, 2, 4], lr:, steps:)");
            }
            Tensor x = Values.tensor(w, "x", a.positional(1));
            double[] y = Values.doubles(w, "y", a.positional(2));
            if (x.rank() != 2 || y.length != x.dim(0)) {
                throw new DslException(w + ": x must be (n, d) and y have n values, got x " + x.shapeString() + " and " + y.length + " targets");
            }
            int steps = a.intNamed("steps", 100);
            try {
                ResidualComponents comps = components(a, x);
                LongPredicate when;
                int every = a.intNamed("every", 0);
                if (every > 0) {
                    when = t -> t % every == 0 || t == steps;
                } else {
                    when = TrainingObserver.logGrid(steps, a.intNamed("grid", 20));
                }
                TrainingConfig config = TrainingConfig.builder().optimizer(a.stringNamed("optimizer", "gd"))
                        .learningRate(a.doubleNamed("lr", 0.1)).steps(steps).seed(a.intNamed("seed", 0))
                        .progress(ProgressMode.AUTO).build();
                return ResidualTraining.run(net, x, y, comps, config, when, a.boolNamed("centered", true),
                        ntk(a, net, x), a.boolNamed("keep", false));
            } catch (DslException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new DslException(w + ": " + e.getMessage(), e);
            }
        }

        private static ResidualComponents components(DslArgs a, Tensor x) {
            String w = "degreeResiduals";
            int given = (a.has("degrees") ? 1 : 0) + (a.has("zonal") ? 1 : 0) + (a.has("zonalFit") ? 1 : 0);
            if (given > 1) {
                throw new DslException(w + ": give one of degrees:, zonal:, zonalFit:");
            }
            if (a.has("degrees")) {
                return ResidualComponents.harmonicDegrees(new HarmonicProjection(x, ints(Values.doubles(w, "degrees", a.named().get("degrees")))));
            }
            for (String key : List.of("zonal", "zonalFit")) {
                if (a.has(key)) {
                    if (!(a.named().get(key) instanceof List<?> pair) || pair.size() != 2) {
                        throw new DslException(w + ": " + key + " must be [[degrees...], directions (one unit row per degree)]");
                    }
                    int[] ks = ints(Values.doubles(w, key + " degrees", pair.get(0)));
                    double[][] zetas = rows(w, key, pair.get(1));
                    return key.equals("zonal") ? ResidualComponents.zonal(new HarmonicProjection(x, ks), ks, zetas)
                            : ResidualComponents.zonalFit(x, ks, zetas);
                }
            }
            return ResidualComponents.rms(x.dim(0));
        }

        private static double[][] rows(String w, String key, Object v) {
            if (v instanceof double[][] d) {
                return d;
            }
            Tensor t = Values.tensor(w, key + " directions", v);
            if (t.rank() != 2) {
                throw new DslException(w + ": " + key + " directions must be rows (m, d), got " + t.shapeString());
            }
            return t.toArray2d();
        }

        private static int[] ints(double[] v) {
            int[] out = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                if (v[i] != Math.rint(v[i])) {
                    throw new DslException("degreeResiduals: degrees must be integers, got " + v[i]);
                }
                out[i] = (int) v[i];
            }
            return out;
        }

        private static Function<Map<String, Tensor>, Tensor> ntk(DslArgs a, Layer net, Tensor x) {
            Object v = a.named().getOrDefault("ntk", "analytic");
            if (v instanceof CharSequence s) {
                return switch (s.toString()) {
                    case "analytic" -> p -> net.kernel(x).ntk();
                    case "empirical" -> p -> ModelExtensions.empiricalNtk(net, p, x);
                    case "none" -> null;
                    default -> throw new DslException("degreeResiduals: ntk must be 'analytic', 'empirical', 'none' or an (n, n) kernel, got '" + s + "'");
                };
            }
            Tensor k = Values.tensor("degreeResiduals", "ntk", v);
            return p -> k;
        }
    }

    static final class RegionConvergenceWord implements DslWord {
        @Override
        public Object call(DslArgs a) {
            a.allowOnly("regions", "threshold", "floor");
            String w = "regionConvergence";
            if (a.count() != 1 || !(a.positional(0) instanceof ResidualCurves c)) {
                throw new DslException(w + ": expected the result of degreeResiduals(..., keep: true)");
            }
            a.requireNamed("regions");
            Object r = a.named().get("regions");
            int[] regions;
            if (r instanceof CircleSample s) {
                regions = s.pieces();
            } else {
                double[] v = Values.doubles(w, "regions", r);
                regions = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    regions[i] = (int) v[i];
                }
            }
            int count = 0;
            for (int g : regions) {
                if (g < 0) {
                    throw new DslException(w + ": region labels must be >= 0, got " + g);
                }
                count = Math.max(count, g + 1);
            }
            double threshold = a.doubleNamed("threshold", 0.1), floor = a.doubleNamed("floor", 0.1);
            try {
                Map<String, Object> out = new LinkedHashMap<>();
                double[] fin = c.convergenceSteps(threshold, floor);
                out.put("finite", toList(ConvergenceTimes.medianByGroup(fin, regions, count)));
                out.put("finitePoints", fin);
                out.put("unconverged", ConvergenceTimes.unconverged(fin));
                if (c.linearisedResiduals() != null) {
                    double[] lin = c.linearisedConvergenceSteps(threshold, floor);
                    out.put("ntk", toList(ConvergenceTimes.medianByGroup(lin, regions, count)));
                    out.put("ntkPoints", lin);
                    out.put("unconvergedNtk", ConvergenceTimes.unconverged(lin));
                }
                return out;
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new DslException(w + ": " + e.getMessage(), e);
            }
        }

        private static List<Double> toList(double[] v) {
            List<Double> l = new ArrayList<>();
            for (double d : v) {
                l.add(d);
            }
            return l;
        }
    }

    static final class PlotResidualsWord implements DslWord {
        private final CurrentRun run;
        private final Plots plots;

        @Inject
        PlotResidualsWord(CurrentRun run, Plots plots) {
            this.run = run;
            this.plots = plots;
        }

        @Override
        public Object call(DslArgs a) {
            a.allowOnly("components", "labels", "title", "ylabel");
            String w = "plotResiduals";
            if (a.count() != 2 || !(a.positional(0) instanceof CharSequence name) || !(a.positional(1) instanceof ResidualCurves c)) {
                throw new DslException(w + ": expected plotResiduals(name, curves) with curves from degreeResiduals");
            }
            List<String> names = new ArrayList<>();
            if (a.has("components")) {
                if (!(a.named().get("components") instanceof List<?> l)) {
                    throw new DslException(w + ": components must be a list of component names");
                }
                l.forEach(o -> names.add(String.valueOf(o)));
            } else {
                names.addAll(c.names());
            }
            Map<?, ?> labels = a.named().get("labels") instanceof Map<?, ?> m ? m : Map.of();
            double[] steps = c.steps().clone();
            for (int i = 0; i < steps.length; i++) {
                steps[i] += 1; // log axis: drawn at step + 1 so that step 0 (the start) shows
            }
            List<Series> series = new ArrayList<>();
            try {
                for (int q = 0; q < names.size(); q++) {
                    String n = names.get(q);
                    String label = labels.containsKey(n) ? String.valueOf(labels.get(n)) : n;
                    series.add(new Series(label + " network", steps, c.finite(n), false, q));
                    if (c.linearised() != null) {
                        series.add(new Series(label + " NTK linearised", steps, c.linearised(n), true, q));
                    }
                }
                PlotSpec spec = new PlotSpec(a.stringNamed("title", name.toString()), "GD step + 1",
                        a.stringNamed("ylabel", "residual component"), true, true, false, series);
                return plots.save(spec, run.get().plotsDir(), name.toString()).get(0);
            } catch (IllegalArgumentException e) {
                throw new DslException(w + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("plot '" + name + "': " + e.getMessage(), e);
            }
        }
    }
}
