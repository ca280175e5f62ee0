package org.ntkworkbench.train;

/**
 * Training produced a non-finite loss. The CLI maps it to exit code 1. The message names the step and
 * suggests a smaller learning rate.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final long step;
    private final double loss;
    private final double learningRate;

    /** Non-finite {@code loss} at {@code step} (rate {@code learningRate} of the last update, NaN if none). */
    public TrainingDivergedException(long step, double loss, double learningRate) {
        this(step, loss, learningRate, null);
    }

    /** {@code loss} at {@code step} grew beyond bounds; {@code why} says which (e.g. how far above the initial loss). */
    public TrainingDivergedException(long step, double loss, double learningRate, String why) {
        super(message(step, loss, learningRate, why));
        this.step = step;
        this.loss = loss;
        this.learningRate = learningRate;
    }

    private static String message(long step, double loss, double lr, String why) {
        String rate = Double.isNaN(lr) ? "a smaller learning rate"
                : "a smaller learning rate than " + lr + " (e.g. " + lr / 2 + ")";
        return "training diverged at step " + step + ": the loss is " + loss + (why == null ? "" : ", " + why) + "; try " + rate;
    }

    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }

    public double learningRate() {
        return learningRate;
    }
}
