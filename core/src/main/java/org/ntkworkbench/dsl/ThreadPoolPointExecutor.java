package org.ntkworkbench.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ntkworkbench.spi.PointExecutor;
import org.ntkworkbench.spi.PointTask;

/**
 * The default {@link PointExecutor}: a fixed pool of {@code min(threads, points)} daemon threads in this
 * JVM, named {@code experiment-<name>}, shut down when the points are done.
 */
public final class ThreadPoolPointExecutor implements PointExecutor {
    private final int threads;
    private final String threadName;

    /**
     * @param threads    the most threads to use (at least 1 is used)
     * @param threadName the pool threads' name (for thread dumps)
     */
    public ThreadPoolPointExecutor(int threads, String threadName) {
        this.threads = threads;
        this.threadName = threadName;
    }

    /** Threads used for {@code points} points: {@code threads} capped by the points, at least one. */
    int poolSize(int points) {
        return Math.max(1, Math.min(threads, points));
    }

    @Override
    public String description(int points) {
        int pool = poolSize(points);
        return pool + " thread" + (pool == 1 ? "" : "s");
    }

    @Override
    public <R> List<R> computeAll(List<? extends PointTask<R>> tasks) {
        ExecutorService exec = Executors.newFixedThreadPool(poolSize(tasks.size()), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (PointTask<R> task : tasks) {
                futures.add(exec.submit(task::compute));
            }
            List<R> out = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                String point = tasks.get(i).job().point();
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("point " + point + ": " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for point " + point, e);
                }
            }
            return out;
        } finally {
            exec.shutdownNow();
        }
    }
}
