package org.ntkworkbench.cli

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.io.DefaultArrayIO
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Issue 15's cases, as a careless or hostile user would try them, through real child processes: model strings
 * are data; run directories are not silently reused; a final status is always written; non-finite values and
 * bad plugins give one line and DESIGN.md's exit codes.
 */
class ReliabilitySpec extends Specification {

    @TempDir
    @Shared
    Path dir

    @Shared
    def io = new DefaultArrayIO()

    static final String NET = 'serial(dense(8), relu(), dense(1))'

    def setupSpec() {
        def r = new Random(3)
        io.writeNpy(dir.resolve('x.npy'), Tensor.of((0..<15).collect { r.nextGaussian() } as double[], 5, 3))
        io.writeNpy(dir.resolve('y.npy'), Tensor.of((0..<5).collect { r.nextGaussian() } as double[], 5, 1))
        def bad = (0..<15).collect { r.nextGaussian() } as double[]
        bad[7] = Double.NaN
        io.writeNpy(dir.resolve('xnan.npy'), Tensor.of(bad, 5, 3))
        io.writeNpy(dir.resolve('knan.npy'), Tensor.of([1d, 0d, 0d, Double.NaN] as double[], 2, 2))
        io.writeNpz(dir.resolve('xs.npz'), [x: Tensor.of((0..<15).collect { r.nextGaussian() } as double[], 5, 3)])
    }

    String p(String name) { dir.resolve(name).toString() }

    static List<String> lines(String s) { s.readLines().findAll { !it.isBlank() } }

    def "case 1: a model string cannot run code; System.exit in it is refused, not obeyed"() {
        when:
        def a = NtkProcess.run('', 'kernel', '--model', "'touch ${p('pwned')}'.execute().waitFor(); $NET", '--x1', p('x.npy'), '--out', p('k1.npz'))
        def b = NtkProcess.run('', 'kernel', '--model', 'System.exit(3)', '--x1', p('x.npy'), '--out', p('k1.npz'))

        then:
        a.exit == 2 && b.exit == 2
        lines(a.err).size() == 1 && lines(b.err).size() == 1
        a.err.contains('method calls on values')
        !Files.exists(dir.resolve('pwned'))
        !Files.exists(dir.resolve('k1.npz'))
    }

    def "cases 2 and 8: --resume with other -P values is refused and the finished run is untouched; -P typos are refused"() {
        given:
        Path script = dir.resolve('s.groovy')
        Files.writeString(script, "def n = param('n', 4)\nsave('k', sphere(n, dim: 3, seed: 0))\nresult('n', n)\n")
        Path out = dir.resolve('R2')

        when:
        def first = NtkProcess.run('', 'run', script.toString(), '--out', out.toString())
        Path run = Files.list(out).findFirst().get()
        byte[] k = Files.readAllBytes(run.resolve('arrays/k.npy'))
        def again = NtkProcess.run('', 'run', script.toString(), '--out', out.toString(), '-Pn=32', '--resume')
        def typo = NtkProcess.run('', 'run', script.toString(), '--out', out.toString(), '-Pnn=32')

        then:
        first.exit == 0
        again.exit == 2
        lines(again.err) == ["--resume: $run was computed with other parameters (n: (not given) -> 32); run without --resume for a new run directory".toString()]
        Files.readAllBytes(run.resolve('arrays/k.npy')) == k
        Files.readString(run.resolve('manifest.json')).contains('"n" : 4')
        typo.exit == 2
        lines(typo.err) == ["$script: unknown parameter -Pnn: the script never mentions it (its param(...) names: n)".toString()]
        Files.list(out).count() == 1
    }

