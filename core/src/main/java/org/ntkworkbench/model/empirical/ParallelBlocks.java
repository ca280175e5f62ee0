package org.ntkworkbench.model.empirical;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A small fixed pool (one thread per core) for the block loops of the empirical kernels. Work items
 * are independent and write disjoint outputs, so results do not depend on the number of threads.
 * Nested calls run inline (no deadlock, no oversubscription).
 */
final class ParallelBlocks {
    private ParallelBlocks() {}

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "ntk-empirical-worker");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code body(i)} for {@code i = 0 … count−1}, in parallel; rethrows the first failure. */
    static void forEach(int count, IntConsumer body) {
        if (count <= 1 || THREADS == 1 || INSIDE.get()) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < Math.min(THREADS, count); t++) {
            futures.add(POOL.submit(() -> {
                INSIDE.set(true);
                try {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        body.accept(i);
                    }
                } finally {
                    INSIDE.set(false);
                }
            }));
        }
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                next.set(count); // stop the others early
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while computing an empirical kernel", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
