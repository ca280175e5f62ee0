package org.ntkworkbench.report;

import com.google.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Holds the run that DSL words write into: set by the script runner for a script, created on first use
 * (as {@code runs/repl-<time>}) in the REPL and JShell.
 */
@Singleton
public final class CurrentRun {
    private RunContext run;

    public synchronized RunContext get() {
        if (run == null) {
            run = new RunDirectory("session", Path.of("runs"), "(interactive)", "", Map.of(), List.of());
        }
        return run;
    }

    public synchronized void set(RunContext r) {
        this.run = r;
    }
}
