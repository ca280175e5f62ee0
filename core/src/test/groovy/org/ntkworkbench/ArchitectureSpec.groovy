package org.ntkworkbench

import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Shared
import spock.lang.Specification

/**
 * The package arrows of docs/architecture.md against the sources: every {@code import} and fully
 * qualified name of {@code org.ntkworkbench.*} in core's and the plugins' main Java sources (comments
 * and string literals removed). The allowed arrows are listed once, in docs/architecture.md.
 */
class ArchitectureSpec extends Specification {

    static final String PREFIX = 'org.ntkworkbench.'

    @Shared
    Path repo = findRepo()

    @Shared
    String doc = Files.readString(repo.resolve('docs/architecture.md'))

    static Path findRepo() {
        Path p = Path.of(System.getProperty('user.dir')).toAbsolutePath()
        while (p != null && !Files.exists(p.resolve('docs/architecture.md'))) {
            p = p.parent
        }
        assert p != null: 'docs/architecture.md not found above ' + System.getProperty('user.dir')
        p
    }

    /** The lines of the fenced block ```name in docs/architecture.md. */
    List<String> block(String name) {
        def m = doc =~ /(?s)```${name}\n(.*?)```/
        assert m.find(): "docs/architecture.md has no ```${name} block"
        m.group(1).readLines()*.trim().findAll { it }
    }

    /** {@code key: values…} lines of a block as a map key → set of values. */
    Map<String, Set<String>> table(String name) {
        block(name).collectEntries { line ->
            int c = line.indexOf(':')
            [(line.substring(0, c).trim()): (line.substring(c + 1).trim().split(/\s+/).findAll { it } as Set)]
        }
    }

    /** Java source without comments and string literals (a type named in a comment is no dependency). */
    static String code(Path f) {
        String s = Files.readString(f)
        s = s.replaceAll(/(?s)\/\*.*?\*\//, ' ')
        s = s.replaceAll(/\/\/[^\n]*/, ' ')
        s.replaceAll(/"(\\.|[^"\\\n])*"/, '""')
    }

    /**
     * The {@code org.ntkworkbench} references of a source: {@code pkg.Type} for a type,
     * {@code pkg.*} for a wildcard import (packages relative to org.ntkworkbench).
     */
    static Set<String> references(Path f) {
        Set<String> refs = new TreeSet<>()
        def m = code(f) =~ /\borg\.ntkworkbench\.((?:[a-z][a-z0-9_]*\.)+)([A-Z]\w*|\*)/
        while (m.find()) {
            String pkg = m.group(1)
            refs << pkg.substring(0, pkg.length() - 1) + '.' + m.group(2)
        }
        refs
    }

    static String packageOf(String ref) {
        ref.substring(0, ref.lastIndexOf('.'))
    }

