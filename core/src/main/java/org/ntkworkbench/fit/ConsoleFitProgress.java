package org.ntkworkbench.fit;

import java.io.Console;
import java.io.PrintStream;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@link FitProgress} on standard error: a progress bar per stage on a terminal; elsewhere (logs,
 * pipes) one line when a stage ends, with its time. Off with {@code -Dntk.progress=false}.
 */
public final class ConsoleFitProgress implements FitProgress {
    private final String prefix;
    private final boolean tty;
    private final boolean off;
    private final PrintStream err = System.err;
    private ProgressBar bar;
    private String stage;
    private long started;

    /** Lines start with {@code prefix} (e.g. {@code "ntk fit"}). */
    public ConsoleFitProgress(String prefix) {
        this.prefix = prefix;
        Console c = System.console();
        this.tty = c != null && c.isTerminal();
        this.off = "false".equals(System.getProperty("ntk.progress"));
    }

    @Override
    public synchronized void start(String name, long total) {
        finish();
        stage = name;
        started = System.nanoTime();
        if (tty && !off) {
            bar = new ProgressBarBuilder().setTaskName(String.format("%-10s", name)).setInitialMax(Math.max(1, total))
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setConsumer(new InteractiveConsoleProgressBarConsumer(err))
                    .setUpdateIntervalMillis(200).continuousUpdate().build();
        }
    }

    @Override
    public synchronized void step(long units) {
        if (bar != null) {
            bar.stepBy(units);
        }
    }

    @Override
    public synchronized void finish() {
        if (stage == null) {
            return;
        }
        if (bar != null) {
            bar.stepTo(bar.getMax());
            bar.close();
            bar = null;
        } else if (!off) {
            err.printf("%s: %s done in %.2f s%n", prefix, stage, (System.nanoTime() - started) * 1e-9);
        }
        stage = null;
    }
}
