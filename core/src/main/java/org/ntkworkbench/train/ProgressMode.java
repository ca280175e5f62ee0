package org.ntkworkbench.train;

/** When the {@link Trainer} shows a progress bar on standard error. */
public enum ProgressMode {
    /** Only for runs of at least {@link Trainer#PROGRESS_MIN_STEPS} updates, unless {@code -Dntk.progress=false}. */
    AUTO,
    /** Always. */
    ALWAYS,
    /** Never (tests, library use). */
    NEVER
}
