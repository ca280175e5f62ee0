package org.ntkworkbench.runtime

import java.nio.file.Files
import java.nio.file.Path
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream
import org.ntkworkbench.spi.NtkPlugin;
import spock.lang.Specification
import spock.lang.TempDir

class PluginLoaderSpec extends Specification {

    @TempDir
    Path dir

    /** A plugin jar whose service file lists the given classes (the classes come from the test class path). */
    static Path pluginJar(Path dir, String name, List<String> providers) {
        Path jar = dir.resolve(name)
        new JarOutputStream(Files.newOutputStream(jar)).withCloseable { out ->
            out.putNextEntry(new JarEntry('META-INF/services/' + NtkPlugin.name))
            out.write(providers.join('\n').bytes)
            out.closeEntry()
        }
        jar
    }

    def "plugins in a directory load; a throwing one and a missing class are reported, the rest load"() {
        given:
        pluginJar(dir, 'a.jar', ['org.ntkworkbench.runtime.fixtures.GoodPlugin',
                                 'org.ntkworkbench.runtime.fixtures.BrokenModulePlugin',
                                 'org.ntkworkbench.runtime.fixtures.NoSuchPlugin'])

        when:
        def r = new PluginLoader([dir]).load()

        then:
        def good = r.plugins().find { it.name() == 'good' }
        good.version() == '1.2.3'
        good.words()*.name() == ['twice']
        good.source().endsWith('a.jar')

        and:
        r.failures().size() == 2
        r.failures().find { it.plugin() == 'broken' }.error() == 'broken on purpose'
        r.failures().find { it.error().contains('NoSuchPlugin') } != null
    }

    def "a missing plugin directory is a failure, not a crash"() {
        when:
        def r = new PluginLoader([dir.resolve('nope')]).load()

        then:
        r.failures()*.error() == ['plugin directory does not exist']
    }

    def "the workbench drops a plugin whose bindings break the injector and keeps the others"() {
        given:
        pluginJar(dir, 'b.jar', ['org.ntkworkbench.runtime.fixtures.GoodPlugin',
                                 'org.ntkworkbench.runtime.fixtures.ConflictingPlugin'])

        when:
        def wb = Workbench.start([dir])

        then:
        wb.plugins()*.name().contains('good')
        !wb.plugins()*.name().contains('conflicting')
        wb.failures().find { it.plugin() == 'conflicting' }.error().contains('result')
        wb.word('twice', 21) == 42d
        Workbench.current().is(wb)
    }

    def "a corrupt jar, a jar without the service and a second plugin of the same name are each one failure line"() {
        given:
        Files.write(dir.resolve('corrupt.jar'), 'not a zip at all'.bytes)
        new JarOutputStream(Files.newOutputStream(dir.resolve('empty.jar'))).close()
        pluginJar(dir, 'c1.jar', ['org.ntkworkbench.runtime.fixtures.GoodPlugin'])
        pluginJar(dir, 'c2.jar', ['org.ntkworkbench.runtime.fixtures.SameNamePlugin'])

        when:
        def r = new PluginLoader([dir]).load()

        then:
        r.plugins()*.name() == ['good']
        r.failures().size() == 3
        r.failures().every { !it.error().contains('\n') && !(it.error() ==~ /^[A-Z][A-Za-z]+(Exception|Error):.*/) }
        r.failures().find { it.source().endsWith('corrupt.jar') }.error().startsWith('not a readable jar')
        r.failures().find { it.source().endsWith('empty.jar') }.error().startsWith('not an NTK plugin')
        r.failures().find { it.source().endsWith('c2.jar') }.error().contains("a plugin named 'good' is already loaded")
    }

    def "two plugins that bind the same word: the second is dropped with one line, no Guice trace"() {
        given:
        pluginJar(dir, 'd.jar', ['org.ntkworkbench.runtime.fixtures.GoodPlugin', 'org.ntkworkbench.runtime.fixtures.TwiceAgainPlugin'])

        when:
        def wb = Workbench.start([dir])

        then:
        wb.plugins()*.name().containsAll(['good'])
        !wb.plugins()*.name().contains('twice-again')
        def f = wb.failures().find { it.plugin() == 'twice-again' }
        f != null
        !f.error().contains('\n')
        wb.word('twice', 4) == 8d
    }

    def "a plugin whose module() or configure() throws is one failure line; the workbench starts with the others"() {
        given:
        pluginJar(dir, 'e.jar', ['org.ntkworkbench.runtime.fixtures.GoodPlugin', 'org.ntkworkbench.runtime.fixtures.BrokenModulePlugin',
                                 'org.ntkworkbench.runtime.fixtures.ThrowingConfigurePlugin'])

        when:
        def wb = Workbench.start([dir])

        then:
        wb.plugins()*.name().contains('good')
        !wb.plugins()*.name().contains('throws-in-configure')
        wb.failures()*.plugin().containsAll(['broken', 'throws-in-configure'])
        wb.failures().every { !it.error().contains('\n') && !(it.error() ==~ /^[A-Z][A-Za-z]+(Exception|Error):.*/) }
        wb.failures().find { it.plugin() == 'throws-in-configure' }.error().contains('configure failed on purpose')
    }
}
