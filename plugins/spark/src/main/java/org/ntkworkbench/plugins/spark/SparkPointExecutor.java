package org.ntkworkbench.plugins.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.ntkworkbench.spi.EngineSupport;
import org.ntkworkbench.spi.PointExecutor;
import org.ntkworkbench.spi.PointJob;
import org.ntkworkbench.spi.PointTask;

/**
 * Experiment points as Spark tasks ({@code experiment { engine 'spark' }}, {@code -Pengine=spark}): one task
 * per point still to compute; the experiment runner keeps deciding what to compute (resume), recording
 * results and writing the report, as with the thread pool.
 *
 * <p>In {@code local[N]} mode the tasks run in this JVM and compute the runner's own point tasks, found by
 * id ({@link #LOCAL}). On a cluster each task re-runs the script for its point on the executor
 * ({@link EngineSupport#computePoint}) into the same run directory (which executors of this machine see, as do those of
 * a shared file system), and the runner then reads each point's outcome from its status file.
 */
final class SparkPointExecutor implements PointExecutor {
    /** The point tasks of running jobs in this JVM, by id, and their results. */
    private static final Map<String, List<? extends PointTask<?>>> LOCAL = new ConcurrentHashMap<>();
    private static final Map<String, Object[]> RESULTS = new ConcurrentHashMap<>();

    private final SparkEngine engine;
    private final boolean local;

    SparkPointExecutor(SparkEngine engine, boolean local) {
        this.engine = engine;
        this.local = local;
    }

    @Override
    public String description(int points) {
        return engine.description() + " (" + points + " task" + (points == 1 ? "" : "s") + ")";
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> List<R> computeAll(List<? extends PointTask<R>> tasks) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        if (local) {
            String id = UUID.randomUUID().toString();
            LOCAL.put(id, tasks);
            RESULTS.put(id, new Object[tasks.size()]);
            try {
                engine.map(tasks.size(), i -> {
                    Object r = LOCAL.get(id).get(i).compute();
                    RESULTS.get(id)[i] = r;
                    return i;
                });
                List<R> out = new ArrayList<>();
                for (Object r : RESULTS.get(id)) {
                    out.add((R) r);
                }
                return out;
            } finally {
                LOCAL.remove(id);
                RESULTS.remove(id);
            }
        }
        // Executors start in their own working directory: ship the script's absolute path.
        List<PointJob> jobs = new ArrayList<>();
        for (PointTask<R> t : tasks) {
            PointJob j = t.job();
            jobs.add(new PointJob(j.experiment(), j.point(), j.index(), j.seed(), j.runDir(),
                    Path.of(j.script()).toAbsolutePath().toString(), j.scriptSha256(), j.scriptParameters()));
        }
        engine.map(jobs.size(), i -> EngineSupport.get().computePoint(jobs.get(i)));
        List<R> out = new ArrayList<>();
        for (PointTask<R> t : tasks) {
            out.add(t.collect());
        }
        return out;
    }
}
