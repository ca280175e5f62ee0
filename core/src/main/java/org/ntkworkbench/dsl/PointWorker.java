package org.ntkworkbench.dsl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.ntkworkbench.report.RunDirectory;
import org.ntkworkbench.spi.PointJob;

/**
 * The worker side of a remote {@link org.ntkworkbench.spi.PointExecutor}: computes one point of an experiment
 * in another JVM by re-running the script (same text, checked by its SHA-256; same {@code -P} parameters)
 * in point mode. There the {@code experiment} word of that name computes only that point, with its
 * stages' resume, into the driver's run directory ({@code points/<point>/}); every other experiment is
 * skipped, and the script's own run directory is a temporary one, deleted afterwards. The driver then
 * reads the point's outcome from its status file ({@link org.ntkworkbench.spi.PointTask#collect()}).
 *
 * <p>One point at a time per JVM (the run context is per JVM).
 */
public final class PointWorker {
    private PointWorker() {}

    private static final ThreadLocal<PointJob> TARGET = new ThreadLocal<>();
    private static final ThreadLocal<String> DONE = new ThreadLocal<>();

    /**
     * Computes {@code job}'s point; returns its status ({@code ok}, {@code failed}) or a one-line reason why
     * the script did not reach the point. Never throws for a failure of the point itself.
     */
    public static synchronized String compute(DslContext workbench, PointJob job) {
        Path script = Path.of(job.script());
        String text;
        try {
            text = Files.readString(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "failed: the worker cannot read the script " + script + ": " + e.getMessage();
        }
        if (!job.scriptSha256().isEmpty() && !job.scriptSha256().equals(sha256(text.startsWith("\uFEFF") ? text.substring(1) : text))) {
            return "failed: the script " + script + " on the worker differs from the driver's (SHA-256)";
        }
        Path temp = null;
        TARGET.set(job);
        DONE.remove();
        try {
            temp = Files.createTempDirectory("ntk-point-");
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            ScriptRunner.Outcome o = new ScriptRunner(workbench, quiet, quiet)
                    .run(script, new LinkedHashMap<>(job.scriptParameters()), temp, false, false);
            String done = DONE.get();
            return done != null ? done : "failed: the script did not reach experiment " + job.experiment()
                    + (o.error() == null ? "" : " (" + o.error() + ")");
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        } finally {
            TARGET.remove();
            DONE.remove();
            deleteTree(temp);
        }
    }

    /** The point this thread computes in point mode, or null (a normal run). */
    static PointJob target() {
        return TARGET.get();
    }

    /** Records the target point's status (called by the experiment word). */
    static void done(String status) {
        DONE.set(status);
    }

    /** The driver's run directory as a run context for the point (not locked: the driver holds the run). */
    static RunDirectory runOf(PointJob job, DslContext workbench) {
        Path dir = Path.of(job.runDir());
        String text;
        try {
            text = Files.readString(Path.of(job.script()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, Object> params = new LinkedHashMap<>(job.scriptParameters());
        return new RunDirectory(job.experiment(), dir.getParent(), job.script(), text, params, workbench.pluginVersions()).reuse(dir);
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
