package org.ntkworkbench.plugins.analyses;

import com.google.inject.Inject;
import groovy.lang.Closure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.RunOutputs;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.NetworkTraining;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.spi.WordInfo;

/**
 * {@code extrapolation(nets: [name: model, …], target: 'cubic'|'cos2x'|{ x -> … }, train: [a, b], test: [c, d], …)}:
 * {@link Extrapolation#run}, plotted into {@code plots/extrapolation_<name>.png} of the run directory.
 * The named targets carry the paper's intervals as defaults: {@code 'cubic'} y = x³ + x² − 5x + 5 on
 * [−2.5, 2.5] / [−5, 5], {@code 'cos2x'} y = cos 2x on [−3π/4, 3π/4] / [−3π/2, 3π/2].
 */
final class ExtrapolationWord implements DslWord {
    static final WordInfo INFO = new WordInfo("extrapolation",
            "extrapolation(nets: [name: model, ...] | model, target: 'cubic'|'cos2x'|{ x -> y }, train: [a, b], test: [c, d], "
                    + "n: 100, nTest: 400, grid: 401, lift: 'bias'|'none'|'sphere', steps: 2000, lr: auto, lrFraction: 0.5, seed: 0, name: 'extrapolation')",
            "Fits a 1-D target on [a, b] with each finite net (GD) and with its NTK (kernel regression and linearised GD), "
                    + "evaluates on [c, d]; an Extrapolation.Result (RMSE inside/outside, predictions, results(tag)) and plots/extrapolation_<name>.png.");

    private final NetworkTraining training;
    private final RunOutputs run;

    @Inject
    ExtrapolationWord(NetworkTraining training, RunOutputs run) {
        this.training = training;
        this.run = run;
    }

    @Override
    public Object call(DslArgs a) {
        a.allowOnly("nets", "target", "train", "test", "n", "nTest", "grid", "lift", "steps", "lr", "lrFraction", "seed", "name");
        Map<String, Layer> nets = nets(a);
        a.requireNamed("target");
        Object t = a.named().get("target");
        DoubleUnaryOperator target;
        double[] trainDefault = null, testDefault = null;
        if (t instanceof CharSequence s) {
            switch (s.toString()) {
                case "cubic" -> {
                    target = x -> x * x * x + x * x - 5 * x + 5;
                    trainDefault = new double[] {-2.5, 2.5};
                    testDefault = new double[] {-5, 5};
                }
                case "cos2x" -> {
                    target = x -> Math.cos(2 * x);
                    trainDefault = new double[] {-0.75 * Math.PI, 0.75 * Math.PI};
                    testDefault = new double[] {-1.5 * Math.PI, 1.5 * Math.PI};
                }
                default -> throw new DslException("extrapolation: target must be 'cubic', 'cos2x' or a closure { x -> y }, got '" + s + "'");
            }
        } else if (t instanceof Closure<?> c) {
            target = x -> {
                Object v = c.call(x);
                if (!(v instanceof Number num)) {
                    throw new DslException("extrapolation: the target closure must return a number, got " + v);
                }
                return num.doubleValue();
            };
        } else if (t instanceof DoubleUnaryOperator f) {
            target = f;
        } else {
            throw new DslException("extrapolation: target must be 'cubic', 'cos2x' or a closure { x -> y }");
        }
        double[] tr = interval(a, "train", trainDefault);
        double[] te = interval(a, "test", testDefault);
        Extrapolation.Result result;
        try {
            Extrapolation.Options o = new Extrapolation.Options(tr[0], tr[1], te[0], te[1], a.intNamed("n", 100),
                    a.intNamed("nTest", 400), a.intNamed("grid", 401), Extrapolation.Lift.parse(a.stringNamed("lift", "bias")),
                    a.intNamed("steps", 2000), a.doubleNamed("lr", 0), a.doubleNamed("lrFraction", 0.5), a.intNamed("seed", 0));
            result = Extrapolation.run(training, nets, target, o);
        } catch (DslException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DslException("extrapolation: " + e.getMessage(), e);
        }
        String name = a.stringNamed("name", "extrapolation");
        try {
            run.savePlot(result.plot("Extrapolation: " + name), "extrapolation_" + name);
        } catch (IOException e) {
            throw new UncheckedIOException("extrapolation plot: " + e.getMessage(), e);
        }
        return result;
    }

    private static Map<String, Layer> nets(DslArgs a) {
        Map<String, Layer> nets = new LinkedHashMap<>();
        if (a.has("nets")) {
            if (!(a.named().get("nets") instanceof Map<?, ?> m) || m.isEmpty()) {
                throw new DslException("extrapolation: nets must be a map name: model, e.g. nets: [ccp: ccp(degree: 3, width: 512, dim: 2)]");
            }
            m.forEach((k, v) -> {
                if (!(v instanceof Layer l)) {
                    throw new DslException("extrapolation: nets['" + k + "'] is not a model: " + v);
                }
                nets.put(String.valueOf(k), l);
            });
        } else if (a.count() == 1 && a.positional(0) instanceof Layer l) {
            nets.put("net", l);
        } else {
            throw new DslException("extrapolation: give the networks as nets: [name: model, ...] or one model first");
        }
        return nets;
    }

    private static double[] interval(DslArgs a, String key, double[] dflt) {
        if (!a.has(key)) {
            if (dflt == null) {
                throw new DslException("extrapolation: missing named argument '" + key + ": [lo, hi]'");
            }
            return dflt;
        }
        double[] v = Values.doubles("extrapolation", key, a.named().get(key));
        if (v.length != 2) {
            throw new DslException("extrapolation: " + key + " must be [lo, hi], got " + v.length + " numbers");
        }
        return v;
    }

}
