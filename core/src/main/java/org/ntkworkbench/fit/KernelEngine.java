package org.ntkworkbench.fit;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * Seam (a) of {@code ntk fit}: how the kernel blocks K(train, train) and K(test, train) are computed.
 * {@link LocalKernelEngine} computes them in this JVM; other engines (e.g. Spark tiles) implement the
 * same method and must give the same numbers (DESIGN.md: ≤ 1e−12 relative).
 *
 * <p>Contract: {@code trainTrain} is symmetric to the last bit; both blocks are finite float64 arrays
 * in memory; the engine reports its work through {@code progress} (stage names {@code "kernel …"}).
 * An engine is selected by name through {@link KernelEngines}.
 */
public interface KernelEngine extends AutoCloseable {
    /** The engine's name as given to {@code --engine}. */
    String name();

    /**
     * The analytic kernels named in {@code get} ({@code nngp}, {@code ntk}) of {@code net} between the
     * training inputs and between test and training inputs, by name.
     */
    Map<String, KernelBlocks> compute(Layer net, Tensor xTrain, Tensor xTest, List<String> get, FitProgress progress);

    /** Releases the engine's resources (a cluster connection); nothing for the local engine. */
    @Override
    default void close() {}
}
