package org.ntkworkbench.plugins.analyses;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Layers;
import org.ntkworkbench.spi.RunOutputs;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.NetworkTraining;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.spi.WordInfo;

/**
 * {@code densityConvergence(net?, n: 734, density: [4, 2, 1], frequency: 6, …)}: {@link DensityConvergence#run},
 * plotted into {@code plots/<name>.png} of the run directory. Without a model the net is Basri et al.'s two-layer
 * ReLU net with bias, {@code serial(dense(width, bStd: 1), relu(), dense(1))}.
 */
final class DensityConvergenceWord implements DslWord {
    static final WordInfo INFO = new WordInfo("densityConvergence",
            "densityConvergence(net | net: model, n: 734, density: [4, 2, 1], frequency: 6, width: 384, lr: auto, lrFraction: 0.8, "
                    + "steps: auto, maxSteps: 30000, margin: 24, threshold: 0.1, floor: 0.1, grid: 40, centered: true, seed: 0, "
                    + "initSeed: seed + 5, name: 'density_convergence', title:)",
            "Frequency bias under density (Basri et al. 2020): n points on the circle from a piecewise-constant density over equal arcs, "
                    + "target sin(frequency theta); trains the net (default two-layer ReLU with bias of the given width) by full-batch GD "
                    + "next to its NTK-linearised dynamics and reports each point's convergence step (|r_i| < threshold max(|y_i|, floor)) "
                    + "and the median per arc with ratios to the densest arc, for the net and the NTK. steps: auto = margin x the slowest "
                    + "linearised median. A DensityConvergence.Result (finiteMedians(), ntkMedians(), ratios(), ntkRatios(), curves(), "
                    + "results()) and plots/<name>.png.");

    private final NetworkTraining training;
    private final RunOutputs run;

    @Inject
    DensityConvergenceWord(NetworkTraining training, RunOutputs run) {
        this.training = training;
        this.run = run;
    }

    @Override
    public Object call(DslArgs a) {
        a.allowOnly("net", "n", "density", "frequency", "width", "lr", "lrFraction", "steps", "maxSteps", "margin", "threshold",
                "floor", "grid", "centered", "seed", "initSeed", "name", "title");
        String w = "densityConvergence";
        Layer net;
        if (a.count() == 1 && a.positional(0) instanceof Layer l && !a.has("net")) {
            net = l;
        } else if (a.count() == 0 && a.has("net")) {
            if (!(a.named().get("net") instanceof Layer l)) {
                throw new DslException(w + ": net must be a model, got " + a.named().get("net"));
            }
            net = l;
        } else if (a.count() == 0) {
            int width = a.intNamed("width", 384);
            if (width < 1) {
                throw new DslException(w + ": width must be positive, got " + width);
            }
            net = Layers.serial(Layers.dense(width, 1.0, 1.0), Layers.relu(), Layers.dense(1));
        } else {
            throw new DslException(w + ": give the model first or as net:, or none for the two-layer ReLU net with bias");
        }
        if (a.has("width") && (a.count() > 0 || a.has("net"))) {
            throw new DslException(w + ": width: sets the default net; with a model given it has no meaning");
        }
        double[] density = a.has("density") ? Values.doubles(w, "density", a.named().get("density")) : new double[] {4, 2, 1};
        long seed = a.intNamed("seed", 0);
        DensityConvergence.Result result;
        try {
            DensityConvergence.Options o = new DensityConvergence.Options(density, a.intNamed("n", 734), a.intNamed("frequency", 6),
                    a.doubleNamed("lr", 0), a.doubleNamed("lrFraction", 0.8), a.intNamed("steps", 0), a.intNamed("maxSteps", 30000),
                    a.doubleNamed("margin", 24), a.doubleNamed("threshold", 0.1), a.doubleNamed("floor", 0.1), a.intNamed("grid", 40),
                    a.boolNamed("centered", true), seed, a.intNamed("initSeed", (int) seed + 5));
            result = DensityConvergence.run(training, net, o);
        } catch (IllegalArgumentException e) {
            throw new DslException(w + ": " + e.getMessage(), e);
        }
        String name = a.stringNamed("name", "density_convergence");
        String title = a.stringNamed("title", "Convergence step per point, sin(" + result.options().frequency() + " theta), density "
                + java.util.Arrays.toString(density) + "; network and NTK linearised");
        try {
            run.savePlot(result.plot(title), name);
        } catch (IOException e) {
            throw new UncheckedIOException(w + " plot: " + e.getMessage(), e);
        }
        return result;
    }
}
