package org.ntkworkbench.train;

import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * Sees the parameters during training, at the steps chosen when it is registered
 * ({@link TrainingConfig.Builder#observe(long, TrainingObserver)}): at step {@code t < N} it gets
 * {@code θ_t}, the parameters before update {@code t} (the ones row {@code t} of the loss curve is
 * evaluated at), and at step {@code N} the trained parameters. Step 0 is therefore the initialisation.
 * Instruments such as {@link ResidualRecorder} measure the network's function here.
 */
@FunctionalInterface
public interface TrainingObserver {
    /**
     * Called with the live parameter tensors: read them, never modify or keep them (they change in place
     * with the next update). An exception thrown here aborts training.
     */
    void observe(long step, Map<String, Tensor> params);

    /**
     * An observer registered with the steps it wants.
     *
     * @param when which steps {@code t} (0 ≤ t ≤ N) to observe; step N is observed whenever {@code when} accepts it
     */
    record Registration(java.util.function.LongPredicate when, TrainingObserver observer) {
        public Registration {
            if (when == null || observer == null) {
                throw new IllegalArgumentException("an observer registration needs a step predicate and an observer");
            }
        }
    }

    /**
     * The steps 0, N and about {@code perDecade} log-spaced steps per decade in between (plus every step
     * below {@code perDecade}): a grid on which both early and late convergence times are resolved.
     */
    static java.util.function.LongPredicate logGrid(long steps, int perDecade) {
        if (perDecade < 1) {
            throw new IllegalArgumentException("log grid needs at least 1 point per decade, got " + perDecade);
        }
        java.util.TreeSet<Long> grid = new java.util.TreeSet<>();
        grid.add(0L);
        grid.add(steps);
        for (long t = 1; t <= Math.min(steps, perDecade); t++) {
            grid.add(t);
        }
        double top = Math.log10(Math.max(1, steps));
        for (int i = 0; i <= Math.ceil(top * perDecade); i++) {
            long t = Math.round(Math.pow(10, i / (double) perDecade));
            if (t <= steps) {
                grid.add(t);
            }
        }
        return grid::contains;
    }
}