    def "case 3: a train that diverges into an existing directory leaves no params.npz of the previous model"() {
        given:
        Path out = dir.resolve('T3')

        when:
        def ok = NtkProcess.run('', 'train', '--model', NET, '--x', p('x.npy'), '--y', p('y.npy'), '--steps', '3', '--out', out.toString())
        def bad = NtkProcess.run('', 'train', '--model', NET, '--x', p('x.npy'), '--y', p('y.npy'), '--steps', '20', '--lr', '1e9', '--out', out.toString())
        def adam = NtkProcess.run('', 'train', '--model', NET, '--x', p('x.npy'), '--y', p('y.npy'), '--steps', '200', '--optimizer', 'adam',
                '--lr', '1e4', '--out', dir.resolve('T3adam').toString())

        then:
        ok.exit == 0
        bad.exit == 1
        lines(bad.err).size() == 1
        !Files.exists(out.resolve('params.npz'))
        !Files.readString(out.resolve('manifest.json')).contains('params.npz')
        Files.readString(out.resolve('manifest.json')).contains('"status" : "failed"')
        adam.exit == 1
        adam.err.contains('training diverged')
    }

    def "case 5 and 10: non-finite inputs and parameters are named, exit 2; npz:NAME inputs work; huge --degrees refused"() {
        when:
        def nan = NtkProcess.run('', 'kernel', '--model', NET, '--x1', p('xnan.npy'), '--out', p('k5.npz'))
        def wstd = NtkProcess.run('', 'kernel', '--model', 'serial(dense(8, wStd: Double.NaN), relu(), dense(1))', '--x1', p('x.npy'), '--out', p('k5.npz'))
        def eig = NtkProcess.run('', 'eigen', '--in', p('knan.npy'), '--out', p('e5.npz'))
        def npz = NtkProcess.run('', 'kernel', '--model', NET, '--x1', p('xs.npz') + ':x', '--out', p('k5b.npz'))
        def deg = NtkProcess.run('', 'spectrum', '--model', NET, '--dim', '3', '--degrees', '1000000', '--out', p('s5.csv'))

        then:
        nan.exit == 2
        lines(nan.err) == ["ntk kernel: --x1 ${p('xnan.npy')}: non-finite value NaN at [2, 1] (inputs must be finite numbers)".toString()]
        wstd.exit == 2
        wstd.err.contains('wStd: NaN is not a finite number')
        eig.exit == 2
        eig.err.contains('non-finite value NaN at [1, 1]')
        !eig.err.contains('converge')
        npz.exit == 0
        deg.exit == 2
        deg.err.contains('--degrees must be between 0 and 10000')
        [nan, wstd, eig, deg].every { lines(it.err).size() == 1 && !(it.err ==~ /(?s)^[A-Z][A-Za-z]+(Exception|Error).*/) }
        !Files.exists(dir.resolve('k5.npz')) && !Files.exists(dir.resolve('e5.npz')) && !Files.exists(dir.resolve('s5.csv'))
    }

