package org.ntkworkbench.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A real standalone cluster of one master and N worker JVMs on 127.0.0.1, started as child
 * processes of this JVM that outlive it ({@code ntk cluster start|stop|status}). Its state (master
 * URL, pids, ports, logs) lives in a directory, so another {@code ntk} invocation can stop it by pid.
 */
public interface ClusterControl {

    /**
     * Starts the master and {@code workers} workers of {@code cores} cores and {@code memoryGb} GB each;
     * returns the master URL {@code spark://127.0.0.1:PORT}. Fails (one line) if a cluster recorded in
     * {@code stateDir} is still running.
     */
    String start(Path stateDir, int workers, int cores, int memoryGb) throws IOException;

    /** Stops every process recorded in {@code stateDir} by pid; returns a one-line summary. */
    String stop(Path stateDir) throws IOException;

    /** One line per process: role, pid, alive or not, and the master URL. */
    String status(Path stateDir) throws IOException;
}
