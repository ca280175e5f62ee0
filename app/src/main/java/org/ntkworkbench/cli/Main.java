package org.ntkworkbench.cli;

import java.io.PrintWriter;
import org.ntkworkbench.spi.ExitCodes;
import picocli.CommandLine;

/** Entry point of {@code ./ntk}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns DESIGN.md's exit code (0 ok, 1 computation failed, 2 bad usage/input). */
    public static int execute(String... args) {
        CommandLine cl = commandLine();
        // The session records the command line and the files it reads, for the run's manifest (ntk rerun).
        try (var session = org.ntkworkbench.report.Provenance.Session.open(java.util.List.of(args))) {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // The planner should have refused or gone blockwise first (a defect when this happens), but a
            // one-line message naming the knobs still beats a stack trace.
            System.err.println("ntk: ran out of memory (" + e.getMessage() + ", heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB): give a smaller --memory GB so that the work goes blockwise, raise the heap with NTK_JAVA_OPTS=-Xmx<N>g, "
                    + "or use --engine spark");
            return org.ntkworkbench.spi.ExitCodes.COMPUTATION_FAILED;
        }
    }

    static CommandLine commandLine() {
        NtkCommand root = new NtkCommand();
        CommandLine cl = new CommandLine(root);
        cl.setExitCodeExceptionMapper(ExitCodes::of);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("ntk: " + ex.getMessage() + " (see 'ntk help " + commandPath(c) + "')");
            return ExitCodes.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("ntk " + commandPath(c) + ": " + org.ntkworkbench.runtime.PluginLoader.oneLine(ex));
            if (root.debug) {
                ex.printStackTrace(c.getErr());
            }
            return ExitCodes.of(ex);
        });
        return cl;
    }

    private static String commandPath(CommandLine c) {
        String name = c.getCommandSpec().qualifiedName(" ");
        return name.startsWith("ntk ") ? name.substring(4) : "";
    }
}
