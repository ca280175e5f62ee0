package org.ntkworkbench.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Runs external Python reference scripts (NumPy baselines of our benchmarks). A script prints one JSON
 * object on the last non-empty line of its standard output; anything before it is ignored.
 */
public final class PythonScripts {
    private static final java.util.concurrent.ConcurrentHashMap<String, Optional<String>> NUMPY = new java.util.concurrent.ConcurrentHashMap<>();

    private PythonScripts() {}

    /** The interpreter: {@code -Dntk.python=…}, else {@code python3} on the PATH. */
    public static String python() {
        return System.getProperty("ntk.python", "python3");
    }

    /** NumPy's version if {@link #python()} runs and imports NumPy (checked once per interpreter), else empty. */
    public static Optional<String> numpyVersion() {
        return moduleVersion("numpy");
    }

    /**
     * The version of Python module {@code module} ({@code numpy}, {@code torch}) if {@link #python()} imports it
     * (checked once per interpreter and module), else empty.
     */
    public static Optional<String> moduleVersion(String module) {
        if (!module.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a Python module name: " + module);
        }
        return NUMPY.computeIfAbsent(python() + " " + module, key -> {
            try {
                Result r = exec(List.of(python(), "-c", "import " + module + "; print(" + module + ".__version__)"), 120);
                return r.exitCode() == 0 && !r.stdout().isBlank() ? Optional.of(r.stdout().strip()) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * Runs {@code script} with {@code args} and parses the JSON object on its last output line.
     * Throws {@link BenchmarkSkippedException} when python3 or NumPy is missing or the script does not
     * exist, and {@link IOException} when the script fails (exit code and the end of its stderr).
     */
    public static JsonNode runJson(Path script, List<String> args, long timeoutSeconds) throws IOException {
        return runJson(script, args, timeoutSeconds, "numpy");
    }

    /** As {@link #runJson(Path, List, long)}, skipped unless {@code module} (e.g. {@code torch}) imports as well as NumPy. */
    public static JsonNode runJson(Path script, List<String> args, long timeoutSeconds, String module) throws IOException {
        if (!Files.isRegularFile(script)) {
            throw new BenchmarkSkippedException("reference script " + script + " not found");
        }
        requireModules(module);
        List<String> cmd = new ArrayList<>();
        cmd.add(python());
        cmd.add(script.toString());
        cmd.addAll(args);
        Result r = exec(cmd, timeoutSeconds);
        if (r.exitCode() != 0) {
            String err = r.stderr().strip();
            throw new IOException(script.getFileName() + " exited with " + r.exitCode() + ": "
                    + err.substring(Math.max(0, err.length() - 400)));
        }
        String last = r.stdout().lines().filter(l -> !l.isBlank()).reduce((x, y) -> y).orElse("");
        try {
            JsonNode node = BenchmarkReport.JSON.readTree(last);
            if (!node.isObject()) {
                throw new IOException("not an object");
            }
            return node;
        } catch (RuntimeException | IOException e) {
            throw new IOException(script.getFileName() + " did not print a JSON object on its last line: " + last);
        }
    }

    /**
     * Throws {@link BenchmarkSkippedException} (one note naming what is missing) unless {@link #python()} runs and
     * imports NumPy and each of {@code modules} (e.g. {@code torch}, {@code functorch}); the one place that decides
     * whether a Python reference is skipped.
     */
    public static void requireModules(String... modules) {
        if (numpyVersion().isEmpty()) {
            throw new BenchmarkSkippedException(python() + " with NumPy is not available; NumPy baseline skipped");
        }
        for (String module : modules) {
            if (!"numpy".equals(module) && moduleVersion(module).isEmpty()) {
                throw new BenchmarkSkippedException(python() + " cannot import " + module + "; the " + module
                        + " reference is skipped (on Debian: apt install python3-torch, or -Dntk.python=…)");
            }
        }
    }

    /** Exit code and the two output streams of a finished process. */
    record Result(int exitCode, String stdout, String stderr) {}

    static Result exec(List<String> cmd, long timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // The launcher (and surefire) put our OpenBLAS, libgfortran and libgcc_s first on LD_LIBRARY_PATH; a
        // reference must use its own libraries (torch segfaults, exit 139, with ours), so the child does not inherit it.
        pb.environment().remove("LD_LIBRARY_PATH");
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(p.getErrorStream()));
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        }
    }

    private static String slurp(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
