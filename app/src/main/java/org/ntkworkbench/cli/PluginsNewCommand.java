package org.ntkworkbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ntkworkbench.runtime.LoadedPlugin;
import org.ntkworkbench.runtime.Workbench;
import org.ntkworkbench.spi.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntk plugins new NAME [--dir DIR] [--package P]}: a new plugin module (see {@link PluginScaffold})
 * whose DSL word is {@code NAME}. Default DIR is {@code plugins/NAME} of the workbench ({@code -Dntk.home},
 * else the working directory); inside a checkout the module joins the root pom's reactor.
 */
@Command(name = "new", description = {
        "Create a plugin module with the DSL word NAME (a layer with forward pass and kernel rule, its Guice module and ServiceLoader entry, and a Spock spec with the consistency check).",
        "Inside the workbench checkout it is added to the root pom, so ./mvnw verify builds and tests it."})
final class PluginsNewCommand implements Callable<Integer> {

    @ParentCommand
    PluginsCommand plugins;

    @Parameters(index = "0", paramLabel = "NAME", description = "Plugin name and DSL word: a lower-camel Java identifier, e.g. squares.")
    String name;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to create the module (default: plugins/NAME of the workbench).")
    Path dir;

    @Option(names = "--package", paramLabel = "P", description = "Java package (default: org.ntkworkbench.plugins.<name in lower case>).")
    String packageName;

    @Override
    public Integer call() {
        try {
            return generate();
        } catch (IllegalArgumentException e) {
            System.err.println("ntk plugins new: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    private int generate() {
        PluginScaffold.checkName(name);
        Path home = Path.of(System.getProperty("ntk.home", "."));
        Path target = dir != null ? dir : home.resolve("plugins").resolve(name);
        String pkg = packageName != null ? packageName : PluginScaffold.defaultPackage(name);
        PluginScaffold.check(name, target, pkg); // before starting the workbench: cheap errors first
        // The word must not clash with a loaded word or plugin, or the new plugin would fail to load.
        Workbench wb = plugins.root.workbench();
        if (wb.wordInfo().containsKey(name)) {
            throw new IllegalArgumentException("a DSL word '" + name + "' already exists; choose another NAME");
        }
        for (LoadedPlugin p : wb.plugins()) {
            if (p.name().equals(name)) {
                throw new IllegalArgumentException("a plugin named '" + name + "' is already loaded (from " + p.source() + ")");
            }
        }
        PluginScaffold.Result r = PluginScaffold.generate(name, target, pkg, System.getProperty("ntk.home") == null ? null : home);
        System.out.println("created plugin '" + r.name() + "' (package " + r.packageName() + ", DSL word " + r.name()
                + "(scale: 1)) in " + r.dir() + ":");
        for (Path f : r.files()) {
            System.out.println("  " + r.dir().relativize(f));
        }
        if (r.reactorRoot() != null) {
            System.out.println((r.moduleAdded() ? "added" : "already listed:") + " <module>" + r.modulePath() + "</module> in "
                    + r.reactorRoot().resolve("pom.xml") + ", so ./mvnw verify builds and tests it");
            if (r.onClassPath()) {
                System.out.println("added " + r.artifactId() + " to " + r.reactorRoot().resolve("app/pom.xml")
                        + ", so ./ntk loads it (the launcher rebuilds on its next start)");
            }
            System.out.println("build and test: ./mvnw -B -pl " + r.modulePath() + " -am verify");
            System.out.println("list and use:   ./ntk plugins" + (r.onClassPath() ? "" : "   (or ./ntk --plugins " + r.modulePath() + "/target plugins)"));
        } else {
            System.out.println("outside a workbench checkout: build it with Maven once ntk-core is installed"
                    + " (see its README.md), or compile its sources against the workbench's class path");
            System.out.println("list and use:   ntk --plugins <dir holding its jar> plugins");
        }
        return 0;
    }
}
