package org.ntkworkbench.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ntkworkbench.io.AtomicFiles;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The {@link RunContext} of DESIGN.md, on disk. Files are written to temporary names and renamed. */
public final class RunDirectory implements RunContext {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final String name;
    private final Path base;
    private final String script;
    private final String scriptSha256;
    private final String scriptText;
    private Path onlyFile;
    private final Map<String, Object> parameters;
    private final List<String> plugins;
    private final LocalDateTime started = LocalDateTime.now();
    private final long startNanos = System.nanoTime();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, Long> seeds = new LinkedHashMap<>();
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private final Map<String, ResultInfo> resultInfo = new LinkedHashMap<>();
    private String[] lastReport;
    private Path dir;
    private BufferedWriter log;
    private volatile String lastStatus;
    private Thread shutdownGuard;
    private java.nio.channels.FileChannel lockChannel;
    private java.nio.channels.FileLock lock;

    /**
     * @param base       parent of run directories ({@code runs} or {@code --out DIR})
     * @param scriptText the script source, hashed into the manifest (may be empty)
     */
    public RunDirectory(String name, Path base, String script, String scriptText, Map<String, Object> parameters,
                        List<String> plugins) {
        this.name = name;
        this.base = base;
        this.script = script;
        this.scriptSha256 = sha256(scriptText);
        this.scriptText = scriptText;
        this.parameters = new LinkedHashMap<>(parameters);
        this.plugins = List.copyOf(plugins);
    }

