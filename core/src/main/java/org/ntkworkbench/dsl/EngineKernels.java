package org.ntkworkbench.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.KernelOffload;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.ComputeEngine;
import org.ntkworkbench.spi.EngineProvider;
import org.ntkworkbench.tensor.Tensor;

/**
 * The DSL's {@code engine:} option ({@code net.kernel(x1, x2, engine: 'spark')},
 * {@code predict(..., engine: 'spark')}): the analytic kernel computed by a plugin's
 * {@link ComputeEngine}, found by name through {@link EngineProvider}. The model travels as its DSL text
 * ({@link ModelSource}).
 *
 * <p>One engine is kept open per JVM and reused while scripts ask for the same engine and master
 * (opening a Spark context takes seconds, and Spark allows one per JVM); asking for another closes it
 * first. It is closed at JVM exit, or by {@link #closeShared()}.
 */
public final class EngineKernels implements KernelOffload {
    private static ComputeEngine shared;
    private static String sharedKey;
    private static boolean hook;

    /** For {@link java.util.ServiceLoader}. */
    public EngineKernels() {}

    /** The open engine {@code name} at {@code master} ({@code null}: its default), opened on first use. */
    public static synchronized ComputeEngine engine(String name, String master) {
        String key = name + "@" + master;
        if (shared != null && key.equals(sharedKey)) {
            return shared;
        }
        closeShared();
        EngineProvider provider = EngineProvider.find(name).orElseThrow(() -> new IllegalArgumentException("engine: '" + name
                + "': no such engine on the class path (known: local" + (EngineProvider.names().isEmpty() ? "" : ", "
                + String.join(", ", EngineProvider.names())) + "); the spark engine needs the plugin plugins/spark (ntk-plugin-spark jar)"));
        shared = provider.open(master);
        sharedKey = key;
        if (!hook) {
            hook = true;
            Runtime.getRuntime().addShutdownHook(new Thread(EngineKernels::closeShared, "ntk-engine-close"));
        }
        return shared;
    }

    /** Closes the shared engine, if one is open (tests, and before another engine is opened in this JVM). */
    public static synchronized void closeShared() {
        if (shared != null) {
            ComputeEngine e = shared;
            shared = null;
            sharedKey = null;
            e.close();
        }
    }

    @Override
    public Kernel kernel(Layer net, String engine, String master, Tensor x1, Tensor x2, boolean computeNtk) {
        String text = ModelSource.require(net, engine);
        boolean same = x2 == null || x2 == x1;
        List<String> get = new ArrayList<>(List.of("nngp"));
        if (computeNtk) {
            get.add("ntk");
        }
        Map<String, Tensor> k = engine(engine, master).kernel(text, x1, same ? null : x2, get, null);
        Tensor cov1 = k.get("cov1");
        return Kernel.dense(k.get("nngp"), computeNtk ? k.get("ntk") : null, cov1, same ? cov1 : k.get("cov2"), same, 0)
                .withGaussianity(new org.ntkworkbench.kernel.Gaussianity("a kernel computed by the " + engine + " engine", false));
        // (the engine does not send the flag back: not known to be Gaussian)
    }
}
