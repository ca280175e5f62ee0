package org.ntkworkbench.train;

import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ntkworkbench.tensor.Tensor;

/**
 * Minimises an {@link Objective} by first-order updates as configured by a {@link TrainingConfig}.
 *
 * <p>Update {@code t = 0..N−1}: take the next batch from the {@link BatchSampler}, evaluate the batch
 * loss and gradient at {@code θ_t}, record row {@code t} of the loss curve, then
 * {@code θ_{t+1} = optimizer(θ_t, g_t, η_t)}. After the last update the full training loss at
 * {@code θ_N} is recorded as row {@code N}. So row 0 is the loss before any update and, for full-batch
 * runs, row {@code t} is the training loss after {@code t} updates.
 *
 * <p>A non-finite loss stops the run with {@link TrainingDivergedException}. With a checkpoint file
 * configured, a {@link Checkpoint} is written atomically every {@code checkpointEvery} updates and
 * after the last one; {@link TrainingObserver}s see θ_t at their chosen steps (a resumed run observes
 * only the steps it computes); {@link #resume} continues from it and reproduces the uninterrupted curve and
 * parameters bit for bit (the objective being deterministic).
 */
public final class Trainer {
    /** Runs with at least this many updates show a progress bar in {@link ProgressMode#AUTO}. */
    public static final long PROGRESS_MIN_STEPS = 1000;

    private final TrainingConfig config;

    public Trainer(TrainingConfig config) {
        this.config = config;
    }

    public TrainingConfig config() {
        return config;
    }

    /** Trains {@code params} in place (the tensors' data is overwritten) and returns them with the curve. */
    public TrainingResult train(Objective objective, LinkedHashMap<String, Tensor> params) {
        Optimizer optimizer = config.optimizer().get();
        BatchSampler sampler = new BatchSampler(objective.size(), config.batchSize(), config.seed());
        checkBatch(optimizer, sampler);
        return run(objective, params, optimizer, sampler, new ArrayList<>(), 0);
    }

    /** Continues the run saved in {@code checkpoint} up to {@code config.steps()} updates. */
    public TrainingResult resume(Objective objective, Checkpoint checkpoint) {
        Optimizer optimizer = config.optimizer().get();
        BatchSampler sampler = new BatchSampler(objective.size(), config.batchSize(), config.seed());
        checkBatch(optimizer, sampler);
        if (checkpoint.examples() != objective.size() || checkpoint.batchSize() != sampler.batchSize()
                || checkpoint.seed() != config.seed() || !checkpoint.optimizer().equals(optimizer.name())) {
            throw new IllegalArgumentException("checkpoint of a different run: it has examples="
                    + checkpoint.examples() + ", batch=" + checkpoint.batchSize() + ", seed=" + checkpoint.seed()
                    + ", optimizer=" + checkpoint.optimizer() + "; this run has examples=" + objective.size()
                    + ", batch=" + sampler.batchSize() + ", seed=" + config.seed() + ", optimizer=" + optimizer.name());
        }
        if (checkpoint.step() > config.steps()) {
            throw new IllegalArgumentException("checkpoint is at step " + checkpoint.step()
                    + ", beyond the " + config.steps() + " steps requested");
        }
        optimizer.restore(checkpoint.optimizerState());
        if (!sampler.fullBatch()) {
            sampler.restore(checkpoint.epoch(), checkpoint.cursor());
        }
        return run(objective, Optimizer.copyOf(checkpoint.params()), optimizer, sampler,
                new ArrayList<>(checkpoint.history()), checkpoint.step());
    }

