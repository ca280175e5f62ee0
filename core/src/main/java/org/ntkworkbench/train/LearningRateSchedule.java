package org.ntkworkbench.train;

/**
 * The learning rate {@code η_t} of update {@code t} (0-based: update {@code t} takes
 * {@code θ_t} to {@code θ_{t+1}}). A pure function of {@code t}, so resumed runs see the same rates.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** {@code η_t} for update {@code t ≥ 0}. */
    double rate(long step);

    /** {@code η_t = η}. */
    static LearningRateSchedule constant(double lr) {
        checkRate(lr);
        return t -> lr;
    }

    /** Step decay {@code η_t = η · γ^{⌊t / every⌋}}. */
    static LearningRateSchedule stepDecay(double lr, double gamma, long every) {
        checkRate(lr);
        if (every <= 0 || !(gamma > 0)) {
            throw new IllegalArgumentException("step decay needs every > 0 and gamma > 0, got every=" + every
                    + ", gamma=" + gamma);
        }
        return t -> lr * Math.pow(gamma, Math.floorDiv(t, every));
    }

    /** Exponential decay {@code η_t = η · γ^t} ({@code γ} is the factor per update). */
    static LearningRateSchedule exponential(double lr, double gamma) {
        checkRate(lr);
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("exponential decay needs gamma > 0, got " + gamma);
        }
        return t -> lr * Math.pow(gamma, t);
    }

    /**
     * Cosine annealing over {@code total} updates:
     * {@code η_t = η_min + (η − η_min)(1 + cos(π t / T))/2} for {@code t ≤ T}, then {@code η_min}.
     */
    static LearningRateSchedule cosine(double lr, long total, double minLr) {
        checkRate(lr);
        if (total <= 0 || !(minLr >= 0)) {
            throw new IllegalArgumentException("cosine schedule needs total > 0 and minLr >= 0, got total="
                    + total + ", minLr=" + minLr);
        }
        return t -> t >= total ? minLr : minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * t / total));
    }

    /**
     * Linear warm-up before {@code after}: {@code η_t = after(0) · (t + 1)/W} for {@code t < W}, then
     * {@code after(t − W)} (the inner schedule starts when the warm-up ends).
     */
    static LearningRateSchedule warmup(long warmupSteps, LearningRateSchedule after) {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        }
        return t -> t < warmupSteps ? after.rate(0) * (t + 1) / warmupSteps : after.rate(t - warmupSteps);
    }

    private static void checkRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        }
    }
}
