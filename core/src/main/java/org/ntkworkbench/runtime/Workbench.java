package org.ntkworkbench.runtime;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ntkworkbench.dsl.DslContext;
import org.ntkworkbench.dsl.ModelSource;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;
import org.ntkworkbench.tensor.BlasThreads;
import org.ntkworkbench.tensor.NativeCheck;

/**
 * The runtime: a Guice injector built from the core module and every plugin's module, the DSL words
 * they bind, and what failed to load. Scripts, the REPL and JShell all start from one of these;
 * {@link #current()} is the static accessor for JShell.
 */
public final class Workbench implements DslContext {
    private static volatile Workbench current;

    static {
        PluginLoader.guiceDefaults();
    }

    private final Injector injector;
    private final List<LoadedPlugin> plugins;
    private final List<PluginFailure> failures;
    private final Map<String, DslWord> words;
    private final Map<String, WordInfo> wordInfo;

    private Workbench(Injector injector, List<LoadedPlugin> plugins, List<PluginFailure> failures) {
        this.injector = injector;
        this.plugins = plugins;
        this.failures = failures;
        this.words = new TreeMap<>(injector.getInstance(Key.get(new TypeLiteral<Map<String, DslWord>>() {})));
        // Layers built by words remember their DSL text, so engines that rebuild models elsewhere can ship them.
        this.words.replaceAll(ModelSource::recording);
        Map<String, WordInfo> info = new TreeMap<>();
        for (WordInfo w : injector.getInstance(Key.get(new TypeLiteral<Set<WordInfo>>() {}))) {
            info.put(w.name(), w);
        }
        this.wordInfo = info;
    }

    /** Checks the native libraries, loads plugins from the class path and {@code pluginDirs}, builds the injector. */
    public static Workbench start(List<Path> pluginDirs) {
        NativeCheck.verify();
        BlasThreads.applyDefault();
        PhaseTimes.mark("native BLAS check, BLAS threads");
        PluginLoader.Result found = new PluginLoader(PluginLoader.directories(pluginDirs)).load();
        PhaseTimes.mark("plugins found");
        List<LoadedPlugin> plugins = new ArrayList<>(found.plugins());
        List<PluginFailure> failures = new ArrayList<>(found.failures());
        Injector injector;
        try {
            injector = Guice.createInjector(modules(plugins));
        } catch (RuntimeException e) {
            // Add the plugins one by one (in name order) and drop each whose bindings break the injector, alone
            // or together with the ones kept before it (e.g. two plugins binding the same word); keep the rest.
            List<LoadedPlugin> kept = new ArrayList<>();
            for (LoadedPlugin p : plugins) {
                List<LoadedPlugin> trial = new ArrayList<>(kept);
                trial.add(p);
                try {
                    Guice.createInjector(modules(trial));
                    kept.add(p);
                } catch (RuntimeException pe) {
                    failures.add(new PluginFailure(p.name(), p.source(), PluginLoader.oneLine(pe), pe));
                }
            }
            plugins = kept;
            injector = Guice.createInjector(modules(plugins));
        }
        PhaseTimes.mark("Guice injector");
        Workbench wb = new Workbench(injector, List.copyOf(plugins), List.copyOf(failures));
        current = wb;
        return wb;
    }

    private static List<Module> modules(List<LoadedPlugin> plugins) {
        List<Module> modules = new ArrayList<>();
        modules.add(new CoreModule());
        plugins.forEach(p -> modules.add(p.module()));
        return modules;
    }

    /** The workbench most recently started in this JVM (for JShell: {@code Workbench.current().service(KernelService.class)}). */
    public static Workbench current() {
        if (current == null) {
            throw new IllegalStateException("no workbench started in this JVM; call Workbench.start(List.of())");
        }
        return current;
    }

    /** An injected service, e.g. {@code service(Plots.class)}. */
    @Override
    public <T> T service(Class<T> type) {
        return injector.getInstance(type);
    }

    public Injector injector() {
        return injector;
    }

    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    @Override
    public List<String> pluginVersions() {
        return plugins.stream().map(p -> p.name() + " " + p.version()).toList();
    }

    public List<PluginFailure> failures() {
        return failures;
    }

    /** All DSL words by name (core and plugins). */
    @Override
    public Map<String, DslWord> words() {
        return words;
    }

    @Override
    public Map<String, WordInfo> wordInfo() {
        return wordInfo;
    }

    /** Calls a DSL word from Java: positional arguments, optionally preceded by a {@code Map} of named ones. */
    public Object word(String name, Object... args) {
        DslWord w = words.get(name);
        if (w == null) {
            throw new DslException("unknown DSL word '" + name + "'");
        }
        return w.call(DslArgs.fromGroovy(name, args));
    }

    /** Services by the names scripts and the REPL see them under ({@code kernels}, {@code plots}, ...). */
    @Override
    public Map<String, Object> serviceBindings() {
        Map<String, Object> m = new LinkedHashMap<>();
        CoreModule.SERVICES.forEach((name, type) -> m.put(name, injector.getInstance(type)));
        m.put("workbench", this);
        return m;
    }
}
