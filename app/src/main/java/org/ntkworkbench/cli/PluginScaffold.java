package org.ntkworkbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;
import org.ntkworkbench.report.Versions;

/**
 * Writes a new plugin module from the templates in {@code org/ntkworkbench/cli/plugin-template/}
 * ({@code {{key}}} placeholders): a squared-ReLU layer with forward pass and closed-form kernel rule, its
 * DSL word, the Guice module and {@code NtkPlugin}, the {@code ServiceLoader} entry, a Spock spec with the
 * consistency check, a pom and a README.
 *
 * <p>When the target directory lies inside a workbench checkout (a {@code pom.xml} above it with
 * artifactId {@code ntk-parent} and a {@code core} module), the generated pom's parent is that pom and
 * the module is added to its {@code <modules>}, so the reactor ({@code ./mvnw verify}) builds it.
 */
final class PluginScaffold {
    private PluginScaffold() {}

    private static final String TEMPLATES = "/org/ntkworkbench/cli/plugin-template/";
    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*");
    private static final Pattern PARENT_VERSION =
            Pattern.compile("<artifactId>ntk-parent</artifactId>\\s*<version>([^<]+)</version>");

    /**
     * What was written.
     *
     * @param files       the generated files, in template order
     * @param reactorRoot the workbench checkout whose reactor now builds the module, or {@code null}
     * @param modulePath  the module's path relative to {@code reactorRoot} ({@code /}-separated), or {@code null}
     * @param moduleAdded whether {@code <module>modulePath</module>} was added (false if it was already listed)
     * @param artifactId  the module's Maven artifact id
     * @param onClassPath whether the module was added to {@code app/pom.xml}'s dependencies, so that {@code ./ntk}
     *                    (which rebuilds when a pom changes) loads it from its class path
     */
    record Result(String name, String packageName, Path dir, List<Path> files, Path reactorRoot, String modulePath,
                  boolean moduleAdded, String artifactId, boolean onClassPath) {}

    /** Throws {@link IllegalArgumentException} unless {@code name} is a lower-camel Java identifier (not a keyword). */
    static void checkName(String name) {
        if (!NAME.matcher(name).matches() || SourceVersion.isKeyword(name)) {
            throw new IllegalArgumentException("plugin name '" + name + "' must be a Java identifier of letters and digits"
                    + " starting with a lower-case letter and not a keyword (it is also the DSL word), e.g. squares");
        }
    }

