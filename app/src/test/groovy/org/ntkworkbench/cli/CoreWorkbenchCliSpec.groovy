package org.ntkworkbench.cli

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.io.DefaultArrayIO
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * {@code ntk kernel}, {@code spectrum} and {@code eigen} on the core-only workbench (session 7: a model of core words,
 * no plugin directory: no plugin modules, no injector) against the same command lines on the full workbench (forced
 * by {@code --plugins} of an empty directory, which adds no plugin): the same exit codes, stderr, output bytes and
 * manifest content (the plugins' names and versions included), in this JVM through {@link Main#execute}.
 */
class CoreWorkbenchCliSpec extends Specification {
    @TempDir
    Path dir
    @Shared
    Workbench marker = Workbench.start([])

    private Map run(List<String> args) {
        PrintStream oldErr = System.err, oldOut = System.out
        def err = new ByteArrayOutputStream(), out = new ByteArrayOutputStream()
        // the full start makes its workbench current; the core-only one does not
        Workbench.start([])
        Workbench before = Workbench.current()
        int code
        try {
            System.setErr(new PrintStream(err, true, 'UTF-8'))
            System.setOut(new PrintStream(out, true, 'UTF-8'))
            code = Main.execute(args as String[])
        } finally {
            System.setErr(oldErr)
            System.setOut(oldOut)
        }
        [code: code, err: err.toString('UTF-8').replace(dir.toString(), 'DIR'), out: out.toString('UTF-8'),
         core: Workbench.current().is(before)]
    }

    /** Both runs of one command line: core-only (as given) and full (with --plugins of an empty directory). */
    private List<Map> both(List<String> args, Closure<List<String>> withOut) {
        Path empty = Files.createDirectories(dir.resolve('no-plugins'))
        def core = run(withOut('core') + [])
        def full = run(['--plugins', empty.toString()] + withOut('full'))
        [core, full]
    }

    private static Map manifest(Path p) {
        Map m = new JsonSlurper().parse(p.toFile()) as Map
        m.remove('started')
        m.remove('timings')
        m.remove('pid')
        m.provenance.environment.remove('blasThreads')
        m.provenance.command.remove('argv')
        m.provenance.outputs.each { it.remove('path') }
        m.files = null
        m
    }

    def "kernel: a model of core words gives the same NPZ bytes and manifest (plugins listed) on the core-only and the full workbench"() {
        given:
        def io = new DefaultArrayIO()
        io.writeNpy(dir.resolve('x.npy'), Tensor.randn(5, 20, 4))
        String model = 'serial(dense(64, wStd: 1.4, bStd: 0.1), relu(), dense(64, wStd: 1.4, bStd: 0.1), relu(), dense(1, wStd: 1.4, bStd: 0.1))'

        when:
        def (core, full) = both([]) { String tag ->
            ['kernel', '--model', model, '--x1', dir.resolve('x.npy').toString(), '--out', dir.resolve("${tag}.npz").toString()]
        }

        then:
        core.code == 0 && full.code == 0
        core.core && !full.core
        core.err.replace('core.npz', 'K') == full.err.replace('full.npz', 'K')
        Files.readAllBytes(dir.resolve('core.npz')) == Files.readAllBytes(dir.resolve('full.npz'))
        def mc = manifest(dir.resolve('core.manifest.json')), mf = manifest(dir.resolve('full.manifest.json'))
        mc == mf
        mc.plugins == marker.pluginVersions()
        !mc.plugins.isEmpty()
    }

    def "kernel: bad models give the same one line and exit code on both (#model)"() {
        given:
        new DefaultArrayIO().writeNpy(dir.resolve('x.npy'), Tensor.randn(6, 4, 3))

        when:
        def (core, full) = both([]) { String tag ->
            ['kernel', '--model', model, '--x1', dir.resolve('x.npy').toString(), '--out', dir.resolve("${tag}.npz").toString()]
        }

        then:
        core.code == full.code
        core.code == 2
        core.err == full.err
        core.err.readLines().findAll { !it.isBlank() }.size() == 1
        !Files.exists(dir.resolve('core.npz'))
        // a text that calls core words only is decided on the core-only workbench
        core.core == coreOnly

        where:
        model                            | coreOnly
        "dense('a')"                     | true
        'serial(dense(4, bogus: 1))'     | true
        'serial(dense(2), 3)'            | true
        'relu(1)'                        | true
        '1 + 2'                          | true
        'dense(2L)'                      | true
        'serial(dense(1)'                | false
        'serial(dense(1), nosuchword())' | false
        'save("a")'                      | false
        'def w = 2; dense(w) + 1'        | false
    }

    def "spectrum and eigen: the same output bytes on both"() {
        given:
        def io = new DefaultArrayIO()
        def a = Tensor.randn(7, 30, 30)
        def sym = a.add(a.transpose())
        io.writeNpy(dir.resolve('k.npy'), sym)

        when:
        def (sc, sf) = both([]) { String tag ->
            ['spectrum', '--model', 'serial(dense(8), relu(), dense(1))', '--dim', '3', '--degrees', '6', '--out', dir.resolve("${tag}.csv").toString()]
        }
        def (ec, ef) = both([]) { String tag -> ['eigen', '--in', dir.resolve('k.npy').toString(), '--out', dir.resolve("${tag}-e.npz").toString()] }

        then:
        sc.code == 0 && sf.code == 0 && ec.code == 0 && ef.code == 0
        sc.core && !sf.core && ec.core && !ef.core
        Files.readString(dir.resolve('core.csv')) == Files.readString(dir.resolve('full.csv'))
        Files.readAllBytes(dir.resolve('core-e.npz')) == Files.readAllBytes(dir.resolve('full-e.npz'))
    }
}
