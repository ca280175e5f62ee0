package org.ntkworkbench.plugins.spark;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * This JVM's class path as files, with manifest-only jars (surefire's booter, launcher jars) expanded
 * into the entries their {@code Class-Path} names: what executors and cluster JVMs on this machine need.
 */
final class ClassPath {
    private ClassPath() {}

    /** Every existing class-path entry (jars and class directories), absolute, in order. */
    static List<String> entries() {
        Set<String> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                add(Path.of(e).toAbsolutePath(), out, 0);
            }
        }
        return new ArrayList<>(out);
    }

    /** The jars among {@link #entries()}. */
    static List<String> jars() {
        return entries().stream().filter(e -> e.endsWith(".jar")).toList();
    }

    private static void add(Path p, Set<String> out, int depth) {
        if (!Files.exists(p) || !out.add(p.toString())) {
            return;
        }
        if (depth > 2 || !p.toString().endsWith(".jar") || !Files.isRegularFile(p)) {
            return;
        }
        try (JarFile jar = new JarFile(p.toFile())) {
            Manifest m = jar.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp == null || cp.isBlank()) {
                return;
            }
            for (String entry : cp.trim().split("\\s+")) {
                Path q;
                try {
                    q = entry.startsWith("file:") ? Path.of(URI.create(entry)) : p.getParent().resolve(entry);
                } catch (RuntimeException bad) {
                    continue;
                }
                add(q.toAbsolutePath().normalize(), out, depth + 1);
            }
        } catch (IOException ignored) {
            // not a readable jar: keep the entry as it is
        }
    }
}
