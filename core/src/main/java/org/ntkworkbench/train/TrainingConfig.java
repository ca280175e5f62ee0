package org.ntkworkbench.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * How to train: the optimizer (a factory, since optimizers carry state), the learning-rate schedule,
 * the number of updates {@code steps}, the batch size (0 = full batch), the seed of the mini-batch
 * shuffling, optional periodic checkpoints, the progress bar, loss listeners and parameter observers
 * ({@link TrainingObserver}). Build with {@link #builder()}.
 *
 * @param checkpointFile where checkpoints go ({@code null}: none); written every {@code checkpointEvery}
 *                       updates (0: only at the end) and after the last update
 */
public record TrainingConfig(Supplier<Optimizer> optimizer, LearningRateSchedule schedule, long steps,
                             int batchSize, long seed, Path checkpointFile, int checkpointEvery,
                             CheckpointStore checkpointStore, ProgressMode progress, List<StepListener> listeners,
                             List<TrainingObserver.Registration> observers) {

    public TrainingConfig {
        if (optimizer == null || schedule == null) {
            throw new IllegalArgumentException("training needs an optimizer and a learning-rate schedule");
        }
        if (steps < 0 || batchSize < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("steps, batch and checkpointEvery must be >= 0, got steps=" + steps
                    + ", batch=" + batchSize + ", checkpointEvery=" + checkpointEvery);
        }
        listeners = List.copyOf(listeners);
        observers = observers == null ? List.of() : List.copyOf(observers);
        checkpointStore = checkpointStore == null ? new NpzCheckpointStore() : checkpointStore;
        progress = progress == null ? ProgressMode.AUTO : progress;
    }

    /** A builder; optimizer and learning rate are required, defaults are 100 steps, full batch, seed 0, progress AUTO. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction of a {@link TrainingConfig}. */
    public static final class Builder {
        private Supplier<Optimizer> optimizer;
        private LearningRateSchedule schedule;
        private long steps = 100;
        private int batchSize;
        private long seed;
        private Path checkpointFile;
        private int checkpointEvery;
        private CheckpointStore store;
        private ProgressMode progress = ProgressMode.AUTO;
        private final List<StepListener> listeners = new ArrayList<>();
        private final List<TrainingObserver.Registration> observers = new ArrayList<>();

        /** An optimizer by name with default hyper-parameters ({@link Optimizer#byName}). */
        public Builder optimizer(String name) {
            Optimizer.byName(name); // fail now on a bad name
            this.optimizer = () -> Optimizer.byName(name);
            return this;
        }

        /** An optimizer factory, e.g. {@code () -> Optimizer.adam(0.9, 0.99, 1e-8)}. */
        public Builder optimizer(Supplier<Optimizer> factory) {
            this.optimizer = factory;
            return this;
        }

        /** A constant learning rate. */
        public Builder learningRate(double lr) {
            this.schedule = LearningRateSchedule.constant(lr);
            return this;
        }

        public Builder schedule(LearningRateSchedule s) {
            this.schedule = s;
            return this;
        }

        /** Number of updates. */
        public Builder steps(long n) {
            this.steps = n;
            return this;
        }

        /** Mini-batch size; 0 (default) means the full training set. */
        public Builder batchSize(int b) {
            this.batchSize = b;
            return this;
        }

        /** Seed of the mini-batch shuffling. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Checkpoint to {@code file} every {@code every} updates (0: only at the end). */
        public Builder checkpoint(Path file, int every) {
            this.checkpointFile = file;
            this.checkpointEvery = every;
            return this;
        }

        public Builder checkpointStore(CheckpointStore s) {
            this.store = s;
            return this;
        }

        public Builder progress(ProgressMode mode) {
            this.progress = mode;
            return this;
        }

        public Builder listener(StepListener l) {
            listeners.add(l);
            return this;
        }

        /** Calls {@code o} with θ_t at every step t that is a multiple of {@code every}, and after the last update. */
        public Builder observe(long every, TrainingObserver o) {
            if (every < 1) {
                throw new IllegalArgumentException("observe every must be >= 1, got " + every);
            }
            observers.add(new TrainingObserver.Registration(t -> t % every == 0 || t == steps, o));
            return this;
        }

        /** Calls {@code o} with θ_t at the steps {@code when} accepts (0 ≤ t ≤ steps). */
        public Builder observe(java.util.function.LongPredicate when, TrainingObserver o) {
            observers.add(new TrainingObserver.Registration(when, o));
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(optimizer, schedule, steps, batchSize, seed, checkpointFile, checkpointEvery,
                    store, progress, listeners, observers);
        }
    }
}
