package org.ntkworkbench.report

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.io.AtomicFiles
import org.ntkworkbench.tensor.Finite
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir

/** Run directories are never silently reused or left "running"; temporaries of killed writes are cleaned. */
class RunSafetySpec extends Specification {

    @TempDir
    Path dir

    RunDirectory run(Map params, String text = 'result("a", 1)') {
        new RunDirectory('s', dir, 's.groovy', text, params, [])
    }

    def "resume is refused for other parameters or another script, allowed for the same"() {
        given:
        def first = run([n: 16])
        first.writeManifest('ok', null)
        Path d = first.dir()

        expect:
        run([n: 16]).resumeMismatch(d) == null
        run([n: 32]).resumeMismatch(d).contains('other parameters (n: 16 -> 32)')
        run([:]).resumeMismatch(d).contains('n: 16 -> (not given)')
        run([n: 16], 'result("a", 2)').resumeMismatch(d).contains('different version of the script')
        run([n: 16]).resumeMismatch(dir.resolve('nope')).contains('missing or unreadable')
    }

    def "a running manifest whose process is gone reads as interrupted and is rewritten so"() {
        given:
        def r = run([:])
        r.writeManifest('running', null)
        Path m = r.dir().resolve('manifest.json')

        expect: 'alive: our own pid'
        RunDirectory.status(m, false) == 'running'

        when: 'the pid is one no process has'
        Files.writeString(m, Files.readString(m).replaceFirst(/"pid" : \d+/, '"pid" : 2147483646'))

        then:
        RunDirectory.status(m, true) == 'interrupted'
        Files.readString(m).contains('"status" : "interrupted"')

        cleanup:
        r.writeManifest('ok', null)
    }

    def "a final status removes the lock; a second writer of a locked directory is refused in one line"() {
        given:
        def a = run([:])
        a.lock()
        def b = new RunDirectory('s', dir, 's.groovy', '', [:], []).reuse(a.dir())

        when:
        b.lock()

        then:
        IllegalStateException e = thrown()
        e.message.contains('is already being written')

        when:
        a.writeManifest('ok', null)
        b.lock()

        then:
        noExceptionThrown()

        cleanup:
        b.unlock()
    }

    def "manifests list no hidden files (locks, temporaries)"() {
        given:
        def r = run([:])
        r.lock()
        Files.createDirectories(r.dir().resolve('arrays'))
        Files.writeString(r.dir().resolve('arrays/.k.npy.1-abcdefabcdef.tmp'), 'x')
        Files.writeString(r.dir().resolve('arrays/k.npy'), 'x')

        when:
        r.writeManifest('ok', null)

        then:
        Files.readString(r.dir().resolve('manifest.json')).contains('"files" : [ "arrays/k.npy" ]')
    }

    def "temporaries of dead writers are cleaned at the next write into the folder; live ones stay"() {
        given:
        Path sub = Files.createDirectories(dir.resolve('out'))
        Path dead = sub.resolve('.k.npz.2147483646-abcdefabcdef.tmp')
        Path mine = sub.resolve(".k.npz.${ProcessHandle.current().pid()}-abcdefabcdef.tmp")
        Path old = sub.resolve('.k.npz.abcdefabcdef.tmp')
        Path fresh = sub.resolve('.j.npz.abcdefabcdef.tmp')
        Path deadPlot = sub.resolve('.spectrum.2147483646-abcdefabcdef.tmp.png')
        Path minePlot = sub.resolve(".spectrum.${ProcessHandle.current().pid()}-abcdefabcdef.tmp.svg")
        Path notOurs = sub.resolve('.notes.2147483646-abcdefabcdef.tmp.txt')
        [dead, mine, old, fresh, deadPlot, minePlot, notOurs].each { Files.writeString(it, 'partial') }
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000L))

        when:
        AtomicFiles.writeString(sub.resolve('k.txt'), 'done')

        then:
        !Files.exists(dead)
        !Files.exists(old)
        Files.exists(mine)
        Files.exists(fresh)
        and: 'a plot encoder appends .png/.svg to the temporary name: those are cleaned too, other names are not'
        !Files.exists(deadPlot)
        Files.exists(minePlot)
        Files.exists(notOurs)
        Files.readString(sub.resolve('k.txt')) == 'done'
    }

    def "non-finite values are named with array and index; inputs are bad input, results failed computations"() {
        given:
        def t = Tensor.of([1d, 2d, 3d, 4d, Double.NaN, 6d] as double[], 2, 3)

        when:
        Finite.requireInput('--x1 x.npy', t)

        then:
        IllegalArgumentException e = thrown()
        e.message == '--x1 x.npy: non-finite value NaN at [1, 1] (inputs must be finite numbers)'

        when:
        Finite.requireResult('ntk kernel: ntk', Tensor.of([1d, Double.POSITIVE_INFINITY] as double[], 2))

        then:
        Finite.NonFiniteException f = thrown()
        f.message.startsWith('ntk kernel: ntk: non-finite value Infinity at [1]')
        org.ntkworkbench.spi.ExitCodes.of(f) == 1
        org.ntkworkbench.spi.ExitCodes.of(e) == 2
    }
}
