package org.ntkworkbench.plugins.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.dsl.ModelExpressions;
import org.ntkworkbench.fit.FitProgress;
import org.ntkworkbench.fit.KernelBlocks;
import org.ntkworkbench.fit.KernelEngine;
import org.ntkworkbench.fit.KernelEngines;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.model.KernelService;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code ntk fit --engine spark [--master URL]}: the fit's kernel blocks K(train, train) and
 * K(test, train) computed as Spark tiles (the seam {@link KernelEngine} of the fit pipeline); the
 * pipeline's own solver then runs on the driver. The model travels as its DSL text, checked first to
 * rebuild the very same kernel (see {@link #expression}).
 */
public final class SparkFitEngine implements KernelEngine {
    private final String master;
    private SparkEngine engine;

    SparkFitEngine(String master) {
        this.master = master;
    }

    /** Over an engine that is already open (tests: one Spark context per JVM); closing this closes it. */
    SparkFitEngine(SparkEngine open) {
        this.master = null;
        this.engine = open;
    }

    /** The {@code spark} entry of {@code KernelEngines}. */
    public static final class Provider implements KernelEngines.Provider {
        @Override
        public String name() {
            return "spark";
        }

        @Override
        public KernelEngine create(KernelService kernels, Map<String, String> options) {
            return new SparkFitEngine(options.get("master"));
        }
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Map<String, KernelBlocks> compute(Layer net, Tensor xTrain, Tensor xTest, List<String> get, FitProgress progress) {
        String expr = expression(net, xTrain);
        int n = xTrain.dim(0), m = xTest.dim(0);
        long trainUnits = (long) n * (n + 1) / 2;
        progress.start("kernel (spark)", trainUnits + (long) m * n);
        if (engine == null) {
            engine = new SparkEngine(master);
        }
        Map<String, Tensor> train = engine.kernel(expr, xTrain, null, get, null);
        progress.step(trainUnits);
        Map<String, Tensor> test = engine.kernel(expr, xTest, xTrain, get, null);
        progress.step((long) m * n);
        progress.finish();
        Map<String, KernelBlocks> out = new LinkedHashMap<>();
        for (String g : get) {
            out.put(g, new KernelBlocks(g, train.get(g), test.get(g)));
        }
        return out;
    }

    /**
     * The model's DSL text ({@code toString()} of the layers), accepted only if evaluating it gives
     * the same kernel, bit for bit, on a few of the inputs: a layer whose text form loses something
     * (a closure, a plugin layer without a faithful {@code toString}) is refused in one line rather
     * than silently computing another model on the executors.
     */
    static String expression(Layer net, Tensor x) {
        String text = net.toString();
        Layer rebuilt;
        try {
            rebuilt = ModelExpressions.parse(TileComputer.workbench(), text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--engine spark: the model cannot travel to the executors as DSL text (" + e.getMessage() + ")");
        }
        Tensor probe = x.rowRange(0, Math.min(3, x.dim(0)));
        Kernel a = net.kernel(probe), b = rebuilt.kernel(probe);
        if (!Arrays.equals(a.ntk().data(), b.ntk().data()) || !Arrays.equals(a.nngp().data(), b.nngp().data())) {
            throw new IllegalArgumentException("--engine spark: the model's DSL text " + text
                    + " gives a different kernel; build it from DSL words only (no closures) to run it on Spark");
        }
        return text;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