    /** Uses an existing directory as the run directory (for {@code --resume}). */
    public RunDirectory reuse(Path existing) {
        this.dir = existing;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    /** The script path as given on the command line (for {@code file:line} messages). */
    public String script() {
        return script;
    }

    /** The {@code -P} parameters of this run, typed. */
    public Map<String, Object> parameters() {
        return new LinkedHashMap<>(parameters);
    }

    /** SHA-256 of the script text. */
    public String scriptSha256() {
        return scriptSha256;
    }

    @Override
    public synchronized Path dir() {
        if (dir == null) {
            try {
                Files.createDirectories(base);
                String stamp = started.format(STAMP);
                // createDirectory fails when the folder exists: two runs started in the same second never share one
                Path d = base.resolve(name + "-" + stamp);
                for (int i = 2; ; i++) {
                    try {
                        dir = Files.createDirectory(d);
                        break;
                    } catch (java.nio.file.FileAlreadyExistsException taken) {
                        d = base.resolve(name + "-" + stamp + "-" + i);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create run directory under " + base + ": " + e.getMessage(), e);
            }
        }
        return dir;
    }

    @Override
    public synchronized void result(String key, Object value) {
        results.put(key, RunContext.resultValue(key, value));
    }

    @Override
    public synchronized Map<String, Object> results() {
        return new LinkedHashMap<>(results);
    }

    @Override
    public synchronized void describeResult(String key, String description, String unit) {
        resultInfo.put(key, new ResultInfo(description == null ? "" : description, unit == null ? "" : unit));
    }

    @Override
    public synchronized Map<String, ResultInfo> resultInfo() {
        return new LinkedHashMap<>(resultInfo);
    }

    @Override
    public synchronized void reportWritten(String title, String notes) {
        lastReport = new String[] {title, notes};
    }

    @Override
    public synchronized String[] lastReport() {
        return lastReport == null ? null : lastReport.clone();
    }

    @Override
    public synchronized void seed(String what, long seed) {
        seeds.put(what, seed);
    }

    @Override
    public synchronized void timing(String stage, double seconds) {
        timings.put(stage, seconds);
    }

    @Override
    public synchronized void log(String line) {
        try {
            if (log == null) {
                log = Files.newBufferedWriter(dir().resolve("log.txt"), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            log.write(line);
            log.newLine();
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log.txt: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void writeManifest(String status, String error) throws IOException {
        writeManifestUnguarded(status, error);
        Provenance.Session session = Provenance.Session.current();
        if (session != null) {
            session.manifestWritten(manifestFile());
        }
        if ("running".equals(status)) {
            guardShutdown();
        } else {
            releaseShutdownGuard();
        }
        if (log != null && !"running".equals(status)) {
            log.close();
            log = null;
        }
    }

    /**
     * While the manifest says {@code running}, a shutdown hook rewrites it as {@code interrupted} if the JVM exits
     * first (SIGTERM, SIGINT, {@code System.exit}); SIGKILL cannot be caught, which is what {@link #status} is for.
     */
    private synchronized void guardShutdown() {
        if (shutdownGuard != null) {
            return;
        }
        shutdownGuard = new Thread(() -> {
            if ("running".equals(lastStatus)) {
                try {
                    timing("interrupted_after", (System.nanoTime() - startNanos) / 1e9);
                    log("INTERRUPTED: the process was terminated (SIGTERM/SIGINT or System.exit) before the run finished");
                    writeManifestUnguarded("interrupted",
                            "terminated (SIGTERM, SIGINT or System.exit) before the run finished; outputs may be incomplete");
                } catch (IOException | RuntimeException ignored) {
                    // nothing more can be done while the JVM shuts down
                }
            }
        }, "ntk-run-interrupted");
        try {
            Runtime.getRuntime().addShutdownHook(shutdownGuard);
        } catch (IllegalStateException alreadyShuttingDown) {
            shutdownGuard = null;
        }
    }

    private synchronized void releaseShutdownGuard() {
        if (shutdownGuard != null && Thread.currentThread() != shutdownGuard) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownGuard);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or has run; it sees the final status and does nothing
            }
            shutdownGuard = null;
        }
        unlock();
    }

    private void writeManifestUnguarded(String status, String error) throws IOException {
        Map<String, Double> t = new LinkedHashMap<>(timings);
        t.put("total", (System.nanoTime() - startNanos) / 1e9);
        List<String> files = listFiles();
        // Output hashes once the run has ended (hashing every file at each "running" write would cost for nothing).
        Provenance provenance = Provenance.of(script, scriptText, scriptSha256, dir(), plugins,
                "running".equals(status) ? null : files);
        Manifest m = new Manifest(name, script, scriptSha256, parameters, seeds, Versions.current(), plugins,
                started.toString(), t, status, error, results, new LinkedHashMap<>(resultInfo), files,
                ProcessHandle.current().pid(), provenance);
        writeAtomically(manifestFile(), JSON.writeValueAsString(m));
        lastStatus = status;
    }

    /**
     * Makes this the run of one output file rather than of a directory (for commands such as {@code ntk kernel} whose
     * {@code --out} is a file): the manifest goes beside it as {@code <stem>.manifest.json}, lists only that file, and
     * {@link #dir()} is the file's folder. Call before anything is written.
     */
    public synchronized RunDirectory forFile(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        this.dir = abs.getParent();
        this.onlyFile = abs;
        return this;
    }

    /** The manifest beside an output file {@code K.npz}: {@code K.manifest.json}. */
    public static Path sidecarManifest(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".manifest.json");
    }

    /** Where {@code manifest.json} goes. */
    public synchronized Path manifestFile() {
        return onlyFile != null ? sidecarManifest(onlyFile) : dir().resolve("manifest.json");
    }

    /**
     * Takes the run directory's writer lock ({@code .lock}, an OS file lock released when the process dies, so
     * a killed run never leaves a stale lock). A second process writing the same directory is refused in one line.
     */
    public synchronized RunDirectory lock() {
        if (lock != null) {
            return this;
        }
        Path f = dir().resolve(".lock");
        try {
            lockChannel = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.READ);
            lock = lockChannel.tryLock();
            if (lock == null) {
                String holder = "";
                try {
                    holder = " (pid " + Files.readString(f).trim() + ")";
                } catch (IOException | RuntimeException ignored) {
                    // the pid is only for the message
                }
                lockChannel.close();
                lockChannel = null;
                throw new IllegalStateException(dir() + " is being written by another ntk process" + holder
                        + "; wait for it to finish or write elsewhere (--out)");
            }
            lockChannel.truncate(0);
            lockChannel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new IllegalStateException(dir() + " is already being written by this process");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + f + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Releases {@link #lock()} (also done when a final status is written). */
    public synchronized void unlock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            lock = null;
            lockChannel = null;
        }
    }

    /**
     * The status of the run whose manifest is {@code manifest}: its {@code status} field, except that a
     * {@code running} run whose process is gone is {@code interrupted} (it was killed, e.g. SIGKILL); null when
     * unreadable. The manifest is rewritten to say so when {@code fix}.
     */
    @SuppressWarnings("unchecked")
    public static String status(Path manifest, boolean fix) {
        Map<String, Object> m;
        try {
            m = JSON.readValue(Files.readString(manifest), Map.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        Object s = m.get("status");
        if (!"running".equals(s)) {
            return s == null ? null : s.toString();
        }
        Object pid = m.get("pid");
        boolean alive = pid instanceof Number n && ProcessHandle.of(n.longValue()).map(ProcessHandle::isAlive).orElse(false);
        if (alive) {
            return "running";
        }
        if (fix) {
            m.put("status", "interrupted");
            m.put("error", "the process" + (pid == null ? "" : " " + pid) + " ended without finishing the run (killed)");
            try {
                writeAtomically(manifest, JSON.writeValueAsString(m));
            } catch (IOException | RuntimeException ignored) {
                // reporting it is what matters
            }
        }
        return "interrupted";
    }

    /**
     * Why {@code existing} cannot be resumed with this script and these parameters (one line), or null when it can:
     * the script text (SHA-256) and the {@code -P} parameters must equal those in its manifest.
     */
    @SuppressWarnings("unchecked")
    public String resumeMismatch(Path existing) {
        Map<String, Object> m;
        try {
            m = JSON.readValue(Files.readString(existing.resolve("manifest.json")), Map.class);
        } catch (IOException | RuntimeException e) {
            return existing + "/manifest.json is missing or unreadable, so what it was computed with is unknown";
        }
        if (m.get("scriptSha256") != null && !m.get("scriptSha256").equals(scriptSha256)) {
            return existing + " was computed by a different version of the script (its text changed)";
        }
        Map<String, Object> before = m.get("parameters") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        Map<String, Object> now = JSON.readValue(JSON.writeValueAsString(parameters), Map.class);
        if (!before.equals(now)) {
            List<String> diff = new ArrayList<>();
            java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
            keys.addAll(now.keySet());
            for (String k : keys) {
                if (!java.util.Objects.equals(before.get(k), now.get(k))) {
                    diff.add(k + ": " + (before.containsKey(k) ? before.get(k) : "(not given)") + " -> "
                            + (now.containsKey(k) ? now.get(k) : "(not given)"));
                }
            }
            return existing + " was computed with other parameters (" + String.join(", ", diff) + ")";
        }
        return null;
    }

    private List<String> listFiles() throws IOException {
        List<String> files = new ArrayList<>();
        if (onlyFile != null) {
            if (Files.isRegularFile(onlyFile)) {
                files.add(onlyFile.getFileName().toString());
            }
            return files;
        }
        try (Stream<Path> s = Files.walk(dir())) {
            s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .map(p -> dir().relativize(p).toString())
                    .filter(p -> !p.equals("manifest.json") && !p.startsWith("."))
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }

    /** Writes text to a temporary file beside {@code target} and renames it into place. */
    public static void writeAtomically(Path target, String text) throws IOException {
        AtomicFiles.writeString(target, text);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
