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
        r.failures().find { it.plugin() == 'broken' }.error() == 'IllegalStateException: broken on purpose'
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
}
