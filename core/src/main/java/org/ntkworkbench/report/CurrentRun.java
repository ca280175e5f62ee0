package org.ntkworkbench.report;

import com.google.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Holds the run that DSL words write into: set by the script runner for a script, created on first use
 * (as {@code runs/repl-<time>}) in the REPL and JShell. A thread can temporarily write into another
 * run (an experiment's point directory) with {@link #within}, so points computed in parallel keep
 * their plots, arrays and results apart.
 */
@Singleton
public final class CurrentRun {
    private RunContext run;
    private final ThreadLocal<RunContext> local = new ThreadLocal<>();

    /** The run of this thread: the one set by {@link #within}, else the script's run. */
    public RunContext get() {
        RunContext l = local.get();
        return l != null ? l : shared();
    }

    private synchronized RunContext shared() {
        if (run == null) {
            run = new RunDirectory("session", Path.of("runs"), "(interactive)", "", Map.of(), List.of());
        }
        return run;
    }

    public synchronized void set(RunContext r) {
        this.run = r;
    }

    /** Calls {@code body} on this thread with {@link #get()} returning {@code r}; restores the previous run after. */
    public <T> T within(RunContext r, Callable<T> body) throws Exception {
        RunContext previous = local.get();
        local.set(r);
        try {
            return body.call();
        } finally {
            if (previous == null) {
                local.remove();
            } else {
                local.set(previous);
            }
        }
    }
}
