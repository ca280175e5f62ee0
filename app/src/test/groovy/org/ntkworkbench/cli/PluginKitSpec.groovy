package org.ntkworkbench.cli

import static org.ntkworkbench.nn.Layers.*

import groovy.xml.XmlSlurper
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream
import java.util.jar.Manifest
import javax.tools.ToolProvider
import org.ntkworkbench.data.Samplers
import org.ntkworkbench.nn.RectifiedMonomial
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * {@code ntk plugins new}: a generated plugin compiles, loads from a jar in a plugin directory, lists its
 * word and computes the right kernels in a script; bad names and clashes exit 2; inside a checkout the
 * module joins the reactor. (That the generated module builds and passes its own spec under Maven was
 * checked by hand in the workbench's reactor; doing it here would need ntk-core installed in ~/.m2.)
 */
class PluginKitSpec extends Specification {

    @Shared @TempDir Path dir

    static final List<String> GENERATED = ['pom.xml', 'README.md',
            'src/main/java/org/ntkworkbench/plugins/squares/SquaresLayer.java',
            'src/main/java/org/ntkworkbench/plugins/squares/SquaresWord.java',
            'src/main/java/org/ntkworkbench/plugins/squares/SquaresModule.java',
            'src/main/java/org/ntkworkbench/plugins/squares/SquaresPlugin.java',
            'src/main/resources/META-INF/services/org.ntkworkbench.spi.NtkPlugin',
            'src/test/groovy/org/ntkworkbench/plugins/squares/SquaresLayerSpec.groovy']

    /** Compiles the module's main sources against the test class path and jars them with its resources. */
    static Path buildJar(Path module, Path jar) {
        Path classes = Files.createDirectories(module.resolve('target/classes'))
        def sources = Files.walk(module.resolve('src/main/java')).withCloseable { s -> s.filter { it.toString().endsWith('.java') }.toList() }
        def javac = ToolProvider.systemJavaCompiler
        def log = new StringWriter()
        def files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
        boolean ok = javac.getTask(log, files, null, ['--release', '25', '-cp', System.getProperty('java.class.path'),
                                                      '-d', classes.toString()], null, files.getJavaFileObjectsFromPaths(sources)).call()
        assert ok: log.toString()
        Path resources = module.resolve('src/main/resources')
        Files.createDirectories(jar.parent)
        def manifest = new Manifest()
        manifest.mainAttributes.putValue('Manifest-Version', '1.0')
        new JarOutputStream(Files.newOutputStream(jar), manifest).withCloseable { out ->
            for (Path root in [classes, resources]) {
                Files.walk(root).withCloseable { s -> s.filter { Files.isRegularFile(it) }.toList() }.each { Path f ->
                    out.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')))
                    out.write(Files.readAllBytes(f))
                    out.closeEntry()
                }
            }
        }
        jar
    }

    /** Runs {@code ntk} in this JVM (cheaper than a child for the checks that load no plugin jar). */
    static Map inProcess(String... args) {
        def out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream()
        PrintStream oldOut = System.out, oldErr = System.err
        System.out = new PrintStream(out, true, 'UTF-8')
        System.err = new PrintStream(err, true, 'UTF-8')
        try {
            int exit = Main.execute(args)
            [exit: exit, out: out.toString('UTF-8'), err: err.toString('UTF-8')]
        } finally {
            System.out = oldOut
            System.err = oldErr
        }
    }

    def "a generated plugin compiles, loads from a plugin directory (--plugins and NTK_PLUGINS) and its word works in a script"() {
        given:
        Path module = dir.resolve('squares')
        Path plugins = dir.resolve('plugins')

        when: 'the plugin is generated outside any checkout (in this JVM: only loading its jar needs a fresh one)'
        def gen = inProcess('plugins', 'new', 'squares', '--dir', module.toString())

        then: 'the module, the files it lists, and no reactor change'
        gen.exit == 0
        GENERATED.every { Files.isRegularFile(module.resolve(it)) }
        GENERATED.every { gen.out.contains(it) }
        gen.out.contains('outside a workbench checkout')
        module.resolve('src/main/resources/META-INF/services/org.ntkworkbench.spi.NtkPlugin').text.trim() ==
                'org.ntkworkbench.plugins.squares.SquaresPlugin'
        new XmlSlurper().parse(module.resolve('pom.xml').toFile()).artifactId.text() == 'ntk-plugin-squares'

        when: 'its sources are compiled into a jar in a plugin directory, and its spec is compiled with Spock'
        Path jar = buildJar(module, plugins.resolve('ntk-plugin-squares.jar'))
        def specLoader = new GroovyClassLoader(new URLClassLoader([module.resolve('target/classes').toUri().toURL()] as URL[],
                getClass().classLoader))
        def spec = specLoader.parseClass(module.resolve('src/test/groovy/org/ntkworkbench/plugins/squares/SquaresLayerSpec.groovy').toFile())
        def listed = NtkProcess.run('', 'plugins', '--plugins', plugins.toString())

        then: 'ntk plugins lists it from the jar with its word, and nothing failed'
        Specification.isAssignableFrom(spec)
        spec.declaredMethods*.name.any { it.startsWith('\$spock_feature') }
        listed.exit == 0
        listed.out.readLines().any { it.startsWith('squares 0.1.0 — ') }
        listed.out.contains('from: ' + jar)
        listed.out.contains('words: squares')
        !listed.out.contains('FAILED')

        when: 'a script uses the word, with the plugin directory from NTK_PLUGINS'
        Path script = dir.resolve('use-squares.groovy')
        script.text = '''
            def x = sphere(5, dim: 3, seed: 1)
            def net = serial(dense(16, bStd: 0.1), squares(scale: 2.0), dense(1))
            println "layer=${net.layers()[1]}"
            def k = net.kernel(x).ntk()
            for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) printf('ntk %d %d %.17g%n', i, j, k.get(i, j))
            def check = consistency(net, x, widths: [1024, 4096], seeds: 4)
            println "ntk_rel_err_4096=${check.rows().last().ntkRelativeError()}"
        '''.stripIndent()
        def run = NtkProcess.run([NTK_PLUGINS: plugins.toString()], '', 'run', script.toString(), '--out', dir.resolve('runs').toString())
        def ntk = new double[5][5]
        run.out.readLines().findAll { it.startsWith('ntk ') }.each { line ->
            def (_, i, j, v) = line.split(' ')
            ntk[i as int][j as int] = v as double
        }
        def x = Samplers.sphere(5, 3, 1)
        // Independent references: squares(scale: s) is s^2 times core's max(x, 0)^2, whose T and T' scale by s^2,
        // so the NTK is s^2 times that of serial(dense, rectifiedMonomial(2), dense(1)). On the unit sphere of R^3
        // the first dense layer's NNGP and NTK diagonal is q = |x|^2/3 + bStd^2, so the output NTK diagonal is
        // s^2 (E[relu(u)^4] + E[(2 relu(u))^2] q) = s^2 (3q^2/2 + 2q^2) for u ~ N(0, q).
        double q = 1d / 3 + 0.01
        def reference = serial(dense(16, 1.0, 0.1), new RectifiedMonomial(2), dense(1)).kernel(x).ntk()

        then: 'the script ran, the layer is the plugin\'s, the NTK matches to 1e-12 and finite nets at width 4096 are within 10%'
        run.exit == 0
        run.out.contains('layer=squares(scale: 2.0)')
        (0..<5).every { i -> Math.abs(ntk[i][i] - 4 * 3.5 * q * q) <= 1e-12 * ntk[i][i] }
        (0..<5).every { i -> (0..<5).every { j -> Math.abs(ntk[i][j] - 4 * reference.get(i, j)) <= 1e-12 * ntk[i][i] } }
        Double.parseDouble((run.out =~ /ntk_rel_err_4096=(\S+)/)[0][1]) < 0.1
    }

    def "bad names, clashes with existing words and existing directories exit 2 with one line"() {
        when:
        def bad = inProcess('plugins', 'new', 'Bad-name', '--dir', dir.resolve('bad').toString())
        def clash = inProcess('plugins', 'new', 'relu', '--dir', dir.resolve('relu').toString())
        Files.createDirectories(dir.resolve('taken/src'))
        def taken = inProcess('plugins', 'new', 'taken', '--dir', dir.resolve('taken').toString())

        then:
        [bad, clash, taken].every { it.exit == 2 && it.err.readLines().size() == 1 && it.err.startsWith('ntk plugins new: ') }
        bad.err.contains("plugin name 'Bad-name' must be a Java identifier")
        clash.err.contains("a DSL word 'relu' already exists")
        taken.err.contains('already exists')
        !Files.exists(dir.resolve('bad')) && !Files.exists(dir.resolve('relu'))
    }

    def "inside a checkout the module joins the root pom's reactor before app, with that pom as parent"() {
        given: 'a scratch checkout: a root pom with the core and app modules'
        Path repo = Files.createDirectories(dir.resolve('checkout'))
        repo.resolve('pom.xml').text = '''<project>
              <modelVersion>4.0.0</modelVersion>
              <groupId>org.ntkworkbench</groupId>
              <artifactId>ntk-parent</artifactId>
              <version>9.8.7-SNAPSHOT</version>
              <packaging>pom</packaging>
              <modules>
                <module>core</module>
                <module>app</module>
              </modules>
            </project>
            '''.stripIndent()
        Files.createDirectories(repo.resolve('app')).resolve('pom.xml').text = '''<project>
              <artifactId>ntk-app</artifactId>
              <dependencies>
                <dependency><groupId>org.ntkworkbench</groupId><artifactId>ntk-core</artifactId></dependency>
                <dependency><groupId>org.ntkworkbench</groupId><artifactId>ntk-plugin-pinet</artifactId></dependency>
                <dependency><groupId>info.picocli</groupId><artifactId>picocli</artifactId></dependency>
              </dependencies>
            </project>
            '''.stripIndent()

        when:
        def gen = inProcess('plugins', 'new', 'widget', '--dir', repo.resolve('plugins/widget').toString(),
                '--package', 'com.example.widget')
        def again = inProcess('plugins', 'new', 'widget', '--dir', repo.resolve('plugins/widget').toString())
        def root = new XmlSlurper().parse(repo.resolve('pom.xml').toFile())
        def pom = new XmlSlurper().parse(repo.resolve('plugins/widget/pom.xml').toFile())

        then:
        gen.exit == 0
        gen.out.contains('added <module>plugins/widget</module>')
        gen.out.contains('./mvnw verify builds and tests it')
        root.modules.module*.text() == ['core', 'plugins/widget', 'app']
        def app = new XmlSlurper().parse(repo.resolve('app/pom.xml').toFile())
        app.dependencies.dependency.artifactId*.text() == ['ntk-core', 'ntk-plugin-pinet', 'ntk-plugin-widget', 'picocli']
        app.dependencies.dependency.find { it.artifactId.text() == 'ntk-plugin-widget' }.version.text() == '${project.version}'
        gen.out.contains('added ntk-plugin-widget to')
        pom.artifactId.text() == 'ntk-plugin-widget'
        pom.parent.artifactId.text() == 'ntk-parent'
        pom.parent.version.text() == '9.8.7-SNAPSHOT'
        pom.parent.relativePath.text() == '../../pom.xml'
        Files.isRegularFile(repo.resolve('plugins/widget/src/main/java/com/example/widget/WidgetLayer.java'))
        repo.resolve('plugins/widget/src/main/java/com/example/widget/WidgetLayer.java').text.startsWith('package com.example.widget;')

        and: 'generating it again is refused and leaves the root pom alone'
        again.exit == 2
        repo.resolve('pom.xml').text.count('<module>plugins/widget</module>') == 1
        repo.resolve('app/pom.xml').text.count('ntk-plugin-widget') == 1
    }
}
