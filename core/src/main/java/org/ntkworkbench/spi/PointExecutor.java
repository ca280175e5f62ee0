package org.ntkworkbench.spi;

import java.util.List;

/**
 * Where an experiment's points are computed: the core's thread pool ({@code dsl.ThreadPoolPointExecutor},
 * the default) or, from a plugin, a cluster engine. The experiment runner decides which points need
 * computing (resume), hands them here, and afterwards records results and runs the report stage itself,
 * so an executor only has to run independent tasks and return what each returned, in order.
 *
 * <p>A point's result depends only on its parameters and seed, so every executor gives the same results
 * for any placement or order. Each {@link PointTask#compute()} records its own failure and does not
 * throw; an exception escaping an executor means the executor itself failed (exit 1).
 */
public interface PointExecutor {

    /**
     * What the run log says the points run on, e.g. {@code 2 threads} or {@code spark local[2]}.
     *
     * @param points how many points are about to be computed
     */
    String description(int points);

    /**
     * Computes every task and returns their results in the order of {@code tasks}; returns when all are done.
     * An in-process executor calls {@link PointTask#compute()}; a remote one rebuilds each point from its
     * {@link PointTask#job()} on the worker, writing into the same run directory.
     */
    <R> List<R> computeAll(List<? extends PointTask<R>> tasks);
}
