package org.ntkworkbench.spi;

/**
 * One point of an experiment to compute, as a {@link PointExecutor} sees it.
 *
 * @param <R> what computing it returns (the runner's outcome of the point)
 */
public interface PointTask<R> {

    /** Which point of which run this is; serializable, for executors that compute elsewhere. */
    PointJob job();

    /**
     * Computes (or resumes) the point in this JVM, on the calling thread. Never throws for a failure of
     * the point's own stages: that is recorded in the point's status and in the returned value.
     */
    R compute();
}
