package org.ntkworkbench.train;

/**
 * One row of a loss curve. For {@code step < N} (N updates in all) {@code loss} is the loss of the
 * batch that update {@code step} uses, evaluated at {@code θ_step} (before that update; for full-batch
 * runs the training loss), and {@code learningRate} is that update's rate; row {@code N} is the full
 * training loss after the last update. Step 0 is therefore the loss before the first update.
 * {@code wallSeconds} is the time since the run started (continued across resumes).
 */
public record StepRecord(long step, double loss, double learningRate, double wallSeconds) {}
