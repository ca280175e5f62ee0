package org.ntkworkbench.plugins.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.model.empirical.EmpiricalNngp;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.EngineSupport;
import org.ntkworkbench.tensor.Tensor;

/**
 * The executor side of a tiled kernel: computes one tile with the core's own kernel code
 * ({@code Layer.kernel} for the analytic kernels, {@code ModelExtensions.empiricalNtk}/{@code EmpiricalNngp} for
 * the finite network), exactly what the local engine runs on the whole matrix. A diagonal tile of a
 * symmetric kernel is computed as the kernel of its rows with themselves, so it is symmetric to the
 * last bit like the local result.
 */
final class TileComputer {
    private static final Map<String, Layer> MODELS = new ConcurrentHashMap<>();

    private TileComputer() {}

    /** The model of {@code expression}, parsed once per JVM (layers are immutable values). */
    static Layer model(String expression) {
        return MODELS.computeIfAbsent(expression, e -> EngineSupport.get().model(e));
    }

    /**
     * Computes a tile on an executor on exactly {@code threads} threads (the Spark cores of one task,
     * {@code TaskContext.cpus()}): in a fork-join pool of its own, so that the kernel code's parallel streams
     * split the rows over those threads only. The executors' common pool cannot do this: on JDK 25 a common pool
     * of parallelism 0 still runs a worker that takes part of every parallel stream (measured, docs/scale.md
     * session 5: 0.046 µs per entry on the pool's worker against 0.037 on the task thread), so a one-core
     * executor computed on two threads and two such executors on a two-core machine on four.
     */
    static Tile computeOn(int threads, TileJob job, int bi, int bj) {
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            return pool.submit(() -> compute(job, bi, bj)).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tile (" + bi + ", " + bj + ") interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A tile in a Spark task: on the task's own cores in an executor, on the shared pool in {@code local[N]} (one JVM).
     * An executor started with {@code -Dntk.spark.taskThreads=common} computes on the task thread and the common
     * pool instead, as until session 4 (for the benchmark's comparison).
     */
    static Tile inTask(boolean executor, TileJob job, int bi, int bj) {
        if (!executor || "common".equals(System.getProperty("ntk.spark.taskThreads"))) {
            return compute(job, bi, bj);
        }
        org.apache.spark.TaskContext tc = org.apache.spark.TaskContext.get();
        return computeOn(tc == null ? 1 : tc.cpus(), job, bi, bj);
    }

    static Tile compute(TileJob job, int bi, int bj) {
        long t0 = System.nanoTime();
        int r0 = bi * job.tile, c0 = bj * job.tile;
        int r1 = Math.min(job.n1(), r0 + job.tile), c1 = Math.min(job.n2(), c0 + job.tile);
        Layer net = model(job.model);
        Tensor a = job.x1().rowRange(r0, r1);
        boolean diag = job.symmetric() && bi == bj;
        Tensor b = diag ? null : job.x2().rowRange(c0, c1);
        double[] nngp = null, ntk = null, cov1 = null, cov2 = null;
        Map<String, Tensor> params = job.params();
        if (params == null) {
            Kernel k = net.kernel(a, b);
            if (k.spatial().length != 0) {
                throw new IllegalArgumentException("the model's output kernel is spatial " + java.util.Arrays.toString(k.spatial())
                        + ": end the model with a readout (globalAvgPool, flatten) to get an (n1, n2) kernel");
            }
            nngp = job.nngp ? k.nngp().data() : null;
            ntk = job.ntk ? k.ntk().data() : null;
            cov1 = bj == 0 || diag ? k.cov1().data() : null;
            cov2 = bi == 0 && !job.symmetric() ? k.cov2().data() : null;
        } else {
            nngp = job.nngp ? EmpiricalNngp.of(net, params, a, b).data() : null;
            ntk = job.ntk ? org.ntkworkbench.model.ModelExtensions.empiricalNtk(net, params, a, b).data() : null;
        }
        return new Tile(bi, bj, r0, c0, r1 - r0, c1 - c0, nngp, ntk, cov1, cov2, (System.nanoTime() - t0) * 1e-9, false);
    }
}
