package org.ntkworkbench.fit;

/**
 * Progress of a fit's stages (kernel blocks, solves), for progress bars. Engines and solvers call
 * {@link #start} once per stage, {@link #step} as work completes and {@link #finish} at the end.
 * Implementations must tolerate calls from several threads.
 */
public interface FitProgress {
    /** Starts stage {@code name} of {@code total} units. */
    void start(String name, long total);

    /** {@code units} more units of the current stage are done. */
    void step(long units);

    /** The current stage is done. */
    void finish();

    /** No progress shown (library use, tests). */
    FitProgress NONE = new FitProgress() {
        @Override
        public void start(String name, long total) {}

        @Override
        public void step(long units) {}

        @Override
        public void finish() {}
    };
}
