package org.ntkworkbench.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which files a run read, for its provenance ({@code manifest.json} records each with its SHA-256 so
 * that {@code ntk rerun} can refuse changed inputs). The readers of this package and of the data sets
 * call {@link #read} once they have checked a file; nothing is recorded unless a {@link Recording} is
 * open (the CLI opens one per command). Process-wide on purpose: an experiment's points read on worker
 * threads, and the files they read are the run's inputs all the same.
 */
public final class ReadLog {
    private static final List<Recording> OPEN = new CopyOnWriteArrayList<>();

    private ReadLog() {}

    /** Notes that {@code file} was read (absolute, normalised); a no-op when no recording is open. */
    public static void read(Path file) {
        if (OPEN.isEmpty() || file == null) {
            return;
        }
        Path abs = file.toAbsolutePath().normalize();
        for (Recording r : OPEN) {
            r.add(abs);
        }
    }

    /** Starts recording reads; close the recording to stop. Recordings nest (each sees every read while it is open). */
    public static Recording start() {
        Recording r = new Recording();
        OPEN.add(r);
        return r;
    }

    /** The files read while it was open, in first-read order. */
    public static final class Recording implements AutoCloseable {
        private final Set<Path> files = new LinkedHashSet<>();

        private synchronized void add(Path p) {
            files.add(p);
        }

        /** Absolute paths, first read first. */
        public synchronized List<Path> files() {
            return new ArrayList<>(files);
        }

        @Override
        public void close() {
            OPEN.remove(this);
        }
    }
}
