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

    /**
     * The outcome of this point as a remote executor left it in the run directory (its status file), after
     * the executor's worker computed it from {@link #job()}; a point without a status is a failed point.
     */
    default R collect() {
        throw new UnsupportedOperationException("point " + job().point() + " has no outcome to collect from the run directory");
    }
}
