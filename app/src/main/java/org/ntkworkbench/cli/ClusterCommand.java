package org.ntkworkbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ntkworkbench.spi.ClusterControl;
import org.ntkworkbench.spi.EngineProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ntk cluster start [--workers N] [--cores C] [--memory GB] | stop | status}: a real Spark
 * standalone cluster (master + N workers) on 127.0.0.1 as child JVMs, for trying {@code --engine spark
 * --master URL}. State (URL, pids, logs) in {@code --state DIR} (default {@code $NTK_CLUSTER_DIR} or
 * {@code ~/.ntk/cluster}); {@code stop} ends exactly the recorded pids.
 */
@Command(name = "cluster", description = "A local Spark standalone cluster on 127.0.0.1 for --engine spark: start | stop | status.",
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class})
final class ClusterCommand {

    static Path defaultState() {
        String env = System.getenv("NTK_CLUSTER_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".ntk", "cluster");
    }

    static ClusterControl control() {
        return EngineProvider.require("spark").cluster()
                .orElseThrow(() -> new IllegalArgumentException("the spark engine on the class path has no local cluster"));
    }

    abstract static class Base {
        @Option(names = "--state", paramLabel = "DIR", description = "Where the cluster's pids, ports and logs are kept (default $NTK_CLUSTER_DIR or ~/.ntk/cluster).")
        Path state;

        Path state() {
            return state != null ? state : defaultState();
        }
    }

    @Command(name = "start", description = "Starts a master and N workers on 127.0.0.1; prints the spark://127.0.0.1:PORT URL.")
    static final class Start extends Base implements Callable<Integer> {
        @Option(names = "--workers", paramLabel = "N", description = "Worker JVMs (default 2).")
        int workers = 2;

        @Option(names = "--cores", paramLabel = "C", description = "Cores per worker (default 1).")
        int cores = 1;

        @Option(names = "--memory", paramLabel = "GB", description = "Memory per worker in GB (default 2).")
        int memory = 2;

        @Override
        public Integer call() throws Exception {
            String url = control().start(state(), workers, cores, memory);
            System.out.println(url);
            System.err.println("ntk cluster: " + workers + " worker(s) x " + cores + " core(s), " + memory + " GB each; use --engine spark --master "
                    + url + "; stop with ntk cluster stop");
            return 0;
        }
    }

    @Command(name = "stop", description = "Stops the recorded master and workers by pid.")
    static final class Stop extends Base implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            System.out.println(control().stop(state()));
            return 0;
        }
    }

    @Command(name = "status", description = "The master URL and whether each recorded process is running.")
    static final class Status extends Base implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            System.out.println(control().status(state()));
            return 0;
        }
    }
}
