package org.ntkworkbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ntkworkbench.io.AtomicFiles;
import org.ntkworkbench.io.NpyWriter;
import org.ntkworkbench.spi.ExitCodes;
import org.ntkworkbench.tensor.Tensor;

/**
 * The launcher's training run for a subcommand's AOT cache (not a user command; {@code ./ntk} starts it with
 * {@code -XX:AOTMode=record} in the background after the first successful run of the subcommand after a build). The JDK
 * caches the classes a run loads and the method profiles it gathers (JEP 483/515); a cache recorded from whatever the
 * user happened to run first is only as good as that run: a 10-row kernel leaves the kernel loop's profiles thin (the
 * n = 4000 kernel then took ≈ 0.3 CPU s more than with this training's cache, session 8), and a model of core words
 * alone starts the core-only workbench, so a later model with a plugin word loads Guice and the plugins without the
 * cache (≈ 0.3 CPU s more). This runs the real command, {@link Main#execute}, on synthetic inputs in a temporary directory that
 * it deletes at the end: for {@code kernel}, {@link #KERNEL_ROWS} rows of a core-word MLP (the kernel loop and the
 * streamed NPZ writer), then a few rows of a model with a plugin word (Guice, the plugin loader, the plugins' words).
 */
public final class AotTraining {

    /** Rows of the core-model kernel: enough for the kernel loop's profiles, little enough for a background job (≈ 1 CPU s). */
    static final int KERNEL_ROWS = 2000;

    /** Input dimension of the synthetic inputs (that of the issue 13 bar). */
    static final int DIM = 64;

    /** The core-word model: the issue 13 bar's depth-3 ReLU MLP. */
    static final String CORE_MODEL =
            "serial(dense(512, wStd: 1.4, bStd: 0.1), relu(), dense(512, wStd: 1.4, bStd: 0.1), relu(), dense(1, wStd: 1.4, bStd: 0.1))";

    /** A model with a word of a shipped plugin (pinet's reluPlusOne) and other core words, so that the full workbench starts. */
    static final String PLUGIN_MODEL = "serial(dense(256), reluPlusOne(), dense(256), erf(), dense(256), gelu(), dense(1))";

    private AotTraining() {
    }

    public static void main(String[] args) {
        System.exit(run(Path.of(System.getProperty("java.io.tmpdir")), args));
    }

    /**
     * Runs the training workload of the subcommand {@code args[0]} in a new directory under {@code tempParent} (deleted at
     * the end, also on SIGTERM); the exit code of the first command that fails, else 0.
     */
    static int run(Path tempParent, String... args) {
        if (args.length != 1 || !args[0].equals("kernel")) {
            System.err.println("ntk: AotTraining: expected the subcommand to train (kernel), got " + List.of(args));
            return ExitCodes.BAD_INPUT;
        }
        Path dir;
        try {
            sweepLeftovers(tempParent);
            dir = Files.createTempDirectory(tempParent, PREFIX + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            System.err.println("ntk: AotTraining: no temporary directory: " + e.getMessage());
            return ExitCodes.COMPUTATION_FAILED;
        }
        Thread cleanUp = new Thread(() -> delete(dir), "ntk-aot-training-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try {
            Path x = dir.resolve("x.npy");
            Path small = dir.resolve("x-small.npy");
            NpyWriter.write(x, Tensor.randn(0, KERNEL_ROWS, DIM));
            NpyWriter.write(small, Tensor.randn(1, 20, DIM));
            int rc = Main.execute("kernel", "--model", CORE_MODEL, "--x1", x.toString(), "--out", dir.resolve("core.npz").toString());
            if (rc != 0) {
                return rc;
            }
            return Main.execute("kernel", "--model", PLUGIN_MODEL, "--x1", small.toString(), "--out", dir.resolve("plugin.npz").toString());
        } catch (IOException e) {
            System.err.println("ntk: AotTraining: " + e.getMessage());
            return ExitCodes.COMPUTATION_FAILED;
        } finally {
            forgetOutputLocks(dir);
            delete(dir);
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        }
    }

    /**
     * The empty lock files that the outputs written into {@code dir} left in the shared lock folder
     * ({@link AtomicFiles.OutputUnit#lockFile}, which keeps them for the outputs users write again): these paths were new
     * and go with the directory, so their locks go too.
     */
    static void forgetOutputLocks(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(AtomicFiles.OutputUnit.lockFile(f));
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: an empty lock file in the temporary folder is harmless
        }
    }

    /** Names of training directories: {@code ntk-aot-training-<pid>-<random>}. */
    static final String PREFIX = "ntk-aot-training-";

    /**
     * Deletes the training directories under {@code tempParent} whose process is gone (a training killed by SIGKILL
     * cannot delete its own, up to ~64 MB): the next training sweeps them up, as the output writers do their temporaries.
     */
    static void sweepLeftovers(Path tempParent) {
        try (Stream<Path> entries = Files.list(tempParent)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(PREFIX)) {
                    continue;
                }
                String[] parts = name.substring(PREFIX.length()).split("-", 2);
                long pid;
                try {
                    pid = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue; // not one of ours
                }
                if (parts.length == 2 && pid != ProcessHandle.current().pid()
                        && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                    forgetOutputLocks(p);
                    delete(p);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort, like delete
        }
    }

    /** Deletes {@code dir} and everything in it (quietly: a leftover in the temporary directory is harmless). */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }
}
