package org.ntkworkbench.train;

/** Called by the {@link Trainer} with each row of the loss curve as soon as it is recorded. */
@FunctionalInterface
public interface StepListener {
    /** A new row; an exception thrown here aborts training (the last checkpoint stays valid). */
    void onStep(StepRecord record);
}
