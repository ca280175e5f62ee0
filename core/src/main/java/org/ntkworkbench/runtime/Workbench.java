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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import org.ntkworkbench.dsl.DslContext;
import org.ntkworkbench.dsl.ModelSource;
import org.ntkworkbench.dsl.WordBinding;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;
import org.ntkworkbench.spectrum.Spectra;
import org.ntkworkbench.spectrum.SpectrumModule;
import org.ntkworkbench.tensor.BlasThreads;
import org.ntkworkbench.tensor.NativeCheck;

/**
 * The runtime: a Guice injector built from the core module and every plugin's module, the DSL words
 * they bind, and what failed to load. Scripts, the REPL and JShell all start from one of these;
 * {@link #current()} is the static accessor for JShell. {@link #startCore} gives the core-only workbench (no plugin
 * modules, no injector) that {@code ntk kernel}, {@code spectrum} and {@code eigen} use for a model of core words.
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

    /** With the core-only workbench: the one {@link Spectra} (bound as an instance in the injector). */
    private Spectra spectra;

    /** With the core-only workbench: the class path's plugin names (run on a thread or at first use), and who reports failures. */
    private FutureTask<PluginLoader.Result> pluginNames;
    private Consumer<List<PluginFailure>> onFailures;
    private boolean failuresReported;

    private Workbench(Injector injector, List<LoadedPlugin> plugins, List<PluginFailure> failures) {
        this(injector, plugins, failures, injector.getInstance(Key.get(new TypeLiteral<Map<String, DslWord>>() {})),
                injector.getInstance(Key.get(new TypeLiteral<Set<WordInfo>>() {})));
    }

    private Workbench(Injector injector, List<LoadedPlugin> plugins, List<PluginFailure> failures, Map<String, DslWord> boundWords,
                      Iterable<WordInfo> infos) {
        this.injector = injector;
        this.plugins = plugins;
        this.failures = failures;
        this.words = new TreeMap<>(boundWords);
        // Layers built by words remember their DSL text, so engines that rebuild models elsewhere can ship them.
        this.words.replaceAll(ModelSource::recording);
        Map<String, WordInfo> info = new TreeMap<>();
        for (WordInfo w : infos) {
            info.put(w.name(), w);
        }
        this.wordInfo = info;
    }

    /**
     * The core words that need no injected service ({@link WordBinding#instance}), by name: what the core-only
     * workbench ({@link #startCore}) offers; a model that calls only these evaluates there exactly as in the full one
     * (a plugin cannot rebind a core word: the injector refuses a second binding of a name, and the plugin is dropped).
     */
    public static Set<String> coreWordNames() {
        return CoreWordNames.NAMES;
    }

    private static final class CoreWordNames {
        static final Set<String> NAMES = Set.copyOf(instanceWords(WordBinding.core()).keySet());
    }

    /** The bindings among {@code bindings} that carry their word ({@link WordBinding#instance}), by name. */
    private static Map<String, WordBinding> instanceWords(List<WordBinding> bindings) {
        Map<String, WordBinding> m = new TreeMap<>();
        for (WordBinding w : bindings) {
            if (w.instance() != null) {
                m.put(w.info().name(), w);
            }
        }
        return m;
    }

    /**
     * The workbench of the core alone, without Guice: the native check and BLAS threads as {@link #start}, the core
     * words that need no injected service ({@link #coreWordNames}), the core services constructed as the injector
     * constructs them ({@code CoreModule.PLAIN_SERVICES}: a new instance per request; {@link Spectra}: one instance).
     * Its plugins ({@link #plugins}, {@link #pluginVersions}, {@link #failures}: for the run manifest) are the class path's,
     * found, constructed and named as {@link #start} does but without their modules, on a background thread started
     * here when {@code listPlugins} (else at first use); the first use of them hands a non-empty failure list to
     * {@code onFailures} (the command's one-line summary). A class-path plugin whose module would throw or whose bindings
     * would break the injector is listed as loaded (the full start drops and reports it); the plugins on the class path
     * are the ones the build ships, whose modules the build tests. Null, with nothing done, when plugin
     * directories are given ({@code --plugins}, {@value PluginLoader#PLUGINS_ENV}): then {@link #start} loads them.
     * For commands that use services and a model of core words only ({@code ntk kernel}, {@code spectrum},
     * {@code eigen}): the plugin modules and the injector cost ≈ 0.2 s of start-up. {@link #current()} is not set.
     */
    public static Workbench startCore(List<Path> pluginDirs, boolean listPlugins, Consumer<List<PluginFailure>> onFailures) {
        if (!PluginLoader.directories(pluginDirs).isEmpty()) {
            return null;
        }
        NativeCheck.verify();
        BlasThreads.applyDefault();
        PhaseTimes.mark("native BLAS check, BLAS threads");
        FutureTask<PluginLoader.Result> names = new FutureTask<>(PluginLoader::namesOnClassPath);
        if (listPlugins) {
            Thread.ofPlatform().name("ntk-plugin-names").daemon(true).start(names);
        }
        Map<String, WordBinding> plain = instanceWords(WordBinding.core());
        Map<String, DslWord> words = new TreeMap<>();
        plain.forEach((name, w) -> words.put(name, w.instance()));
        Workbench wb = new Workbench(null, null, null, words, plain.values().stream().map(WordBinding::info).toList());
        wb.pluginNames = names;
        wb.onFailures = onFailures;
        PhaseTimes.mark("core words (no plugin modules, no injector)");
        return wb;
    }

    /** The core-only workbench's plugin scan, run here if no thread started it; reports failures once. */
    private PluginLoader.Result pluginNames() {
        pluginNames.run();
        PluginLoader.Result r;
        try {
            r = pluginNames.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the plugins", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("listing the plugins failed: " + PluginLoader.oneLine(e.getCause()), e.getCause());
        }
        synchronized (this) {
            if (!failuresReported) {
                failuresReported = true;
                if (!r.failures().isEmpty() && onFailures != null) {
                    onFailures.accept(r.failures());
                }
            }
        }
        return r;
    }

    /** Whether this is the core-only workbench of {@link #startCore} (no injector, no plugin modules). */
    public boolean coreOnly() {
        return injector == null;
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

    /**
     * An injected service, e.g. {@code service(Plots.class)}. The core-only workbench ({@link #startCore}) has the
     * core services that need nothing injected and {@link Spectra}; asking it for another is a programming error.
     */
    @Override
    public <T> T service(Class<T> type) {
        if (injector != null) {
            return injector.getInstance(type);
        }
        if (type == Spectra.class) {
            synchronized (this) {
                if (spectra == null) {
                    spectra = SpectrumModule.create();
                }
                return type.cast(spectra);
            }
        }
        Class<?> implementation = CoreModule.PLAIN_SERVICES.get(type);
        if (implementation == null) {
            throw new IllegalStateException("the core-only workbench has no " + type.getSimpleName() + "; start the full one (Workbench.start)");
        }
        try {
            return type.cast(implementation.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + implementation.getName() + ": " + e, e);
        }
    }

    /** The injector; null for the core-only workbench ({@link #startCore}). */
    public Injector injector() {
        return injector;
    }

    public List<LoadedPlugin> plugins() {
        return injector != null ? plugins : pluginNames().plugins();
    }

    @Override
    public List<String> pluginVersions() {
        return plugins().stream().map(p -> p.name() + " " + p.version()).toList();
    }

    public List<PluginFailure> failures() {
        return injector != null ? failures : pluginNames().failures();
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
        CoreModule.SERVICES.forEach((name, type) -> m.put(name, service(type)));
        m.put("workbench", this);
        return m;
    }
}