    static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return []
        }
        Files.walk(dir).withCloseable { s -> s.filter { it.toString().endsWith('.java') }.sorted().toList() }
    }

    /** Core's package → packages it uses (its own excluded), with the files that make each arrow. */
    Map<String, Map<String, Set<String>>> coreArrows() {
        Path src = repo.resolve('core/src/main/java/org/ntkworkbench')
        Map<String, Map<String, Set<String>>> arrows = new TreeMap<>()
        for (Path f : javaFiles(src)) {
            String pkg = src.relativize(f.parent).toString().replace('/', '.')
            for (String ref : references(f)) {
                String to = packageOf(ref)
                if (to != pkg) {
                    arrows.computeIfAbsent(pkg) { new TreeMap<>() }.computeIfAbsent(to) { new TreeSet<>() } << f.fileName.toString()
                }
            }
        }
        arrows
    }

    def "the architecture page lists every core package with an acyclic set of arrows"() {
        given:
        Map<String, Set<String>> allowed = table('arrows')

        expect: "no arrow of the documented graph closes a cycle"
        cycle(allowed) == null

        and: "every package of core has a line"
        Path src = repo.resolve('core/src/main/java/org/ntkworkbench')
        Set<String> packages = javaFiles(src).collect { src.relativize(it.parent).toString().replace('/', '.') } as Set
        (packages - allowed.keySet()).isEmpty()
    }

    def "core's packages form no cycle and use only the arrows docs/architecture.md allows"() {
        given:
        Map<String, Map<String, Set<String>>> actual = coreArrows()
        Map<String, Set<String>> allowed = table('arrows')
        Map<String, Set<String>> graph = actual.collectEntries { k, v -> [(k): v.keySet()] }

        when:
        List<String> loop = cycle(graph)
        List<String> unlisted = []
        actual.each { from, tos ->
            tos.each { to, files ->
                boolean ok = allowed[from]?.contains(to) || to.startsWith(from + '.')
                if (!ok) {
                    unlisted << "${from} -> ${to} (${files.join(', ')})".toString()
                }
            }
        }

        then: "no cycle between packages (${loop})"
        loop == null

        and: "no arrow that docs/architecture.md does not list; add it there only if it closes no cycle"
        unlisted == []
    }

    def "plugins import only the spi and the public model API (listed exceptions excepted, and only while used)"() {
        given:
        Set<String> open = block('plugin-packages').join(' ').split(/\s+/) as Set
        Map<String, Set<String>> exceptions = table('plugin-exceptions')
        Map<String, Set<String>> used = [:].withDefault { new TreeSet<String>() }
        List<String> outside = []

        when:
        Files.list(repo.resolve('plugins')).withCloseable { it.sorted().toList() }.each { Path plugin ->
            String name = plugin.fileName.toString()
            for (Path f : javaFiles(plugin.resolve('src/main/java'))) {
                for (String ref : references(f)) {
                    String pkg = packageOf(ref)
                    if (pkg.startsWith('plugins.') || open.contains(pkg)) {
                        continue
                    }
                    if (exceptions[name]?.contains(ref)) {
                        used[name] << ref
                    } else {
                        outside << "${name}: ${PREFIX}${ref} (${f.fileName})".toString()
                    }
                }
            }
        }
        List<String> stale = exceptions.collectMany { name, refs -> (refs - used[name]).collect { "${name}: ${it}".toString() } }

        then: "every import outside the spi and the public API is a listed exception (add a facade to the spi instead)"
        outside == []

        and: "every listed exception is still used (remove it from docs/architecture.md)"
        stale == []
    }

    /** A cycle of {@code graph} as a path a → … → a, or null. */
    static List<String> cycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = [:]   // 1 on the stack, 2 done
        List<String> stack = []
        Closure<List<String>> visit
        visit = { String n ->
            state[n] = 1
            stack << n
            for (String m : (graph[n] ?: [])) {
                if (state[m] == 1) {
                    return stack.subList(stack.indexOf(m), stack.size()) + [m]
                }
                if (state[m] == null) {
                    List<String> c = visit(m)
                    if (c != null) {
                        return c
                    }
                }
            }
            stack.removeLast()
            state[n] = 2
            null
        }
        for (String n : graph.keySet().sort()) {
            if (state[n] == null) {
                List<String> c = visit(n)
                if (c != null) {
                    return c
                }
            }
        }
        null
    }

    def "the cycle finder finds a cycle and accepts a chain"() {
        expect:
        cycle([a: ['b'] as Set, b: ['c'] as Set, c: ['a'] as Set]) == ['a', 'b', 'c', 'a']
        cycle([a: ['b'] as Set, b: ['c'] as Set, c: [] as Set]) == null
        references(Files.writeString(Files.createTempFile('ref', '.java'),
                '// org.ntkworkbench.nn.Layer\nimport org.ntkworkbench.kernel.Kernel;\nimport org.ntkworkbench.io.*;\n'
                        + 'class X { String s = "org.ntkworkbench.dsl.Y"; org.ntkworkbench.model.KernelService k; }')) ==
                ['io.*', 'kernel.Kernel', 'model.KernelService'] as Set
    }
}
