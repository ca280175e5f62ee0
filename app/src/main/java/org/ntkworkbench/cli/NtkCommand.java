package org.ntkworkbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ntkworkbench.dsl.ModelExpressions;
import org.ntkworkbench.report.Versions;
import org.ntkworkbench.runtime.PluginFailure;
import org.ntkworkbench.runtime.Workbench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ntk}: the root command; global options apply to every subcommand. */
@Command(name = "ntk", mixinStandardHelpOptions = true, versionProvider = NtkCommand.VersionProvider.class,
        description = "NTK Workbench: neural tangent and NNGP kernels of wide networks.",
        scope = CommandLine.ScopeType.INHERIT)
public final class NtkCommand implements Runnable {

    /**
     * The subcommands, in the order {@code ntk --help} lists them. {@link Main#commandLine} adds them (rather than
     * {@code @Command(subcommands = …)}) so that a command line naming one of them builds only that one's tree:
     * picocli's reflection over all of them cost start-up time on every run.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, ReplCommand.class, JShellCommand.class, PluginsCommand.class,
            BenchCommand.class, EigenCommand.class, SpectrumCommand.class, TrainCommand.class, KernelCommand.class, FitCommand.class,
            RerunCommand.class, JupyterCommand.class, ClusterCommand.class, CommandLine.HelpCommand.class);

    /** The subcommand class called {@code name} (its {@code @Command} name), or null. */
    static Class<?> subcommand(String name) {
        for (Class<?> c : SUBCOMMANDS) {
            if (c.getAnnotation(Command.class).name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    @Option(names = "--plugins", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Extra plugin directory of jars (repeatable; also $NTK_PLUGINS, ':'-separated).")
    List<Path> pluginDirs = new ArrayList<>();

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Starts the runtime (native check, plugins, injector); plugin load failures are summed up in one stderr line. */
    Workbench workbench() {
        Workbench wb = Workbench.start(pluginDirs);
        reportFailures(wb.failures());
        return wb;
    }

    /** The one stderr line that sums up plugin load failures (nothing when there are none). */
    private static void reportFailures(List<PluginFailure> failures) {
        if (!failures.isEmpty()) {
            System.err.println("ntk: " + failures.size() + " plugin" + (failures.size() == 1 ? "" : "s") + " failed to load ("
                    + String.join("; ", failures.stream().map(f -> f.plugin() + " from " + f.source()).toList())
                    + "); 'ntk plugins' says why");
        }
    }

    /**
     * The runtime for a command that needs the core services and a model ({@code null}: none): the core-only workbench
     * ({@link Workbench#startCore}: no plugin modules, no injector) when the model calls core words only
     * ({@link ModelExpressions.Source#callsOnly} {@link Workbench#coreWordNames}) and no plugin directory is given;
     * otherwise {@link #workbench()}, which loads every plugin and reports failures. The model evaluates to the same
     * layer, or fails with the same message, in either. {@code listPlugins}: the command will ask for the plugins (its
     * manifest lists them), so the core-only workbench names them on a background thread meanwhile; their failures
     * (a broken class-path plugin) are summed up in the same one line when they are first asked for.
     */
    Workbench workbench(ModelExpressions.Source model, boolean listPlugins) {
        if (model == null || model.callsOnly(Workbench.coreWordNames())) {
            Workbench core = Workbench.startCore(pluginDirs, listPlugins, NtkCommand::reportFailures);
            if (core != null) {
                return core;
            }
        }
        return workbench();
    }

    /** The runtime without the failure summary (for {@code ntk plugins}, which lists each failure). */
    Workbench workbenchQuiet() {
        return Workbench.start(pluginDirs);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Versions v = Versions.current();
            return new String[] {"ntk " + v.workbench() + " (Smile " + v.smile() + ", OpenBLAS " + v.openblas()
                    + ", Groovy " + v.groovy() + ", Java " + v.java() + ")"};
        }
    }
}
