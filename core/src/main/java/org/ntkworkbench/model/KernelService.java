package org.ntkworkbench.model;

import java.io.IOException;
import java.nio.file.Path;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.memory.MemoryPlanner;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * The kernel service (scripts see it as {@code kernels}): analytic NNGP/NTK of a model's output for
 * one output unit, computed in row blocks of {@code x1} across cores.
 *
 * <p>Memory: a layer rule keeps about {@link #LIVE_ARRAYS} arrays of {@code n1·n2} doubles alive
 * (input and output NNGP and NTK, and a scratch array), so the service estimates
 * {@code n1·n2·8·LIVE_ARRAYS} bytes (times the position pairs for spatial layers) before allocating.
 * {@link #analytic} always returns arrays in memory (and fails with a clear message when they cannot
 * fit); {@link #analyticOrFiles} writes the kernel tile by tile into NPY files (positional writes,
 * {@code io.NpyTileFile}) instead when the estimate does not fit the heap, so kernels bigger than RAM never fail.
 */
public interface KernelService {

    /** Arrays of {@code n1 × n2} doubles a kernel rule keeps alive at once (the estimate's factor). */
    int LIVE_ARRAYS = 5;

    /**
     * {@code net.kernel(x1, x2)} computed in row blocks of {@code x1} in parallel; {@code x2 = null}
     * means {@code x2 = x1} (then the result is symmetric to the last bit).
     */
    Kernel analytic(Layer net, Tensor x1, Tensor x2);

    /**
     * {@link #analytic(Layer, Tensor, Tensor)}, NNGP only when {@code computeNtk} is false ({@code ntk()}
     * null; neural-tangents' {@code get='nngp'}, which saves the NTK work). The default computes both.
     */
    default Kernel analytic(Layer net, Tensor x1, Tensor x2, boolean computeNtk) {
        Kernel k = analytic(net, x1, x2);
        return computeNtk ? k : k.withNtk(null);
    }

    /**
     * {@link #analytic(Layer, Tensor, Tensor, boolean)} reporting progress: {@code pairsDone} receives the
     * number of kernel entries finished as they finish (pairs of examples; for {@code x2 = x1} the distinct
     * pairs, {@code n(n+1)/2} in all), possibly from several threads. The default reports them all at the end.
     */
    default Kernel analytic(Layer net, Tensor x1, Tensor x2, boolean computeNtk, java.util.function.LongConsumer pairsDone) {
        Kernel k = analytic(net, x1, x2, computeNtk);
        long n1 = x1.dim(0);
        pairsDone.accept(x2 == null || x2 == x1 ? n1 * (n1 + 1) / 2 : n1 * x2.dim(0));
        return k;
    }

    /**
     * {@code net.kernel(x1, x2)} (NNGP and NTK, the same bits as {@link #analytic(Layer, Tensor, Tensor)}) handed to
     * {@code sink} in blocks of rows in order, without the two {@code n1×n2} arrays, when the model allows it (a
     * {@link org.ntkworkbench.nn.Serial} computed in one fused entrywise pass on dense inputs, see
     * {@link org.ntkworkbench.nn.Serial#streamKernel}); false, with nothing computed, otherwise.
     */
    default boolean analyticRows(Layer net, Tensor x1, Tensor x2, org.ntkworkbench.kernel.EntrywiseChain.RowSink sink) throws IOException {
        return net instanceof org.ntkworkbench.nn.Serial s && s.streamKernel(x1, x2, sink);
    }

    /**
     * The analytic kernel, in memory when the estimate fits {@code budgetBytes}, otherwise written
     * block by block to {@code dir/nngp.npy} and {@code dir/ntk.npy} (float64 {@code (n1, n2)}).
     */
    KernelResult analyticOrFiles(Layer net, Tensor x1, Tensor x2, Path dir, long budgetBytes) throws IOException;

    /**
     * The empirical NNGP and/or NTK ({@code get}: "nngp", "ntk") of the finite network {@code net} with {@code params}
     * into {@code dir/<name>.npy} (float64 {@code (n1, n2)}), written as the analytic file path and the Spark engine
     * write theirs ({@code io.NpyTileFile}, positional writes, each file under its name only when complete): for
     * {@code x2 = x1} (or {@code null}) the tiles of edge {@code tile} (smaller when {@code rowsInBudget}, the rows of
     * the full width that fit memory, is smaller) on and above the diagonal, a diagonal tile as the kernel of its
     * rows with themselves, each other tile with its mirror, so the files are symmetric to the last bit and equal
     * the Spark engine's tiles of the same edge; otherwise row blocks of {@code rowsInBudget} rows of the full width.
     */
    java.util.Map<String, Path> empiricalToFiles(Layer net, java.util.Map<String, Tensor> params, Tensor x1, Tensor x2, java.util.List<String> get,
                                                 Path dir, int tile, int rowsInBudget) throws IOException;

    /** {@link #analyticOrFiles(Layer, Tensor, Tensor, Path, long)} with the heap budget {@link #heapBudget()}. */
    default KernelResult analyticOrFiles(Layer net, Tensor x1, Tensor x2, Path dir) throws IOException {
        return analyticOrFiles(net, x1, x2, dir, heapBudget());
    }

    /** Bytes the analytic kernel of {@code net} between {@code n1} and {@code n2} examples of this shape needs. */
    long estimateBytes(Layer net, int n1, int n2, int... perExampleShape);

    /**
     * The budget the in-memory path allows itself: half the {@link MemoryPlanner#current() planner's}
     * budget (the other half for the inputs and whatever the caller keeps alive).
     */
    static long heapBudget() {
        return MemoryPlanner.current().budgetBytes() / 2;
    }

    /**
     * A computed kernel: either in memory ({@code kernel} set, paths {@code null}) or on disk
     * ({@code nngpFile}/{@code ntkFile} set, {@code kernel} {@code null}; open them with
     * {@code ArrayIO.mapNpy} or numpy's {@code np.load(..., mmap_mode='r')}).
     */
    record KernelResult(Kernel kernel, Path nngpFile, Path ntkFile, int n1, int n2) {
        /** True when the arrays were written to files. */
        public boolean onDisk() {
            return kernel == null;
        }
    }
}
