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
        org.ntkworkbench.runtime.PhaseTimes.mark("JVM start to main");
        warmUp(args);
        CommandLine cl = commandLine(args);
        org.ntkworkbench.runtime.PhaseTimes.mark("picocli command tree");
        // The session records the command line and the files it reads, for the run's manifest (ntk rerun).
        try (var session = org.ntkworkbench.report.Provenance.Session.open(java.util.List.of(args))) {
            int rc = cl.execute(args);
            org.ntkworkbench.runtime.PhaseTimes.mark("command (rest)");
            return rc;
        } catch (OutOfMemoryError e) {
            // The planner should have refused or gone blockwise first (a defect when this happens), but a
            // one-line message naming the knobs still beats a stack trace.
            System.err.println("ntk: ran out of memory (" + e.getMessage() + ", heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB): give a smaller --memory GB so that the work goes blockwise, raise the heap with NTK_JAVA_OPTS=-Xmx<N>g, "
                    + "or use --engine spark");
            return org.ntkworkbench.spi.ExitCodes.COMPUTATION_FAILED;
        }
    }

    /** Commands that start the workbench (and so check the native BLAS first). */
    private static final java.util.Set<String> WORKBENCH_COMMANDS = java.util.Set.of("kernel", "fit", "spectrum", "eigen", "train");

    /**
     * Start-up work that would otherwise run one after the other on the main thread, begun on background threads
     * while picocli builds its command tree and the workbench starts: the native BLAS check for the commands that
     * need it, and for a {@code --model} expression the Groovy runtime, which the layer words' dispatch initialises
     * on first use (≈ 0.3 thread CPU s; the expression's own parser, ModelParser, costs ≈ 0.03 s cold and needs no warm-up
     * since session 6). Both only warm up: the command's own {@code NativeCheck.verify()} and
     * {@code ModelOption.parse} decide and report, exactly as without them.
     */
    private static void warmUp(String[] args) {
        if (args.length == 0 || !WORKBENCH_COMMANDS.contains(args[0])) {
            return;
        }
        org.ntkworkbench.tensor.NativeCheck.verifyInBackground();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--model") && i + 1 < args.length) {
                org.ntkworkbench.dsl.ModelExpressions.warmUp(args[i + 1]);
                return;
            }
            if (args[i].startsWith("--model=")) {
                org.ntkworkbench.dsl.ModelExpressions.warmUp(args[i].substring("--model=".length()));
                return;
            }
        }
    }

    /** The whole command tree (every subcommand). */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command tree for {@code args}: when the first argument names a subcommand (other than {@code help}), the
     * root with only that subcommand's tree, which parses, helps and fails exactly as the whole tree would for a
     * command line starting with it (CliTreeSpec compares them); otherwise the whole tree (root options first,
     * {@code ntk help X}, a misspelt command and its suggestions, {@code ntk --help}).
     */
    static CommandLine commandLine(String... args) {
        // picocli's support for Groovy closures in annotations (which no ntk command uses) would load
        // groovy.lang.Closure and with it initialise the whole Groovy runtime (about a CPU second) before any
        // command runs, even for ntk --version; a user's own -Dpicocli.disable.closures wins.
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
        NtkCommand root = new NtkCommand();
        CommandLine cl = new CommandLine(root);
        Class<?> only = args.length == 0 || args[0].equals("help") ? null : NtkCommand.subcommand(args[0]);
        // before the handlers below: picocli gives them to the subcommands present when they are set
        for (Class<?> c : NtkCommand.SUBCOMMANDS) {
            if (only == null || c == only) {
                cl.addSubcommand(c);
            }
        }
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