    /**
     * Checks the arguments of {@link #generate} without writing anything: the name, the package, and that
     * {@code dir} does not exist or is empty. Returns {@code dir} absolute and normalised.
     */
    static Path check(String name, Path dir, String packageName) {
        checkName(name);
        if (!SourceVersion.isName(packageName)) {
            throw new IllegalArgumentException("package '" + packageName + "' is not a valid Java package name");
        }
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new IllegalArgumentException("directory " + target + " already exists; choose another NAME or --dir");
        }
        return target;
    }

    /** The default package {@code org.ntkworkbench.plugins.<name in lower case>}. */
    static String defaultPackage(String name) {
        return "org.ntkworkbench.plugins." + name.toLowerCase(Locale.ROOT);
    }

    /**
     * Generates the plugin {@code name} in {@code dir} (which must not exist or be empty), package
     * {@code packageName}; {@code home} is the workbench checkout used as parent when {@code dir} is
     * outside any checkout ({@code null}: none known).
     */
    static Result generate(String name, Path dir, String packageName, Path home) {
        Path target = check(name, dir, packageName);
        String className = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        Path root = reactorRoot(target);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("Name", className);
        values.put("artifact", name.toLowerCase(Locale.ROOT));
        values.put("package", packageName);
        values.put("packagePath", packageName.replace('.', '/'));
        String modulePath = null;
        if (root != null) {
            modulePath = root.relativize(target).toString().replace('\\', '/');
            values.put("parentVersion", parentVersion(root));
            values.put("parentRelativePath", slashes(target.relativize(root.resolve("pom.xml"))));
            values.put("properties", "");
            values.put("buildHint", "from the workbench root, `./mvnw -B -pl " + modulePath + " -am verify`"
                    + " (`./mvnw verify` builds it too); the jar lands in `" + modulePath + "/target`.");
        } else {
            Path parentPom = home == null ? null : home.toAbsolutePath().normalize().resolve("pom.xml");
            boolean known = parentPom != null && isWorkbenchPom(parentPom);
            values.put("parentVersion", known ? parentVersion(parentPom.getParent()) : Versions.current().workbench());
            values.put("parentRelativePath", known ? slashes(target.relativize(parentPom)) : "");
            values.put("properties", known
                    ? "  <properties>\n"
                      + "    <!-- Built outside the workbench's reactor: the native OpenBLAS its build unpacked. -->\n"
                      + "    <ntk.native.dir>" + parentPom.getParent().resolve("core/target/native") + "</ntk.native.dir>\n"
                      + "  </properties>\n"
                    : "  <!-- Outside a workbench checkout: set ntk.native.dir to <workbench>/core/target/native. -->\n");
            values.put("buildHint", "`mvn -B verify` here, once ntk-core " + values.get("parentVersion")
                    + " is in your Maven repository (`./mvnw install` in the workbench); or move this folder to"
                    + " plugins/" + name + " of a workbench checkout and add it to the root pom's modules.");
        }

        String javaDir = "src/main/java/" + values.get("packagePath") + "/";
        Map<String, String> files = new LinkedHashMap<>(); // output path -> template
        files.put("pom.xml", "pom.xml.tmpl");
        files.put("README.md", "README.md.tmpl");
        files.put(javaDir + className + "Layer.java", "Layer.java.tmpl");
        files.put(javaDir + className + "Word.java", "Word.java.tmpl");
        files.put(javaDir + className + "Module.java", "Module.java.tmpl");
        files.put(javaDir + className + "Plugin.java", "Plugin.java.tmpl");
        files.put("src/main/resources/META-INF/services/org.ntkworkbench.spi.NtkPlugin", "NtkPlugin.services.tmpl");
        files.put("src/test/groovy/" + values.get("packagePath") + "/" + className + "LayerSpec.groovy", "LayerSpec.groovy.tmpl");

        List<Path> written = new ArrayList<>();
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path out = target.resolve(f.getKey());
                Files.createDirectories(out.getParent());
                Files.writeString(out, render(f.getValue(), values), StandardCharsets.UTF_8);
                written.add(out);
            }
            boolean added = root != null && addModule(root.resolve("pom.xml"), modulePath);
            String artifactId = "ntk-plugin-" + values.get("artifact");
            boolean onClassPath = root != null && addAppDependency(root.resolve("app").resolve("pom.xml"), artifactId);
            return new Result(name, packageName, target, List.copyOf(written), root, modulePath, added, artifactId, onClassPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plugin " + name + " into " + target + ": " + e.getMessage(), e);
        }
    }

    /** The template with every {@code {{key}}} replaced; a placeholder without a value is a bug in the kit. */
    static String render(String template, Map<String, String> values) {
        String text;
        try (InputStream in = PluginScaffold.class.getResourceAsStream(TEMPLATES + template)) {
            if (in == null) {
                throw new IllegalStateException("plugin template " + template + " is missing from the app jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> v : values.entrySet()) {
            text = text.replace("{{" + v.getKey() + "}}", v.getValue());
        }
        int left = text.indexOf("{{");
        if (left >= 0) {
            throw new IllegalStateException("template " + template + " has an unknown placeholder at: "
                    + text.substring(left, Math.min(text.length(), left + 30)));
        }
        return text;
    }

    /** The nearest directory above {@code dir} holding the workbench's root pom, or {@code null}. */
    static Path reactorRoot(Path dir) {
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            if (isWorkbenchPom(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return null;
    }

    private static boolean isWorkbenchPom(Path pom) {
        if (!Files.isRegularFile(pom)) {
            return false;
        }
        try {
            String text = Files.readString(pom);
            // A plugin's pom names ntk-parent too, as its parent; only the root lists the core module.
            return text.contains("<artifactId>ntk-parent</artifactId>") && text.contains("<module>core</module>");
        } catch (IOException e) {
            return false;
        }
    }

    private static String parentVersion(Path root) {
        try {
            Matcher m = PARENT_VERSION.matcher(Files.readString(root.resolve("pom.xml")));
            return m.find() ? m.group(1).trim() : Versions.current().workbench();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root.resolve("pom.xml") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds {@code <module>modulePath</module>} to the root pom's {@code <modules>}, before {@code app} (which
     * stays last); returns false when it is already listed.
     */
    static boolean addModule(Path pom, String modulePath) throws IOException {
        String text = Files.readString(pom);
        String entry = "<module>" + modulePath + "</module>";
        if (text.contains(entry)) {
            return false;
        }
        int at = text.indexOf("<module>app</module>");
        if (at < 0) {
            at = text.indexOf("</modules>");
        }
        if (at < 0) {
            throw new IllegalArgumentException(pom + " has no <modules> section to add " + modulePath + " to");
        }
        int lineStart = text.lastIndexOf('\n', at) + 1;
        String indent = text.substring(lineStart, at);
        if (!indent.isBlank()) {
            indent = "    ";
        }
        if (text.startsWith("</modules>", at)) {
            indent = indent + "  ";
        }
        Files.writeString(pom, text.substring(0, lineStart) + indent + entry + "\n" + text.substring(lineStart));
        return true;
    }

    /**
     * Adds the plugin to the launcher module's dependencies ({@code app/pom.xml}), after the shipped plugins,
     * so it is on {@code ./ntk}'s class path like them; returns false when there is no such pom or it already
     * lists the artifact.
     */
    static boolean addAppDependency(Path appPom, String artifactId) throws IOException {
        if (!Files.isRegularFile(appPom)) {
            return false;
        }
        String text = Files.readString(appPom);
        if (text.contains("<artifactId>" + artifactId + "</artifactId>")) {
            return false;
        }
        int at = text.lastIndexOf("<artifactId>ntk-plugin-");
        if (at < 0) {
            at = text.indexOf("<artifactId>ntk-core</artifactId>");
        }
        if (at < 0) {
            throw new IllegalArgumentException(appPom + " has no ntk-core or ntk-plugin dependency to add " + artifactId + " after");
        }
        int lineEnd = text.indexOf('\n', at) + 1;
        String entry = "    <dependency><groupId>org.ntkworkbench</groupId><artifactId>" + artifactId
                + "</artifactId><version>${project.version}</version></dependency>\n";
        Files.writeString(appPom, text.substring(0, lineEnd) + entry + text.substring(lineEnd));
        return true;
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }
}
