package org.ntkworkbench.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.spectrum.EigenDecomposition;
import org.ntkworkbench.tensor.Tensor;

/**
 * An open connection to a (possibly distributed) compute engine that runs the core's own kernel code
 * on tiles of the kernel matrix. Models travel as DSL model expressions (strings), so every executor
 * rebuilds the same layers from the same words; parameters travel as arrays.
 *
 * <p>Every method computes the same numbers as the local engine (≤ 1e-12 relative for kernels;
 * solves and spectra to the stated tolerance). Failures are one-line exceptions:
 * {@link IllegalArgumentException} for bad input (exit 2), {@link IllegalStateException} for a failed
 * computation or a lost cluster (exit 1).
 */
public interface ComputeEngine extends AutoCloseable {

    /** The engine and master, e.g. {@code spark local[2]}. */
    String description();

    /**
     * The kernel arrays {@code get} (subset of {@code nngp}, {@code ntk}) of {@code model} between
     * {@code x1} and {@code x2} ({@code null}: x1, symmetric to the last bit), gathered into memory; for
     * the analytic kernels ({@code params} null) also {@code cov1} {@code (n1)} and {@code cov2} {@code (n2)},
     * each example's own output variance (as {@code Kernel.cov1/cov2}).
     *
     * @param params the finite network's parameters for the empirical kernels, {@code null} for the analytic ones
     */
    Map<String, Tensor> kernel(String model, Tensor x1, Tensor x2, List<String> get, Map<String, Tensor> params);

    /**
     * As {@link #kernel} but streamed tile by tile into {@code out}: an {@code .npz} (uncompressed, one
     * entry per array) or, for any other name, a directory of {@code <name>.npy} files. Nothing exists
     * under {@code out} unless every tile arrived.
     */
    void kernelToFile(String model, Tensor x1, Tensor x2, List<String> get, Map<String, Tensor> params, Path out) throws IOException;

    /**
     * Kernel regression (t = ∞) on the training kernel: for each {@code k} in {@code get},
     * {@code K(test, train) (K(train, train) + r·mean(diag K) I)⁻¹ y}, with the solve done by conjugate
     * gradients over the cached training tiles and the test kernel applied tile by tile.
     *
     * @param y     targets {@code (n, k)}
     * @param tol   relative residual at which the solve stops
     * @return one array {@code (n_test, k)} per kernel name
     */
    Map<String, Tensor> fit(String model, Tensor xTrain, Tensor y, Tensor xTest, List<String> get, Map<String, Tensor> params,
                            double diagReg, double tol);

    /** The top {@code k} eigenpairs of the kernel {@code which} ({@code nngp}/{@code ntk}) of {@code x} with itself. */
    EigenDecomposition topEigen(String model, Tensor x, String which, Map<String, Tensor> params, int k, boolean vectors, double tol);

    /**
     * Runs {@code count} independent tasks (e.g. experiment points) on the engine, {@code task.apply(i)}
     * for each index, and returns their results in index order. {@code task} must be serializable.
     */
    <R extends java.io.Serializable> List<R> map(int count, SerializableIntFunction<R> task);

    /**
     * Computes experiment points as tasks of this engine ({@code experiment { engine 'spark' }}): in this JVM when
     * the engine runs here, else on its workers, which re-run the script for one point each
     * ({@code dsl.PointWorker}) into the same run directory (a path they must see: this machine or a shared file system).
     */
    default PointExecutor points() {
        throw new IllegalArgumentException(description() + " cannot compute experiment points");
    }

    /** A serializable {@code int -> R}. */
    interface SerializableIntFunction<R> extends java.util.function.IntFunction<R>, java.io.Serializable {}

    @Override
    void close();
}