    def "case 6: SIGTERM and System.exit leave a final status; SIGKILL is reported as interrupted by the next --resume; a killed train leaves loss.csv"() {
        given:
        Path script = dir.resolve('slow.groovy')
        Files.writeString(script, "result('started', 1)\nThread.sleep(120000)\n")
        Path exits = dir.resolve('exits.groovy')
        Files.writeString(exits, "result('a', 1)\nSystem.exit(3)\n")
        Path out = dir.resolve('R6')
        Path out2 = dir.resolve('R6k')
        Path train = dir.resolve('T6')

        when: 'SIGTERM'
        def c = new NtkChild(dir.toFile(), 'run', script.toString(), '--out', out.toString())
        NtkChild.await(90) { Files.isDirectory(out) && Files.list(out).findFirst().map { Files.exists(it.resolve('manifest.json')) }.orElse(false) }
        Path run = Files.list(out).findFirst().get()
        def second = NtkProcess.run('', 'run', script.toString(), '--out', out.toString(), '--resume')
        c.process.destroy()
        c.process.waitFor()

        then: 'the concurrent writer was refused, the terminated one says interrupted'
        second.exit == 2
        second.err.contains('is being written by another ntk process')
        Files.readString(run.resolve('manifest.json')).contains('"status" : "interrupted"')

        when: 'System.exit(3) in a script'
        def ex = NtkProcess.run('', 'run', exits.toString(), '--out', out.toString())

        then:
        ex.exit == 1
        lines(ex.err) == ["$exits:2: the script called System.exit(3)".toString()]

        when: 'SIGKILL, then --resume'
        def k = new NtkChild(dir.toFile(), 'run', script.toString(), '--out', out2.toString())
        NtkChild.await(90) { Files.isDirectory(out2) && Files.list(out2).findFirst().map { Files.exists(it.resolve('manifest.json')) }.orElse(false) }
        k.process.destroyForcibly()
        k.process.waitFor()
        Path killed = Files.list(out2).findFirst().get()
        boolean stillRunning = Files.readString(killed.resolve('manifest.json')).contains('"status" : "running"')
        def resumed = new NtkChild(dir.toFile(), 'run', script.toString(), '--out', out2.toString(), '--resume')
        NtkChild.await(90) { resumed.err.exists() && resumed.err.text.contains('--resume: continuing') }
        resumed.process.destroy()
        resumed.process.waitFor()

        then:
        stillRunning
        resumed.err.text.contains('previous status interrupted')

        when: 'a train killed in the middle'
        def t = new NtkChild(dir.toFile(), 'train', '--model', NET, '--x', p('x.npy'), '--y', p('y.npy'), '--steps', '100000000', '--lr', '0.001',
                '--out', train.toString())
        NtkChild.await(90) { Files.exists(train.resolve('loss.csv')) && Files.readAllLines(train.resolve('loss.csv')).size() > 20 }
        t.process.destroyForcibly()
        t.process.waitFor()

        then:
        Files.readAllLines(train.resolve('loss.csv'))[0] == 'step,loss'
        Files.readAllLines(train.resolve('loss.csv')).size() > 20
        !Files.exists(train.resolve('params.npz'))
    }

    def "case 7: a corrupt plugin jar is one line in ntk plugins and one summary line elsewhere"() {
        given:
        Path plugins = Files.createDirectories(dir.resolve('plugins7'))
        Files.write(plugins.resolve('corrupt.jar'), 'PK not really'.bytes)

        when:
        def list = NtkProcess.run('', '--plugins', plugins.toString(), 'plugins')
        def other = NtkProcess.run('', '--plugins', plugins.toString(), 'kernel', '--model', NET, '--x1', p('x.npy'), '--out', p('k7.npz'))

        then:
        list.exit == 0
        list.out.readLines().findAll { it.startsWith('FAILED') }.size() == 1
        list.out.contains('corrupt.jar): not a readable jar')
        other.exit == 0
        lines(other.err).findAll { it.contains('plugin') } == ["ntk: 1 plugin failed to load (? from ${plugins.resolve('corrupt.jar')}); 'ntk plugins' says why".toString()]
    }

    def "case 9: hidden temporaries of a killed write are removed by the next write to the folder; case 10: a UTF-8 BOM script runs"() {
        given:
        Path out = Files.createDirectories(dir.resolve('out9'))
        Files.writeString(out.resolve('.k.npz.2147483646-0123456789ab.tmp'), 'half')
        Path bom = dir.resolve('bom.groovy')
        Files.write(bom, [0xEF, 0xBB, 0xBF] as byte[])
        Files.writeString(bom, "result('a', 1)\n", java.nio.file.StandardOpenOption.APPEND)

        when:
        def r = NtkProcess.run('', 'kernel', '--model', NET, '--x1', p('x.npy'), '--out', out.resolve('k.npz').toString())
        def b = NtkProcess.run('', 'run', bom.toString(), '--out', dir.resolve('R9').toString())

        then:
        r.exit == 0
        Files.list(out).map { it.fileName.toString() }.sorted().toList() == ['k.manifest.json', 'k.npz']
        b.exit == 0
    }
}
