package org.ntkworkbench.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary file in
 * the target's directory (same file system), is flushed to disk, and is then renamed over the target
 * in one atomic step. If writing fails, the temporary file is deleted and the target is untouched.
 * Missing parent directories are created.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** The body of a write: puts the whole content into {@code out} (do not close it). */
    @FunctionalInterface
    public interface Body {
        /** Writes the content to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes {@code target} atomically with the content produced by {@code body}. The bytes are written (and
     * SHA-256-hashed, see {@link #writtenSha256}) on other threads while {@code body} produces the next ones, and
     * the file is forced to disk ({@code fsync}) before it is renamed into place.
     */
    public static void write(Path target, Body body) throws IOException {
        Path temp = createTemporarySibling(target);
        try {
            String sha256;
            long size;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                HashingChannelOutput out = new HashingChannelOutput(channel);
                try {
                    body.writeTo(out);
                    out.finishWriting();
                } catch (IOException | RuntimeException | Error e) {
                    out.abandon();
                    throw e;
                }
                size = out.size();
                // Durable before it gets the final name (a crash never leaves a truncated file under it). The
                // digest thread finishes hashing meanwhile; both are usually short, as the file was written back
                // to disk and hashed while it was produced.
                channel.force(true);
                sha256 = out.sha256();
            }
            moveIntoPlace(temp, target);
            remember(target, size, sha256);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * What {@link #write} (or {@link NpzRowWriter}) wrote: size, modification time and SHA-256 of the file it put in
     * place; the SHA-256 may still be computed on another thread (null once done if that failed).
     */
    private record Written(long size, long modifiedMillis, java.util.concurrent.CompletableFuture<String> sha256) {}

    private static final Map<Path, Written> WRITTEN = new ConcurrentHashMap<>();

    static void remember(Path target, long size, String sha256) {
        remember(target, size, java.util.concurrent.CompletableFuture.completedFuture(sha256));
    }

    /**
     * {@code target} as put in place, its SHA-256 still being computed: {@link #writtenSha256} waits for it, and a
     * digest that fails (completes exceptionally) counts as unknown, so that the caller hashes the file itself.
     */
    static void remember(Path target, long size, java.util.concurrent.CompletableFuture<String> sha256) {
        Path abs = target.toAbsolutePath().normalize();
        try {
            WRITTEN.put(abs, new Written(size, Files.getLastModifiedTime(abs).toMillis(), sha256));
        } catch (IOException | RuntimeException e) {
            WRITTEN.remove(abs);
        }
    }

    /**
     * The SHA-256 (hex) of {@code file} as {@link #write} wrote it in this process, if the file still has that
     * size and modification time; otherwise null (read and hash it). Run manifests hash their outputs: this saves
     * reading a big output back. Waits for a digest still under way.
     */
    public static String writtenSha256(Path file, long size, long modifiedMillis) {
        Written w = WRITTEN.get(file.toAbsolutePath().normalize());
        if (w == null || w.size() != size || w.modifiedMillis() != modifiedMillis) {
            return null;
        }
        try {
            return w.sha256().get();
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Creates a new empty file next to {@code target} with a unique hidden name
     * ({@code .<name>.<pid>-<random>.tmp}, so {@link #cleanStaleTemporaries} can tell a killed writer's file); the caller fills it and then calls {@link #moveIntoPlace}.
     * Created with the process's default permissions (umask), unlike {@code Files.createTempFile}.
     */
    public static Path createTemporarySibling(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (dir != null && CLEANED.add(dir)) {
            cleanStaleTemporaries(dir);
        }
        String name = absolute.getFileName().toString();
        for (int attempt = 0; ; attempt++) {
            byte[] bits = new byte[6];
            RANDOM.nextBytes(bits);
            Path temp = absolute.resolveSibling("." + name + "." + PID + "-" + HexFormat.of().formatHex(bits) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * Creates a hidden scratch folder next to {@code target} ({@code .<name>.blocks-<pid>-<random>}) for the
     * pieces of a big write (row blocks of a kernel), deleted with its contents by {@link #deleteScratch}, by a
     * shutdown hook when the process is stopped (SIGTERM, Ctrl-C), and otherwise (SIGKILL, a crash) by the next
     * write into the same folder once its writer process is gone (as {@link #cleanStaleTemporaries} does).
     */
    public static Path createScratchDirectory(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        cleanStaleScratch(dir);
        for (int attempt = 0; ; attempt++) {
            byte[] bits = new byte[6];
            RANDOM.nextBytes(bits);
            Path scratch = dir.resolve("." + absolute.getFileName() + ".blocks-" + PID + "-" + HexFormat.of().formatHex(bits));
            try {
                Files.createDirectory(scratch);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
                continue;
            }
            Thread hook = new Thread(() -> deleteTree(scratch), "ntk-scratch-cleanup");
            HOOKS.put(scratch, hook);
            Runtime.getRuntime().addShutdownHook(hook);
            return scratch;
        }
    }

    /** Deletes a folder from {@link #createScratchDirectory} with its contents (and forgets its shutdown hook). */
    public static void deleteScratch(Path scratch) {
        Thread hook = HOOKS.remove(scratch);
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook deletes it
            }
        }
        deleteTree(scratch);
    }

    private static final Map<Path, Thread> HOOKS = new ConcurrentHashMap<>();
    private static final Pattern SCRATCH = Pattern.compile("^\\..+\\.blocks-(\\d+)-[0-9a-f]{12}$");

    /** Deletes the scratch folders in {@code dir} whose writer process is gone; returns how many. */
    public static int cleanStaleScratch(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.blocks-*")) {
            for (Path p : s) {
                Matcher m = SCRATCH.matcher(p.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                if (pid != PID && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                    deleteTree(p);
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // cleaning is a courtesy
        }
        return removed;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // gone already, or not ours to delete
        }
    }

    private static final long PID = ProcessHandle.current().pid();
    private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();
    private static final Pattern TEMP = Pattern.compile("^\\..+\\.(?:(\\d+)-)?[0-9a-f]{12}\\.tmp(?:\\.png|\\.svg)?$");

    /**
     * Deletes the temporary files of killed writes in {@code dir}: those whose writer process is gone (the pid is
     * in the name), and nameless-pid ones of older versions after an hour. A {@code .png}/{@code .svg} after
     * {@code .tmp} is a plot whose encoder appends its own extension to the temporary name. Live writers' files are never touched.
     * Done once per directory per process, at its first write. Returns how many were removed.
     */
    public static int cleanStaleTemporaries(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp{,.png,.svg}")) {
            for (Path p : s) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                boolean stale;
                if (m.group(1) != null) {
                    long pid = Long.parseLong(m.group(1));
                    stale = pid != PID && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
                } else {
                    stale = Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - 3_600_000L;
                }
                if (stale && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // cleaning is a courtesy; the write itself goes on
        }
        return removed + cleanStaleScratch(dir);
    }

    /**
     * Renames {@code temp} over {@code target} atomically (replacing any existing target). When {@code target} belongs
     * to an open {@link OutputUnit}, the unit's lock is taken first (see there).
     */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        OutputUnit unit = UNITS.get(target.toAbsolutePath().normalize());
        if (unit != null) {
            unit.beforeRename(target.toAbsolutePath().normalize());
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Only on exotic file systems; the temporary file is in the same directory, so this is rare.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (unit != null) {
            unit.afterRename(target.toAbsolutePath().normalize());
        }
    }

    private static final Map<Path, OutputUnit> UNITS = new ConcurrentHashMap<>();
    /** In-process side of the output locks (a JVM cannot hold two {@link FileLock}s on one file). */
    private static final Map<Path, Semaphore> JVM_LOCKS = new ConcurrentHashMap<>();

    /**
     * Opens the unit of an output file and the files that describe it ({@code K.npz} and {@code K.manifest.json}):
     * while it is open, {@link #moveIntoPlace} (hence every {@link #write}) of any member first takes the output's
     * lock, an OS lock on its {@link OutputUnit#lockFile lock file} (plus an in-process one), and keeps it until every
     * member has been renamed into place or the unit is closed. So two processes writing the same output one after
     * the other each put their output and manifest in place together: the pair on disk always comes from one writer
     * (the last). Only the renames are inside the lock, not the computation: both writers finish, the last one wins.
     * Closing a unit whose output was replaced but whose companions were not (written by this unit) deletes those
     * companions: they described the file that is gone. {@code notices} hears, once, one line naming what was
     * replaced (an existing output is never replaced silently). The lock file is not beside the output (see
     * {@link OutputUnit#lockFile}).
     * A second unit for the same output in the same process is inert (no lock, no notices).
     */
    public static OutputUnit beginUnit(Path output, List<Path> companions, Consumer<String> notices) {
        return new OutputUnit(output, companions, notices);
    }

    /** See {@link #beginUnit}. */
    public static final class OutputUnit implements AutoCloseable {
        /** How long a writer waits for another process's renames before giving up (they take milliseconds). */
        static long waitMillis = 120_000;

        private final Path output;
        private final List<Path> members = new ArrayList<>();
        private final Set<Path> renamed = new HashSet<>();
        private final Consumer<String> notices;
        private final boolean active;
        private FileChannel channel;
        private FileLock lock;
        private Semaphore jvmLock;
        private boolean outputExisted;
        private boolean wroteOutput;
        private boolean closed;

        private OutputUnit(Path output, List<Path> companions, Consumer<String> notices) {
            this.output = output.toAbsolutePath().normalize();
            this.notices = notices == null ? s -> { } : notices;
            members.add(this.output);
            for (Path c : companions) {
                members.add(c.toAbsolutePath().normalize());
            }
            boolean mine = true;
            for (Path m : members) {
                if (UNITS.putIfAbsent(m, this) != null) {
                    mine = false;
                }
            }
            if (!mine) {
                for (Path m : members) {
                    UNITS.remove(m, this);
                }
            }
            active = mine;
        }

        /**
         * The lock file of an output: {@code <java.io.tmpdir>/ntk-output-locks-<user>/<SHA-256 of the output's real
         * path>.lock}, never beside the output: POSIX record locks (which {@link FileChannel#lock} uses) cannot be held
         * on a file that is safely deleted afterwards, and a lock file left beside every output would be litter. The
         * files are empty and stay (the temp folder's clean-up removes them). Processes that see different temp
         * folders (other mount namespaces) do not exclude each other.
         */
        public static Path lockFile(Path output) throws IOException {
            Path abs = output.toAbsolutePath().normalize();
            Path parent = abs.getParent();
            String key = (parent == null ? abs : parent.toRealPath().resolve(abs.getFileName())).toString();
            String hex;
            try {
                hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(key.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ntk-output-locks-" + System.getProperty("user.name", "user"));
            Files.createDirectories(dir);
            return dir.resolve(hex + ".lock");
        }

        synchronized void beforeRename(Path member) throws IOException {
            if (!active || closed) {
                return;
            }
            if (lock == null) {
                acquire();
                renamed.clear();
            }
            if (member.equals(output) && !wroteOutput) {
                // what this unit wrote itself before is not "an existing output"
                outputExisted = Files.exists(output, LinkOption.NOFOLLOW_LINKS);
            }
        }

        synchronized void afterRename(Path member) {
            if (!active || closed || lock == null) {
                return;
            }
            renamed.add(member);
            wroteOutput |= member.equals(output);
            if (renamed.containsAll(members)) {
                finish();
            }
        }

        private void acquire() throws IOException {
            jvmLock = JVM_LOCKS.computeIfAbsent(output, p -> new Semaphore(1));
            long deadline = System.currentTimeMillis() + waitMillis;
            try {
                if (!jvmLock.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                    jvmLock = null;
                    throw new IOException(output + " is being replaced by another writer in this process; gave up after "
                            + waitMillis / 1000 + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                jvmLock = null;
                throw new InterruptedIOException("interrupted while waiting to replace " + output);
            }
            Path f = null;
            try {
                f = lockFile(output);
                channel = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                while ((lock = channel.tryLock()) == null) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IOException(output + " is being replaced by another ntk process (lock " + f
                                + " held for more than " + waitMillis / 1000 + " s); try again or write elsewhere (--out)");
                    }
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                release();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to replace " + output);
            } catch (IOException | RuntimeException e) {
                release();
                throw e;
            }
        }

        /** Under the lock: companions not renamed by this unit describe a replaced output and go; then the notice. */
        private void finish() {
            List<String> gone = new ArrayList<>();
            if (renamed.contains(output)) {
                for (Path m : members) {
                    try {
                        if (!renamed.contains(m) && Files.deleteIfExists(m)) {
                            gone.add(m.getFileName().toString());
                        }
                    } catch (IOException e) {
                        // a stale companion left: its recorded SHA-256 no longer matches the output
                    }
                }
            }
            boolean replaced = outputExisted && renamed.contains(output);
            outputExisted = false;
            release();
            if (replaced) {
                notices.accept("replaced the existing " + output.getFileName()
                        + (gone.isEmpty() ? "" : "; removed " + String.join(", ", gone) + ", which described the replaced file"));
            }
        }

        private void release() {
            try {
                if (lock != null) {
                    lock.release();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing the channel releases the lock in any case
            } finally {
                lock = null;
                channel = null;
                if (jvmLock != null) {
                    jvmLock.release();
                    jvmLock = null;
                }
            }
        }

        /** Finishes a pending replacement (companions not written are removed, see {@link #beginUnit}) and forgets the unit. */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            if (lock != null) {
                finish();
            }
            closed = true;
            for (Path m : members) {
                UNITS.remove(m, this);
            }
        }
    }
}