    /** Loads the checkpoint {@code file} with the configured {@link CheckpointStore} and resumes from it. */
    public TrainingResult resume(Objective objective, java.nio.file.Path file) {
        try {
            return resume(objective, config.checkpointStore().load(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkBatch(Optimizer optimizer, BatchSampler sampler) {
        if (optimizer.fullBatchOnly() && !sampler.fullBatch()) {
            throw new IllegalArgumentException(optimizer.name() + " is full-batch gradient descent but batch is "
                    + sampler.batchSize() + "; use sgd for mini-batches");
        }
    }

    private TrainingResult run(Objective objective, LinkedHashMap<String, Tensor> params, Optimizer optimizer,
                               BatchSampler sampler, List<StepRecord> history, long start) {
        long steps = config.steps();
        LearningRateSchedule schedule = config.schedule();
        Map<String, Tensor> grads = new LinkedHashMap<>();
        params.forEach((k, v) -> grads.put(k, Tensor.zeros(v.shape())));
        double wallOffset = history.isEmpty() ? 0.0 : history.getLast().wallSeconds();
        long t0 = System.nanoTime();
        try (ProgressBar bar = progressBar(start, steps)) {
            for (long t = start; t < steps; t++) {
                int[] rows = sampler.next();
                double loss = objective.lossAndGradient(params, rows, grads, config.seed(), t);
                double lr = schedule.rate(t);
                checkFinite(t, loss, schedule);
                checkGrowth(t, loss, history.isEmpty() ? loss : history.getFirst().loss(), schedule);
                record(history, new StepRecord(t, loss, lr, wallOffset + (System.nanoTime() - t0) * 1e-9));
                observe(t, params);
                optimizer.step(params, grads, lr);
                if (bar != null) {
                    bar.step();
                    if (t % Math.max(1, steps / 200) == 0) {
                        bar.setExtraMessage(String.format(" loss %.4g", loss));
                    }
                }
                long done = t + 1;
                if (config.checkpointFile() != null
                        && (done == steps || (config.checkpointEvery() > 0 && done % config.checkpointEvery() == 0))) {
                    saveCheckpoint(done, params, optimizer, sampler, history, objective.size());
                }
            }
        }
        double finalLoss = objective.loss(params, Objective.allRows(objective.size()));
        checkFinite(steps, finalLoss, schedule);
        checkGrowth(steps, finalLoss, history.isEmpty() ? finalLoss : history.getFirst().loss(), schedule);
        record(history, new StepRecord(steps, finalLoss, schedule.rate(steps),
                wallOffset + (System.nanoTime() - t0) * 1e-9));
        observe(steps, params);
        return new TrainingResult(params, history, optimizer.name());
    }

    private void record(List<StepRecord> history, StepRecord r) {
        history.add(r);
        for (StepListener l : config.listeners()) {
            l.onStep(r);
        }
    }

    private void observe(long step, Map<String, Tensor> params) {
        for (TrainingObserver.Registration r : config.observers()) {
            if (r.when().test(step)) {
                r.observer().observe(step, params);
            }
        }
    }

    /**
     * A loss more than {@link #DIVERGENCE_FACTOR} times the initial one (floored at 1e-10) is divergence too: an
     * optimizer such as Adam can climb to 1e23 without ever overflowing, and a run that ends there is no result.
     */
    public static final double DIVERGENCE_FACTOR = 1e10;

    private static void checkGrowth(long step, double loss, double initial, LearningRateSchedule schedule) {
        double limit = DIVERGENCE_FACTOR * Math.max(Math.abs(initial), 1e-10);
        if (loss > limit) {
            throw new TrainingDivergedException(step, loss, step == 0 ? Double.NaN : schedule.rate(step - 1),
                    "more than " + DIVERGENCE_FACTOR + " times the initial loss " + initial);
        }
    }

    private static void checkFinite(long step, double loss, LearningRateSchedule schedule) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(step, loss, step == 0 ? Double.NaN : schedule.rate(step - 1));
        }
    }

    private void saveCheckpoint(long step, LinkedHashMap<String, Tensor> params, Optimizer optimizer,
                                BatchSampler sampler, List<StepRecord> history, int examples) {
        Checkpoint c = new Checkpoint(step, config.seed(), examples, sampler.batchSize(), sampler.epoch(),
                sampler.cursor(), optimizer.name(), params, optimizer.state(), history);
        try {
            config.checkpointStore().save(config.checkpointFile(), c);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + config.checkpointFile() + ": " + e.getMessage(), e);
        }
    }

    /** Whether a run of {@code updates} updates shows a progress bar in {@code mode}. */
    static boolean showsProgress(ProgressMode mode, long updates) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> updates >= PROGRESS_MIN_STEPS && !"false".equals(System.getProperty("ntk.progress"));
        };
    }

    /** Unicode blocks on a terminal; plain ASCII when output is redirected (logs, CI) or there is no console. */
    static ProgressBarStyle progressStyle(Console console) {
        return console != null && console.isTerminal() ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII;
    }

    private ProgressBar progressBar(long start, long steps) {
        if (!showsProgress(config.progress(), steps - start)) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(steps)
                .startsFrom(start, java.time.Duration.ZERO)
                .setStyle(progressStyle(System.console()))
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(500)
                .showSpeed()
                .build();
    }
}
