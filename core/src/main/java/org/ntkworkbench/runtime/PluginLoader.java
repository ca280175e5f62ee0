package org.ntkworkbench.runtime;

import com.google.inject.Module;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.spi.InstanceBinding;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.ntkworkbench.spi.NtkPlugin;
import org.ntkworkbench.spi.WordInfo;

/**
 * Finds {@link NtkPlugin}s with {@link ServiceLoader}: on the class path, and in every {@code *.jar} of
 * the plugin directories (one class loader per jar, as Druid does per extension). Anything a plugin
 * throws while being found, asked its name or configured is recorded as a {@link PluginFailure}; the
 * others load.
 */
public final class PluginLoader {

    /** Environment variable holding extra plugin directories, separated by {@code :}. */
    public static final String PLUGINS_ENV = "NTK_PLUGINS";

    /** What was found. */
    public record Result(List<LoadedPlugin> plugins, List<PluginFailure> failures) {}

    private final List<Path> pluginDirs;

    public PluginLoader(List<Path> pluginDirs) {
        this.pluginDirs = List.copyOf(pluginDirs);
    }

    /** Plugin directories from {@link #PLUGINS_ENV} plus the given ones. */
    public static List<Path> directories(List<Path> fromCommandLine) {
        List<Path> dirs = new ArrayList<>(fromCommandLine);
        String env = System.getenv(PLUGINS_ENV);
        if (env != null && !env.isBlank()) {
            for (String p : env.split(":")) {
                if (!p.isBlank()) {
                    dirs.add(Path.of(p));
                }
            }
        }
        return dirs;
    }

    public Result load() {
        List<LoadedPlugin> plugins = new ArrayList<>();
        List<PluginFailure> failures = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> types = new HashSet<>();
        scan(ServiceLoader.load(NtkPlugin.class, PluginLoader.class.getClassLoader()), "class path", plugins, failures, names, types);
        for (Path dir : pluginDirs) {
            if (!Files.isDirectory(dir)) {
                failures.add(new PluginFailure("?", dir.toString(), "plugin directory does not exist", null));
                continue;
            }
            for (Path jar : jars(dir, failures)) {
                String bad = checkJar(jar);
                if (bad != null) {
                    failures.add(new PluginFailure("?", jar.toString(), bad, null));
                    continue;
                }
                try {
                    URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, PluginLoader.class.getClassLoader());
                    scan(ServiceLoader.load(NtkPlugin.class, loader), jar.toString(), plugins, failures, names, types);
                } catch (MalformedURLException e) {
                    failures.add(new PluginFailure("?", jar.toString(), e.toString(), e));
                }
            }
        }
        plugins.sort(Comparator.comparing(LoadedPlugin::name));
        return new Result(List.copyOf(plugins), List.copyOf(failures));
    }

    /** Why {@code jar} cannot be a plugin (unreadable, or without an NtkPlugin service entry), or null. */
    static String checkJar(Path jar) {
        try (java.util.jar.JarFile jf = new java.util.jar.JarFile(jar.toFile())) {
            if (jf.getEntry("META-INF/services/" + NtkPlugin.class.getName()) == null) {
                return "not an NTK plugin: the jar has no META-INF/services/" + NtkPlugin.class.getName();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "not a readable jar (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        }
    }

    private static List<Path> jars(Path dir, List<PluginFailure> failures) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
            s.forEach(jars::add);
        } catch (IOException e) {
            failures.add(new PluginFailure("?", dir.toString(), "cannot list plugin directory: " + e.getMessage(), e));
        }
        jars.sort(Comparator.naturalOrder());
        return jars;
    }

    /** Scans one loader, skipping provider types already seen (a jar loader also sees its parent's). */
    private static void scan(ServiceLoader<NtkPlugin> loader, String source, List<LoadedPlugin> plugins,
                             List<PluginFailure> failures, Set<String> names, Set<String> types) {
        Iterator<ServiceLoader.Provider<NtkPlugin>> it = loader.stream().iterator();
        while (true) {
            ServiceLoader.Provider<NtkPlugin> provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                PluginFailure f = new PluginFailure("?", source, oneLine(e), e);
                if (failures.stream().noneMatch(g -> g.error().equals(f.error()))) {
                    failures.add(f);
                }
                continue;
            }
            if (!types.add(provider.type().getName())) {
                continue;
            }
            String id = provider.type().getName();
            try {
                NtkPlugin plugin = provider.get();
                id = plugin.name();
                if (!names.add(id)) {
                    failures.add(new PluginFailure(id, source, "a plugin named '" + id + "' is already loaded; this one is skipped"
                            + " (give it another name, or remove one of the copies)", null));
                    continue;
                }
                Module module = plugin.module();
                List<WordInfo> words = wordsOf(module);
                plugins.add(new LoadedPlugin(plugin.name(), plugin.version(), plugin.description(), source, words, module));
            } catch (Throwable e) {
                failures.add(new PluginFailure(id, source, oneLine(e), e));
            }
        }
    }

    /** The DSL words a module binds, read from its elements (this also runs its {@code configure}). */
    static List<WordInfo> wordsOf(Module module) {
        List<WordInfo> words = new ArrayList<>();
        for (Element e : Elements.getElements(module)) {
            if (e instanceof InstanceBinding<?> b && b.getInstance() instanceof WordInfo w) {
                words.add(w);
            }
        }
        words.sort(Comparator.comparing(WordInfo::name));
        return List.copyOf(words);
    }

    /**
     * First line of the deepest useful message, in words rather than Java class names: an error line of
     * {@code ntk} never starts with "IllegalArgumentException:" (the class shows only, in brackets, for
     * unexpected errors, and in full with {@code --debug}).
     */
    public static String oneLine(Throwable e) {
        if (e instanceof com.google.inject.CreationException ce && !ce.getErrorMessages().isEmpty()) {
            String m = ce.getErrorMessages().iterator().next().getMessage();
            return "the plugin's bindings are invalid: " + (m.indexOf('\n') < 0 ? m : m.substring(0, m.indexOf('\n')));
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t instanceof ServiceConfigurationError || t instanceof com.google.inject.CreationException
                    || t instanceof java.lang.reflect.InvocationTargetException || t instanceof java.lang.reflect.UndeclaredThrowableException
                    || t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        String m = t.getMessage();
        String msg;
        if (t instanceof java.nio.file.NoSuchFileException) {
            msg = m + ": no such file";
        } else if (t instanceof java.nio.file.AccessDeniedException) {
            msg = m + ": permission denied";
        } else if (t instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            msg = fse.getFile() + ": " + fse.getReason();
        } else if (t instanceof OutOfMemoryError) {
            msg = "out of memory (" + (m == null ? "Java heap" : m) + "); give the JVM more with NTK_JAVA_OPTS=-Xmx…, or less work";
        } else if (t instanceof StackOverflowError) {
            msg = "the computation recursed too deeply (stack overflow)";
        } else if (m != null && !m.isBlank() && (t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof IOException || t instanceof java.io.UncheckedIOException || t instanceof ArithmeticException
                || t instanceof UnsupportedOperationException || t instanceof ServiceConfigurationError)) {
            msg = m;
        } else if (m != null && !m.isBlank()) {
            msg = m + " (" + t.getClass().getSimpleName() + ")";
        } else {
            msg = "internal error (" + t.getClass().getSimpleName() + "); --debug shows where";
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
