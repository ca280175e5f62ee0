package org.ntkworkbench.nn;

import java.util.ServiceLoader;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.tensor.Tensor;

/**
 * Where {@code net.kernel(x1, x2, engine: NAME)} goes when {@code NAME} is not {@code local}: an engine
 * that computes the same analytic kernel elsewhere (the Spark plugin's tiles). {@code nn} only defines
 * this seam; the implementation above it ({@code dsl.EngineKernels}, which knows models' DSL text and the
 * engine SPI) is found with {@link ServiceLoader}, so this package depends on neither.
 */
public interface KernelOffload {

    /**
     * The analytic dense kernel of {@code net} between {@code x1} and {@code x2} ({@code null}: x1, then
     * symmetric to the last bit) computed by {@code engine} at {@code master} ({@code null}: the engine's
     * default), equal to {@link Layer#kernel(Tensor, Tensor, boolean, Boolean)} to 1e-12 relative.
     *
     * @throws IllegalArgumentException (one line) for an unknown engine, an unreachable master or a model
     *                                  the engine cannot rebuild
     */
    Kernel kernel(Layer net, String engine, String master, Tensor x1, Tensor x2, boolean computeNtk);

    /** The implementation on the class path, or a one-line refusal naming the engine. */
    static KernelOffload find(String engine) {
        return ServiceLoader.load(KernelOffload.class, KernelOffload.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("kernel: engine: '" + engine + "' needs the workbench's DSL runtime on the class path"));
    }
}
