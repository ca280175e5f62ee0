package org.ntkworkbench.fit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.model.KernelService;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.ComputeEngine;
import org.ntkworkbench.spi.EngineProvider;
import org.ntkworkbench.tensor.Tensor;

/**
 * Chooses the {@link KernelEngine} for {@code --engine NAME}: {@code local} is built in; any other
 * name is an {@link EngineProvider} from a plugin (the {@code spark} plugin), whose
 * {@link ComputeEngine} computes the blocks from the model expression (models travel as DSL text).
 */
public final class KernelEngines {
    private KernelEngines() {}

    /**
     * The engine called {@code name} ({@code null} or {@code local}: in this JVM); {@code master} only
     * for plugin engines; {@code modelExpression} is the model as DSL text (what remote engines rebuild).
     */
    public static KernelEngine byName(String name, KernelService kernels, String master, String modelExpression) {
        if (name == null || name.equals("local")) {
            if (master != null) {
                throw new IllegalArgumentException("--master needs --engine spark");
            }
            return new LocalKernelEngine(kernels);
        }
        EngineProvider provider = EngineProvider.require(name);
        return new Remote(name, provider.open(master), modelExpression);
    }

    /** A plugin's {@link ComputeEngine} as a {@link KernelEngine}. */
    private static final class Remote implements KernelEngine {
        private final String name;
        private final ComputeEngine engine;
        private final String model;

        Remote(String name, ComputeEngine engine, String model) {
            this.name = name;
            this.engine = engine;
            this.model = model;
        }

        @Override
        public String name() {
            return name + " (" + engine.description() + ")";
        }

        @Override
        public Map<String, KernelBlocks> compute(Layer net, Tensor xTrain, Tensor xTest, List<String> get, FitProgress progress) {
            int n = xTrain.dim(0), m = xTest.dim(0);
            progress.start("kernel", (long) n * (n + 1) / 2 + (long) m * n);
            Map<String, Tensor> train = engine.kernel(model, xTrain, null, get, null);
            progress.step((long) n * (n + 1) / 2);
            Map<String, Tensor> test = engine.kernel(model, xTest, xTrain, get, null);
            progress.step((long) m * n);
            progress.finish();
            Map<String, KernelBlocks> out = new LinkedHashMap<>();
            for (String g : get) {
                out.put(g, new KernelBlocks(g, train.get(g), test.get(g)));
            }
            return out;
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
