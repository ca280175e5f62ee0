package org.ntkworkbench.cli;

import java.util.concurrent.Callable;
import org.ntkworkbench.runtime.LoadedPlugin;
import org.ntkworkbench.runtime.PluginFailure;
import org.ntkworkbench.runtime.Workbench;
import org.ntkworkbench.spi.WordInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code ntk plugins}: plugins with versions, descriptions and DSL words, and load failures; {@code ntk plugins new} makes one. */
@Command(name = "plugins", description = "List plugins, their versions, DSL words and load failures.",
        subcommands = PluginsNewCommand.class)
final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @Override
    public Integer call() {
        Workbench wb = root.workbenchQuiet();
        for (LoadedPlugin p : wb.plugins()) {
            System.out.println(p.name() + " " + p.version() + " — " + p.description());
            System.out.println("  from: " + p.source());
            System.out.println("  words: " + (p.words().isEmpty() ? "(none)"
                    : String.join(", ", p.words().stream().map(WordInfo::name).toList())));
        }
        if (wb.plugins().isEmpty()) {
            System.out.println("(no plugins loaded)");
        }
        for (PluginFailure f : wb.failures()) {
            System.out.println("FAILED " + f.plugin() + " (" + f.source() + "): " + f.error());
            if (root.debug && f.cause() != null) {
                f.cause().printStackTrace(System.out);
            }
        }
        return 0;
    }
}
