package org.ntkworkbench.solve;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar with an ETA on stderr for long solver stages ({@code kernel K(X,C) [#####.....] 52 %
 * 1m10s left}). On a terminal it redraws one line; otherwise (logs, pipes) it prints a plain line at
 * most every {@value #PLAIN_INTERVAL_SECONDS} s, so log files stay short. The ETA assumes the remaining
 * units cost what the finished ones did on average.
 */
public final class ProgressBar {
    static final int PLAIN_INTERVAL_SECONDS = 15;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final boolean enabled;
    private String stage = "";
    private long total;
    private long start;
    private long lastPrint;

    private ProgressBar(PrintStream out, boolean terminal, boolean enabled) {
        this.out = out;
        this.terminal = terminal;
        this.enabled = enabled;
    }

    /** On stderr; redraws in place when the process has a console. */
    public static ProgressBar stderr() {
        return new ProgressBar(System.err, System.console() != null, true);
    }

    /** Prints nothing (tests, library use). */
    public static ProgressBar silent() {
        return new ProgressBar(System.err, false, false);
    }

    /** Starts a stage of {@code total} units. */
    public synchronized void start(String stage, long total) {
        this.stage = stage;
        this.total = Math.max(1, total);
        this.start = System.nanoTime();
        this.lastPrint = 0;
    }

    /** {@code done} of the stage's units are finished. */
    public synchronized void update(long done) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        boolean last = done >= total;
        if (!last && now - lastPrint < (terminal ? 200_000_000L : PLAIN_INTERVAL_SECONDS * 1_000_000_000L)) {
            return;
        }
        lastPrint = now;
        double elapsed = (now - start) * 1e-9;
        double fraction = Math.min(1.0, done / (double) total);
        int filled = (int) Math.round(fraction * WIDTH);
        String eta = done == 0 ? "?" : duration(elapsed * (total - done) / done);
        String line = String.format(Locale.ROOT, "%s [%s%s] %3.0f %% %s, %s left", stage, "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * fraction, duration(elapsed), last ? "0s" : eta);
        if (terminal) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
