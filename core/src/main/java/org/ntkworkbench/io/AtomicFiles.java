package org.ntkworkbench.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

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
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Writes {@code target} atomically with the content produced by {@code body}. */
    public static void write(Path target, Body body) throws IOException {
        Path temp = createTemporarySibling(target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(temp, target);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
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
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            }
        }
    }

    private static final long PID = ProcessHandle.current().pid();
    private static final java.util.Set<Path> CLEANED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.regex.Pattern TEMP = java.util.regex.Pattern.compile("^\\..+\\.(?:(\\d+)-)?[0-9a-f]{12}\\.tmp(?:\\.png|\\.svg)?$");

    /**
     * Deletes the temporary files of killed writes in {@code dir}: those whose writer process is gone (the pid is
     * in the name), and nameless-pid ones of older versions after an hour. A {@code .png}/{@code .svg} after
     * {@code .tmp} is a plot whose encoder appends its own extension to the temporary name. Live writers' files are never touched.
     * Done once per directory per process, at its first write. Returns how many were removed.
     */
    public static int cleanStaleTemporaries(Path dir) {
        int removed = 0;
        try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp{,.png,.svg}")) {
            for (Path p : s) {
                java.util.regex.Matcher m = TEMP.matcher(p.getFileName().toString());
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
        return removed;
    }

    /** Renames {@code temp} over {@code target} atomically (replacing any existing target). */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Only on exotic file systems; the temporary file is in the same directory, so this is rare.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
