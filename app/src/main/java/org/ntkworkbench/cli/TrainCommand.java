package org.ntkworkbench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkworkbench.dsl.ModelExpressions;
import org.ntkworkbench.io.ArrayIO;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.report.RunDirectory;
import org.ntkworkbench.runtime.Workbench;
import org.ntkworkbench.spi.ExitCodes;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.train.Loss;
import org.ntkworkbench.train.NetworkObjective;
import org.ntkworkbench.train.StepRecord;
import org.ntkworkbench.train.Training;
import org.ntkworkbench.train.TrainingConfig;
import org.ntkworkbench.train.TrainingDivergedException;
import org.ntkworkbench.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntk train --model EXPR --x X.npy --y Y.npy [--loss mse|xent] [--optimizer gd|sgd|momentum|adam]
 * [--lr η] [--steps N] [--batch B] [--seed S] [--init P.npz] --out DIR}. DIR gets {@code loss.csv}
 * ({@code step,loss}; step 0 is the loss before the first update), {@code params.npz} (the trained
 * parameters under the model's keys, raw NTK-parameterization values) and {@code manifest.json}.
 * Exit 2 for bad usage or input (one line naming the file or key), 1 when training diverges.
 */
@Command(name = "train", description = "Train a model on X.npy, Y.npy; writes loss.csv, params.npz and manifest.json to DIR.")
final class TrainCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @picocli.CommandLine.Mixin
    MemoryOption memoryOption;

    @Option(names = "--model", paramLabel = "EXPR", required = true,
            description = "DSL model expression or .groovy file, e.g. \"serial(dense(512), relu(), dense(1))\".")
    String model;

    @Option(names = "--x", paramLabel = "X.npy", required = true, description = "Inputs (n, d...), float64 or float32 (A.npz:NAME also works).")
    String x;

    @Option(names = "--y", paramLabel = "Y.npy", required = true,
            description = "Targets: (n, k) or (n) for mse; class indices (n) or one-hot (n, k) for xent.")
    String y;

    @Option(names = "--loss", paramLabel = "mse|xent", description = "Loss (default: ${DEFAULT-VALUE}).")
    String loss = "mse";

    @Option(names = "--optimizer", paramLabel = "gd|sgd|momentum|adam", description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer = "gd";

    @Option(names = "--lr", paramLabel = "η", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 0.1;

    @Option(names = "--steps", paramLabel = "N", description = "Number of updates (default: ${DEFAULT-VALUE}).")
    long steps = 100;

    @Option(names = "--batch", paramLabel = "B", description = "Mini-batch size, 0 = full batch (default: ${DEFAULT-VALUE}).")
    int batch = 0;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the initial parameters and the mini-batches (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--init", paramLabel = "P.npz", description = "Start from these parameters (the model's keys, e.g. 0/W) instead of drawing them.")
    Path init;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory.")
    Path out;

    /** A bad input: printed as one line, exit 2. */
    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() {
        try {
            return train();
        } catch (BadInput e) {
            System.err.println("ntk train: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    private int train() throws BadInput {
        Loss lossFn;
        TrainingConfig config;
        List<StepRecord> curve = new ArrayList<>();
        LossLog[] lossLog = new LossLog[1];
        try {
            lossFn = Loss.byName(loss);
            config = TrainingConfig.builder().optimizer(optimizer).learningRate(lr).steps(steps).batchSize(batch)
                    .seed(seed).listener(r -> {
                        curve.add(r);
                        if (lossLog[0] != null) {
                            lossLog[0].onStep(r);
                        }
                    }).build();
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new BadInput("--lr must be a positive number, got " + lr);
        }
        Workbench wb = root.workbench();
        ArrayIO io = wb.service(ArrayIO.class);
        Layer net;
        try {
            net = ModelExpressions.parse(wb, model);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
        Tensor xs = readArray(io, x);
        Tensor ys = readArray(io, y);
        checkFinite(x, xs);
        checkFinite(y, ys);
        if (xs.rank() < 2 || xs.dim(0) == 0) {
            throw new BadInput(x + ": inputs must be (n, d...) with n > 0, got shape " + xs.shapeString());
        }
        if (ys.rank() == 0 || ys.dim(0) != xs.dim(0)) {
            throw new BadInput(y + ": targets " + ys.shapeString() + " need one row per input, and " + x + " has "
                    + xs.dim(0) + " rows");
        }
        try {
            net.modelOutputShape(java.util.Arrays.copyOfRange(xs.shape(), 1, xs.rank()));
        } catch (IllegalArgumentException e) {
            throw new BadInput(x + ": inputs " + xs.shapeString() + " do not fit the model: " + e.getMessage());
        }
        Training training = wb.service(Training.class);
        NetworkObjective objective;
        try {
            objective = training.objective(net, xs, ys, lossFn);
        } catch (IllegalArgumentException e) {
            throw new BadInput(y + ": " + e.getMessage());
        }
        Map<String, Tensor> start = null;
        if (init != null) {
            try {
                start = io.readNpz(init);
            } catch (IOException e) {
                throw new BadInput(fileMessage(init.toString(), e));
            }
            try {
                objective.checkParameters(start);
            } catch (IllegalArgumentException e) {
                throw new BadInput(init + ": " + e.getMessage());
            }
        }

        RunDirectory run = runDirectory(wb);
        try {
            run.lock();
        } catch (IllegalStateException e) {
            throw new BadInput(e.getMessage());
        }
        removeStaleOutputs();
        long t0 = System.nanoTime();
        lossLog[0] = new LossLog(out.resolve("loss.csv"));
        try (LossLog ignored = lossLog[0]) {
            run.writeManifest("running", null);
            TrainingResult result = training.train(objective, config, start);
            lossLog[0].close();
            run.timing("train", (System.nanoTime() - t0) * 1e-9);
            result.writeLossCsv(out.resolve("loss.csv"));
            io.writeNpz(out.resolve("params.npz"), result.params());
            run.result("initial_loss", result.history().getFirst().loss());
            run.result("final_loss", result.finalLoss());
            run.result("steps", steps);
            run.writeManifest("ok", null);
            System.out.println("trained " + steps + " steps: loss " + result.history().getFirst().loss() + " -> "
                    + result.finalLoss() + "; wrote " + out.resolve("loss.csv") + ", " + out.resolve("params.npz") + replacedNote);
            return ExitCodes.OK;
        } catch (TrainingDivergedException e) {
            run.timing("train", (System.nanoTime() - t0) * 1e-9);
            lossLog[0].close();
            writePartialCurve(curve);
            failed(run, e.getMessage());
            System.err.println("ntk train: " + e.getMessage() + replacedNote.replace("were replaced", "were removed before training"));
            return ExitCodes.COMPUTATION_FAILED;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            failed(run, e.getMessage());
            throw new BadInput(e.getMessage() + replacedNote.replace("were replaced", "were removed before training"));
        }
    }

    /**
     * The outputs of an earlier train into the same directory go before this one writes anything, so a
     * failed run never leaves (or lists in its manifest) another run's {@code params.npz}.
     */
    /** Empty, or what {@link #removeStaleOutputs} removed, as a suffix for the run's last line. */
    private String replacedNote = "";

    private void removeStaleOutputs() throws BadInput {
        List<String> removed = new java.util.ArrayList<>();
        for (String f : List.of("params.npz", "loss.csv")) {
            try {
                if (Files.deleteIfExists(out.resolve(f))) {
                    removed.add(f);
                }
            } catch (IOException e) {
                throw new BadInput(out.resolve(f) + ": cannot remove the previous run's file: " + e.getMessage());
            }
        }
        // never silently: the line that ends the run (success or the one-line error) says that they went
        replacedNote = removed.isEmpty() ? "" : "; the earlier run's " + String.join(", ", removed) + " in " + out + " were replaced";
    }

    /**
     * {@code loss.csv} written row by row as training goes (flushed at most every 200 ms and at the end), so a
     * killed run leaves its curve; on success it is replaced atomically by the complete curve.
     */
    private static final class LossLog implements org.ntkworkbench.train.StepListener, AutoCloseable {
        private final java.io.BufferedWriter w;
        private long lastFlush = System.nanoTime();
        private boolean closed;

        LossLog(Path file) throws BadInput {
            try {
                w = Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8);
                w.write("step,loss\n");
                w.flush();
            } catch (IOException e) {
                throw new BadInput(file + ": cannot write: " + e.getMessage());
            }
        }

        @Override
        public void onStep(StepRecord r) {
            if (closed) {
                return;
            }
            try {
                w.write(r.step() + "," + r.loss() + "\n");
                if (System.nanoTime() - lastFlush > 200_000_000L) {
                    w.flush();
                    lastFlush = System.nanoTime();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write loss.csv: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    w.close();
                } catch (IOException ignored) {
                    // the final loss.csv is written atomically afterwards
                }
            }
        }
    }

    private RunDirectory runDirectory(Workbench wb) throws BadInput {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new BadInput(out + ": cannot create the output directory: " + e.getMessage());
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("model", model);
        args.put("x", x);
        args.put("y", y);
        args.put("loss", loss);
        args.put("optimizer", optimizer);
        args.put("lr", lr);
        args.put("steps", steps);
        args.put("batch", batch);
        args.put("seed", seed);
        args.put("init", init == null ? null : init.toString());
        // data provenance: the exact bytes trained on
        args.put("x_sha256", sha256(x));
        args.put("y_sha256", sha256(y));
        if (init != null) {
            args.put("init_sha256", sha256(init.toString()));
        }
        List<String> plugins = wb.plugins().stream().map(p -> p.name() + " " + p.version()).toList();
        RunDirectory run = new RunDirectory("train", out, "ntk train", model, args, plugins).reuse(out);
        if (init == null) {
            run.seed("init", seed);
        }
        run.seed("batches", seed);
        return run;
    }

    /** The rows recorded before the divergence, so the blow-up can be inspected. */
    private void writePartialCurve(List<StepRecord> curve) {
        new TrainingResult(new LinkedHashMap<>(), curve, optimizer).writeLossCsv(out.resolve("loss.csv"));
    }

    private static void failed(RunDirectory run, String message) {
        try {
            run.writeManifest("failed", message);
        } catch (IOException | UncheckedIOException ignored) {
            // the error itself is reported; a manifest that cannot be written adds nothing
        }
    }

    private static Tensor readArray(ArrayIO io, String spec) throws BadInput {
        try {
            return io.readArray(spec);
        } catch (IOException | UncheckedIOException e) {
            throw new BadInput(fileMessage(spec, e));
        }
    }

    private static String fileMessage(String file, Exception e) {
        Throwable c = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        if (c instanceof NoSuchFileException) {
            return file + ": no such file";
        }
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        m = m.lines().findFirst().orElse(m);
        return m.contains(file) ? m : file + ": " + m;
    }

    /** SHA-256 of the file behind an array spec ({@code A.npy} or {@code A.npz:NAME}); null if unreadable. */
    private static String sha256(String spec) {
        Path file = Path.of(spec);
        int colon = spec.lastIndexOf(':');
        if (!Files.isRegularFile(file) && colon > 0) {
            file = Path.of(spec.substring(0, colon));
        }
        try (var in = Files.newInputStream(file)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                md.update(buf, 0, r);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return null;
        }
    }

    private static void checkFinite(String file, Tensor t) throws BadInput {
        try {
            org.ntkworkbench.tensor.Finite.requireInput(file, t);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
    }
}
