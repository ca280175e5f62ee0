package org.ntkworkbench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ntkworkbench.io.ReadLog;
import org.ntkworkbench.io.Sha256;

/**
 * Typed provenance of a run (the manifest's {@code provenance} field, beside DESIGN.md's {@code script},
 * {@code scriptSha256}, {@code parameters}, {@code seeds}, {@code versions} and {@code results}): how to run it
 * again and what it depended on, so that {@code ntk rerun runs/X/manifest.json} can check the inputs and
 * reproduce the results bit for bit.
 *
 * @param command     the command line that made the run (null when the run was not started from the CLI)
 * @param script      the script that ran, with its text (null for CLI commands such as {@code ntk fit})
 * @param inputs      every file the run read (data, arrays, data-set files, model files) with its SHA-256
 * @param environment what the numbers may depend on besides the inputs: versions, BLAS, processors, plugins
 * @param outputs     the files the run wrote with their SHA-256 (written when the run ends; empty while running);
 *                    {@link #isVolatile volatile} files (log, report, timings) are not listed
 * @param rerunOf     the manifest this run re-ran ({@code ntk rerun}), else null
 */
public record Provenance(Command command, Script script, List<Input> inputs, Environment environment,
                         List<Output> outputs, String rerunOf) {

    /**
     * The command line of a run.
     *
     * @param name         the subcommand ({@code run}, {@code fit}, {@code kernel}, {@code train}, …)
     * @param argv         the arguments after {@code ntk}, as given
     * @param cwd          the working directory relative paths in {@code argv} were resolved against
     * @param outputOption the option naming where the outputs go ({@code --out})
     * @param outputKind   what that option names: {@code parent} (of a new run directory, {@code ntk run}),
     *                     {@code directory} (the run directory itself) or {@code file} (one output file with a
     *                     {@code <stem>.manifest.json} beside it, {@code ntk kernel})
     */
    public record Command(String name, List<String> argv, String cwd, String outputOption, String outputKind) {

        /** The command of {@code argv} (global options {@code --plugins DIR} and {@code --debug} skipped). */
        public static Command of(List<String> argv, Path cwd) {
            String name = null;
            for (int i = 0; i < argv.size(); i++) {
                String a = argv.get(i);
                if (a.equals("--plugins")) {
                    i++;
                } else if (!a.startsWith("-")) {
                    name = a;
                    break;
                }
            }
            String kind = name == null ? null : switch (name) {
                case "run" -> "parent";
                case "kernel", "spectrum", "eigen", "bench" -> "file";
                default -> "directory";
            };
            return new Command(name, List.copyOf(argv), cwd.toAbsolutePath().normalize().toString(), "--out", kind);
        }
    }

    /**
     * The script of a run.
     *
     * @param path         as given on the command line
     * @param absolutePath where it was
     * @param sha256       of its text (UTF-8, without a byte order mark), equal to the manifest's {@code scriptSha256}
     * @param text         the text itself (null above {@link #MAX_SCRIPT_TEXT} characters)
     */
    public record Script(String path, String absolutePath, String sha256, String text) {}

    /**
     * A file the run read.
     *
     * @param role   the command-line option or argument that named it ({@code --x1}, {@code script}), else {@code read}
     *               (read by the script or from a data set's folder)
     * @param path   absolute
     * @param sha256 of its bytes
     * @param bytes  its size
     */
    public record Input(String role, String path, String sha256, long bytes) {}

    /**
     * What results may depend on besides the inputs.
     *
     * @param workbench   version of the workbench
     * @param gitCommit   commit of the checkout the workbench ran from, when it ran from one (uncommitted edits are not seen)
     * @param java        {@code Runtime.version()}
     * @param vm          JVM vendor and name
     * @param os          name, version, architecture
     * @param blas        the BLAS/LAPACK backend
     * @param blasThreads OpenBLAS's thread count and why ({@link org.ntkworkbench.tensor.BlasThreads#decision()})
     * @param processors  processors the JVM saw (sizes the thread pools)
     * @param plugins     the loaded plugins
     */
    public record Environment(String workbench, String gitCommit, String java, String vm, String os, String blas,
                              String blasThreads, int processors, List<Plugin> plugins) {

        /** This JVM's environment with the given plugins ({@code "name version"}). */
        public static Environment current(List<String> plugins) {
            Versions v = Versions.current();
            List<Plugin> ps = new ArrayList<>();
            for (String p : plugins) {
                int sp = p.lastIndexOf(' ');
                ps.add(sp < 0 ? new Plugin(p, "") : new Plugin(p.substring(0, sp), p.substring(sp + 1)));
            }
            return new Environment(v.workbench(), GitCommit.current(), v.java(),
                    System.getProperty("java.vm.vendor", "") + " " + System.getProperty("java.vm.name", ""), v.os(),
                    "OpenBLAS " + v.openblas() + " (smile " + v.smile() + ", smile.linalg.backend="
                            + System.getProperty("smile.linalg.backend", "auto") + ")",
                    org.ntkworkbench.tensor.BlasThreads.decision(), Runtime.getRuntime().availableProcessors(), ps);
        }
    }

    /** A plugin by name and version. */
    public record Plugin(String name, String version) {}

    /**
     * A file the run wrote.
     *
     * @param path   relative to the folder of the manifest
     * @param sha256 of its bytes
     * @param bytes  its size
     */
    public record Output(String path, String sha256, long bytes) {}

    /** Scripts longer than this are recorded by path and hash only. */
    public static final int MAX_SCRIPT_TEXT = 1 << 20;

    /** Files that differ between runs of the same computation (times, dates, paths; an experiment point's status.json has its timings): not listed as outputs. */
    private static final Set<String> VOLATILE = Set.of("manifest.json", "log.txt", "report.html", "timings.csv", "status.json");

    /** True for files whose bytes legitimately change from run to run (the log, the report, stage timings). */
    public static boolean isVolatile(String relativePath) {
        String name = Path.of(relativePath).getFileName().toString();
        return VOLATILE.contains(name) || name.endsWith(".manifest.json");
    }

    /** True for renderings of results (plots) rather than results: rerun reports their differences as notes. */
    public static boolean isRendering(String relativePath) {
        String p = relativePath.replace('\\', '/');
        return p.startsWith("plots/") || p.contains("/plots/") || p.endsWith(".png") || p.endsWith(".svg");
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * The provenance of a run as it stands: the command line of the current {@link Session}, the script, the files
     * read so far (less those inside the run's own folder), the environment and, when {@code outputs} is given,
     * their hashes.
     *
     * @param runDir  the run's folder (files read inside it are its own outputs, read back, not inputs)
     * @param outputs files written, relative to {@code runDir}; null while running
     */
    static Provenance of(String script, String scriptText, String scriptSha256, Path runDir, List<String> plugins,
                         List<String> outputs) {
        Session s = Session.current();
        Command command = s == null ? null : s.command;
        Script sc = null;
        Path scriptFile = null;
        if (script != null && !script.startsWith("ntk ") && !script.startsWith("(")) {
            try {
                Path p = Path.of(script);
                if (Files.isRegularFile(p)) {
                    scriptFile = p.toAbsolutePath().normalize();
                    sc = new Script(script, scriptFile.toString(), scriptSha256,
                            scriptText != null && scriptText.length() <= MAX_SCRIPT_TEXT ? scriptText : null);
                }
            } catch (InvalidPathException notAPath) {
                // an interactive session's name, not a file
            }
        }
        List<Input> inputs = new ArrayList<>();
        if (s != null) {
            Path own = runDir == null ? null : runDir.toAbsolutePath().normalize();
            for (Path f : s.reads.files()) {
                if ((own != null && f.startsWith(own)) || f.equals(scriptFile) || hidden(f) || !Files.isRegularFile(f)) {
                    continue;
                }
                String[] h = hash(f);
                if (h != null) {
                    inputs.add(new Input(role(command, f), f.toString(), h[0], Long.parseLong(h[1])));
                }
            }
        }
        // before the outputs' hashes: a big output's digest may still be under way (NpzRowWriter.commit), and is waited for
        Environment environment = Environment.current(plugins);
        List<Output> outs = new ArrayList<>();
        if (outputs != null && runDir != null) {
            for (String rel : outputs) {
                if (isVolatile(rel)) {
                    continue;
                }
                String[] h = hash(runDir.resolve(rel));
                if (h != null) {
                    outs.add(new Output(rel, h[0], Long.parseLong(h[1])));
                }
            }
        }
        return new Provenance(command, sc, inputs, environment, outs, s == null ? null : s.rerunOf);
    }

    /** A file in a command's own temporary folder ({@code .K.npz.blocks-…}, {@code .DIR.partial-…}): not an input. */
    private static boolean hidden(Path f) {
        for (Path part : f) {
            String s = part.toString();
            if (s.startsWith(".") && (s.contains(".blocks-") || s.contains(".partial-"))) {
                return true;
            }
        }
        return false;
    }

    /** The option whose value names {@code file} (its path part, for {@code A.npz:NAME}), else {@code read}. */
    static String role(Command command, Path file) {
        if (command == null) {
            return "read";
        }
        Path cwd = Path.of(command.cwd());
        List<String> argv = command.argv();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            String option = null;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                option = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (!a.startsWith("-")) {
                option = i > 0 && argv.get(i - 1).startsWith("-") && !argv.get(i - 1).contains("=") ? argv.get(i - 1)
                        : a.equals(command.name()) ? null : "argument";
                value = a;
            }
            if (value == null || option == null) {
                continue;
            }
            Path p = filePart(value, cwd);
            if (p != null && p.equals(file)) {
                return option;
            }
        }
        return "read";
    }

    /** The file an argument names (the part before {@code :NAME} of an NPZ spec), absolute; null if not a path. */
    public static Path filePart(String value, Path cwd) {
        String v = value;
        int npz = v.toLowerCase(java.util.Locale.ROOT).lastIndexOf(".npz:");
        if (npz >= 0) {
            v = v.substring(0, npz + 4);
        }
        if (v.isEmpty() || v.length() > 4096 || v.indexOf('\0') >= 0) {
            return null;
        }
        try {
            return cwd.resolve(v).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private record Hashed(long size, long modified, String sha256) {}

    private static final Map<Path, Hashed> HASHES = new ConcurrentHashMap<>();

    /** {@code [sha256, size]} of a file (cached by size and modification time), or null if it cannot be read. */
    static String[] hash(Path file) {
        try {
            Path f = file.toAbsolutePath().normalize();
            long size = Files.size(f);
            long modified = Files.getLastModifiedTime(f).toMillis();
            Hashed h = HASHES.get(f);
            if (h == null || h.size != size || h.modified != modified) {
                String written = org.ntkworkbench.io.AtomicFiles.writtenSha256(f, size, modified);
                h = new Hashed(size, modified, written != null ? written : sha256(f));
                HASHES.put(f, h);
            }
            return new String[] {h.sha256, Long.toString(h.size)};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** SHA-256 of a file's bytes, hex. */
    public static String sha256(Path file) throws IOException {
        return Sha256.ofFile(file);
    }

    /** SHA-256 of a script's text as the manifest's {@code scriptSha256} has it (UTF-8, byte order mark dropped). */
    public static String scriptSha256(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return RunDirectory.sha256(text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * One command of the CLI while it runs: its command line, the files it reads ({@link ReadLog}), the manifest it
     * wrote last. Opened by the CLI's entry point; sessions nest ({@code ntk rerun} runs the recorded command inside
     * its own session), the innermost being {@link #current}.
     */
    public static final class Session implements AutoCloseable {
        private static final java.util.Deque<Session> OPEN = new java.util.concurrent.ConcurrentLinkedDeque<>();

        private final Command command;
        private final ReadLog.Recording reads = ReadLog.start();
        private final String rerunOf;
        private volatile String nextRerunOf;
        private volatile Path lastManifest;

        private final org.ntkworkbench.io.AtomicFiles.OutputUnit unit;

        private Session(Command command, String rerunOf) {
            this.command = command;
            this.rerunOf = rerunOf;
            this.unit = outputUnit(command);
        }

        /**
         * For a command whose {@code --out} is one file ({@code kernel}, {@code eigen}, {@code spectrum},
         * {@code bench}): that file and its {@code <stem>.manifest.json} are one unit (the one place that decides it,
         * {@link org.ntkworkbench.io.AtomicFiles#beginUnit}): both are renamed into place under one lock, a manifest
         * that described a replaced file is removed, and replacing an existing file prints one line on stderr.
         */
        private static org.ntkworkbench.io.AtomicFiles.OutputUnit outputUnit(Command command) {
            if (!"file".equals(command.outputKind())) {
                return null;
            }
            String out = null;
            List<String> argv = command.argv();
            for (int i = 0; i < argv.size(); i++) {
                if (argv.get(i).equals("--out") && i + 1 < argv.size()) {
                    out = argv.get(i + 1);
                } else if (argv.get(i).startsWith("--out=")) {
                    out = argv.get(i).substring("--out=".length());
                }
            }
            if (out == null) {
                return null;
            }
            Path file;
            try {
                file = Path.of(command.cwd()).resolve(out).normalize();
            } catch (InvalidPathException e) {
                return null; // the command reports the bad path
            }
            String name = command.name();
            return org.ntkworkbench.io.AtomicFiles.beginUnit(file, List.of(RunDirectory.sidecarManifest(file)),
                    notice -> System.err.println("ntk " + name + ": " + notice));
        }

        /** Opens a session for {@code ntk <argv>} run in this process's working directory. */
        public static Session open(List<String> argv) {
            Session parent = OPEN.peekFirst();
            Session s = new Session(Command.of(argv, Path.of("")), parent == null ? null : parent.nextRerunOf);
            OPEN.push(s);
            return s;
        }

        /** The innermost open session, or null (e.g. a script run from a test, the REPL). */
        public static Session current() {
            return OPEN.peekFirst();
        }

        /** The command line of this session. */
        public Command command() {
            return command;
        }

        /** Marks the next session opened inside this one as a re-run of {@code manifest}. */
        public void nextIsRerunOf(Path manifest) {
            this.nextRerunOf = manifest.toAbsolutePath().normalize().toString();
        }

        /** The manifest written last in this session (or a session inside it), or null. */
        public Path lastManifest() {
            return lastManifest;
        }

        void manifestWritten(Path manifest) {
            lastManifest = manifest;
        }

        @Override
        public void close() {
            if (unit != null) {
                unit.close();
            }
            reads.close();
            OPEN.remove(this);
            Session parent = OPEN.peekFirst();
            if (parent != null && lastManifest != null) {
                parent.lastManifest = lastManifest;
            }
        }
    }

    /** The commit of the git checkout the workbench's classes were loaded from, or null. */
    static final class GitCommit {
        private static volatile String cached;
        private static volatile boolean done;

        static String current() {
            if (!done) {
                cached = find();
                done = true;
            }
            return cached;
        }

        private static String find() {
            try {
                String home = System.getProperty("ntk.home");
                Path start = home != null ? Path.of(home)
                        : Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
                    Path git = d.resolve(".git");
                    if (Files.isDirectory(git)) {
                        return head(git);
                    }
                    if (Files.isRegularFile(git)) { // a worktree: "gitdir: <path>"
                        String line = Files.readString(git).trim();
                        if (line.startsWith("gitdir:")) {
                            return head(d.resolve(line.substring(7).trim()).normalize());
                        }
                    }
                }
            } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
                // unknown
            }
            return null;
        }

        private static String head(Path gitDir) throws IOException {
            String head = Files.readString(gitDir.resolve("HEAD")).trim();
            if (!head.startsWith("ref:")) {
                return head;
            }
            String ref = head.substring(4).trim();
            Path common = gitDir;
            Path commondir = gitDir.resolve("commondir");
            if (Files.isRegularFile(commondir)) {
                common = gitDir.resolve(Files.readString(commondir).trim()).normalize();
            }
            for (Path d : List.of(gitDir, common)) {
                Path f = d.resolve(ref);
                if (Files.isRegularFile(f)) {
                    return Files.readString(f).trim();
                }
            }
            Path packed = common.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String l : Files.readAllLines(packed)) {
                    if (l.endsWith(" " + ref)) {
                        return l.substring(0, l.indexOf(' '));
                    }
                }
            }
            return null;
        }
    }
}
