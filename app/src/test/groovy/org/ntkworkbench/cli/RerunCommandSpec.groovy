package org.ntkworkbench.cli

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import org.ntkworkbench.io.DefaultArrayIO
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Issue 17's provenance bar: the manifest records the command line, the script text and every input with its SHA-256,
 * and {@code ntk rerun MANIFEST} re-runs it into a new run directory, refuses changed inputs (exit 2, one line) and
 * reports any result or output file that is not equal bit for bit (exit 1). The quickstart runs in child JVMs (the
 * recorded run and the re-run in different processes); the other cases run the CLI in this JVM.
 */
class RerunCommandSpec extends Specification {

    @TempDir
    @Shared
    Path dir

    @Shared
    def io = new DefaultArrayIO()

    static final String NET = 'serial(dense(8, bStd: 0.1), relu(), dense(1))'

    def setupSpec() {
        System.setProperty('ntk.progress', 'false')
        def r = new Random(17)
        def randn = { int n, int d -> Tensor.of((0..<n * d).collect { r.nextGaussian() } as double[], n, d) }
        io.writeNpy(dir.resolve('x.npy'), randn(6, 3))
        io.writeNpy(dir.resolve('xtr.npy'), randn(12, 3))
        io.writeNpy(dir.resolve('ytr.npy'), randn(12, 1))
        io.writeNpy(dir.resolve('xte.npy'), randn(5, 3))
        io.writeNpy(dir.resolve('yte.npy'), randn(5, 1))
        Files.writeString(dir.resolve('k.groovy'), """\
            def x = load(param('xfile', 'x.npy'))
            def k = serial(dense(8, bStd: 0.1), relu(), dense(1)).kernel(x)
            save('ntk', k.ntk())
            result('ntk00', k.ntk().get(0, 0))
            result('trace', (0..<x.dim(0)).sum { k.ntk().get(it, it) })
            """.stripIndent())
    }

    /** {@code ntk ARGS} in this JVM: exit code, stdout, stderr. */
    static Map ntk(String... args) {
        def out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream()
        PrintStream o = System.out, e = System.err
        int code
        try {
            System.setOut(new PrintStream(out, true, 'UTF-8'))
            System.setErr(new PrintStream(err, true, 'UTF-8'))
            code = Main.execute(args)
        } finally {
            System.setOut(o)
            System.setErr(e)
        }
        [exit: code, out: out.toString('UTF-8'), err: err.toString('UTF-8')]
    }

    static List<String> lines(String s) { s.readLines().findAll { !it.isBlank() } }

    static String sha256(Path f) { MessageDigest.getInstance('SHA-256').digest(Files.readAllBytes(f)).encodeHex().toString() }

    static Map json(Path f) { new JsonSlurper().parse(f.toFile()) as Map }

    static List<Path> runDirs(Path parent) { Files.list(parent).withCloseable { s -> s.filter { Files.isDirectory(it) }.sorted().toList() } }

    String p(String name) { dir.resolve(name).toString() }

    def "the quickstart (-Pn=32 -Pwidth=64) re-run in another JVM reproduces its 11 results and 7 plot files bit for bit"() {
        given:
        Path out = dir.resolve('quick')
        Path script = Path.of('..', 'scripts', 'quickstart.groovy')

        when: 'the run, then its rerun, each in its own child JVM'
        def first = NtkProcess.run('', 'run', script.toString(), '--out', out.toString(), '-Pn=32', '-Pwidth=64')
        Path run = runDirs(out).first()
        Path manifest = run.resolve('manifest.json')
        String recorded = Files.readString(manifest)
        def again = NtkProcess.run('', 'rerun', manifest.toString())
        List<Path> dirs = runDirs(out)

        then: 'the manifest records the command line, the script with its text and hash, the environment and output hashes'
        first.exit == 0
        Map m = json(manifest)
        m.provenance.command.argv == ['run', script.toString(), '--out', out.toString(), '-Pn=32', '-Pwidth=64']
        m.provenance.command.cwd == Path.of('').toAbsolutePath().normalize().toString()
        m.provenance.script.sha256 == m.scriptSha256
        m.provenance.script.sha256 == sha256(script)
        m.provenance.script.text == Files.readString(script)
        m.provenance.environment.processors == Runtime.runtime.availableProcessors()
        m.provenance.environment.plugins*.name.containsAll(['pinet'])
        m.provenance.outputs*.path == ['plots/consistency.png', 'plots/consistency.svg', 'plots/model_spectrum_s2.png',
                                       'plots/model_spectrum_s2.svg', 'plots/ntk_spectrum.png', 'plots/ntk_spectrum.svg', 'plots/ntk_spectrum.txt']
        m.provenance.outputs.every { o -> o.sha256 == sha256(run.resolve(o.path as String)) }
        (m.parameters as Map) == [n: 32, width: 64]

        and: 'the rerun made a second run directory, left the first untouched, and found every result and file equal'
        again.exit == 0
        dirs.size() == 2
        Files.readString(manifest) == recorded
        Path newManifest = dirs.find { it != run }.resolve('manifest.json')
        Map n = json(newManifest)
        n.provenance.rerunOf == manifest.toAbsolutePath().normalize().toString()
        // equal bits: the same double is written as the same shortest JSON text
        JsonOutput.toJson(n.results) == JsonOutput.toJson(m.results)
        (n.results as Map).size() == 11
        n.provenance.outputs == m.provenance.outputs
        again.out.contains('reproduced bit for bit: 11 results and 7 output files (sha256) equal to ' + manifest.toAbsolutePath().normalize())
    }

    def "a script's data inputs are recorded with their hashes; a changed input is refused in one line (exit 2) and nothing is run"() {
        given:
        Path x = dir.resolve('x2.npy')
        Files.copy(dir.resolve('x.npy'), x)
        Path out = dir.resolve('changed')

        when:
        def first = ntk('run', p('k.groovy'), '--out', out.toString(), "-Pxfile=$x")
        Path manifest = runDirs(out).first().resolve('manifest.json')
        Map m = json(manifest)
        def same = ntk('rerun', manifest.toString())
        io.writeNpy(x, Tensor.of([1d, 2d, 3d] as double[], 1, 3))
        def changed = ntk('rerun', manifest.toString())
        Files.delete(x)
        def missing = ntk('rerun', manifest.toString())

        then: 'the input file, its role and its hash are in the manifest; the unchanged rerun reproduces'
        first.exit == 0
        m.provenance.inputs.size() == 1
        m.provenance.inputs[0].path == x.toAbsolutePath().normalize().toString()
        m.provenance.inputs[0].role == 'read'
        m.provenance.inputs[0].sha256 == sha256(dir.resolve('x.npy'))
        m.provenance.outputs*.path == ['arrays/ntk.npy']
        same.exit == 0
        same.out.contains('reproduced bit for bit: 2 results and 1 output file (sha256)')

        and: 'a changed or missing input: exit 2, one line naming the file, no new run directory'
        changed.exit == 2
        lines(changed.err).size() == 1
        lines(changed.err)[0].startsWith("ntk rerun: input $x changed (sha256 ${sha256(dir.resolve('x.npy')).take(12)}... recorded, now ")
        missing.exit == 2
        lines(missing.err) == ["ntk rerun: input $x is missing; refusing to re-run ${manifest.toAbsolutePath().normalize()}".toString()]
        runDirs(out).size() == 2
    }

    def "a changed script is refused; a tampered result or output array is reported as a difference (exit 1)"() {
        given:
        Path script = dir.resolve('t.groovy')
        Files.copy(dir.resolve('k.groovy'), script)
        Path out = dir.resolve('tamper')
        def first = ntk('run', script.toString(), '--out', out.toString(), "-Pxfile=${p('x.npy')}")
        Path run = runDirs(out).first()
        Path manifest = run.resolve('manifest.json')
        Map m = json(manifest)
        double trace = m.results.trace as double

        when: 'the recorded trace is changed in the last bit'
        Files.writeString(manifest, Files.readString(manifest).replace('"trace" : ' + m.results.trace,
                '"trace" : ' + Math.nextUp(trace)))
        def result = ntk('rerun', manifest.toString())

        then:
        first.exit == 0
        result.exit == 1
        result.out.contains("NOT reproduced: 1 difference from ${manifest.toAbsolutePath().normalize()}:")
        result.out.contains("result trace: ${Math.nextUp(trace)} recorded, now $trace")
        lines(result.err).last() == 'ntk rerun: results differ from the recorded run (1 difference, listed on stdout)'

        when: 'the recorded result restored, one entry of the recorded output array changed'
        Files.writeString(manifest, Files.readString(manifest).replace('"trace" : ' + Math.nextUp(trace), '"trace" : ' + m.results.trace))
        Tensor k = io.readNpy(run.resolve('arrays/ntk.npy'))
        k.set(k.get(1, 2) + 1e-9, 1, 2)
        io.writeNpy(run.resolve('arrays/ntk.npy'), k)
        def array = ntk('rerun', manifest.toString())

        then:
        array.exit == 1
        array.out.contains('arrays/ntk.npy: the recorded run\'s file was modified after the run (its sha256 no longer matches the manifest); '
                + '1 of 36 entries differ, max |diff| 1.00e-09')

        when: 'the script edited'
        Files.writeString(script, Files.readString(script) + '\n// edited\n')
        def edited = ntk('rerun', manifest.toString())

        then:
        edited.exit == 2
        lines(edited.err).size() == 1
        lines(edited.err)[0].startsWith("ntk rerun: script $script changed (sha256 ${m.scriptSha256.take(12)}... recorded")
        lines(edited.err)[0].contains('the recorded text is the manifest\'s provenance.script.text')
    }

    def "ntk kernel writes K.manifest.json beside K.npz; its rerun recomputes K.npz bit for bit; a changed --x1 is refused"() {
        given:
        Path x1 = dir.resolve('kx1.npy')
        Files.copy(dir.resolve('x.npy'), x1)
        Path k = dir.resolve('kern').resolve('K.npz')

        when:
        def first = ntk('kernel', '--model', NET, '--x1', x1.toString(), '--empirical', '--seed', '3', '--out', k.toString())
        Path manifest = k.resolveSibling('K.manifest.json')
        Map m = json(manifest)
        def again = ntk('rerun', manifest.toString())
        Path rerunDir = runDirs(k.parent).first()

        then:
        first.exit == 0
        m.status == 'ok'
        m.files == ['K.npz']
        m.seeds == [params: 3]
        m.provenance.command.argv == ['kernel', '--model', NET, '--x1', x1.toString(), '--empirical', '--seed', '3', '--out', k.toString()]
        m.provenance.inputs.collect { [it.role, it.path] } == [['--x1', x1.toAbsolutePath().normalize().toString()]]
        m.provenance.outputs == [[path: 'K.npz', sha256: sha256(k), bytes: Files.size(k) as int]]
        again.exit == 0
        rerunDir.fileName.toString().startsWith('K-rerun-')
        sha256(rerunDir.resolve('K.npz')) == sha256(k)
        json(rerunDir.resolve('K.manifest.json')).provenance.rerunOf == manifest.toAbsolutePath().normalize().toString()

        when:
        io.writeNpy(x1, Tensor.of((0..<18).collect { it as double } as double[], 6, 3))
        def changed = ntk('rerun', manifest.toString())

        then:
        changed.exit == 2
        lines(changed.err).size() == 1
        lines(changed.err)[0].startsWith("ntk rerun: --x1 $x1 changed (sha256 ")
    }

    def "ntk fit: the rerun's predictions.npz and accuracy/rmse results equal the recorded ones; --out chooses where"() {
        given:
        Path fit = dir.resolve('fit1')
        Path elsewhere = dir.resolve('elsewhere')

        when:
        def first = ntk('fit', '--model', NET, '--x-train', p('xtr.npy'), '--y-train', p('ytr.npy'), '--x-test', p('xte.npy'),
                '--y-test', p('yte.npy'), '--t', 'inf,10', '--out', fit.toString())
        Map m = json(fit.resolve('manifest.json'))
        def again = ntk('rerun', fit.toString(), '--out', elsewhere.toString())
        Path newRun = runDirs(elsewhere).first()

        then:
        first.exit == 0
        m.provenance.inputs*.role == ['--x-train', '--x-test', '--y-train', '--y-test']
        m.provenance.outputs*.path.contains('predictions.npz')
        !m.provenance.outputs*.path.contains('tables/timings.csv')
        again.exit == 0
        newRun.fileName.toString().startsWith('fit1-rerun-')
        sha256(newRun.resolve('predictions.npz')) == sha256(fit.resolve('predictions.npz'))
        JsonOutput.toJson(json(newRun.resolve('manifest.json')).results) == JsonOutput.toJson(m.results)
        again.out.contains('reproduced bit for bit: ' + (m.results as Map).size() + ' results')
    }

    def "ntk train: the rerun's params.npz and loss.csv equal the recorded ones bit for bit"() {
        when:
        def first = ntk('train', '--model', NET, '--x', p('xtr.npy'), '--y', p('ytr.npy'), '--lr', '0.1', '--steps', '20', '--seed', '5',
                '--out', p('train1'))
        Map m = json(dir.resolve('train1/manifest.json'))
        def again = ntk('rerun', p('train1/manifest.json'))
        Path newRun = runDirs(dir).find { it.fileName.toString().startsWith('train1-rerun-') }

        then:
        first.exit == 0
        m.provenance.outputs*.path == ['loss.csv', 'params.npz']
        m.provenance.inputs.collect { [it.role, it.path] } as Set == [['--x', p('xtr.npy')], ['--y', p('ytr.npy')]] as Set
        again.exit == 0
        sha256(newRun.resolve('params.npz')) == sha256(dir.resolve('train1/params.npz'))
        sha256(newRun.resolve('loss.csv')) == sha256(dir.resolve('train1/loss.csv'))
        again.out.contains('reproduced bit for bit: 3 results and 2 output files (sha256)')
    }

    def "a missing, unfinished or command-less manifest is refused in one line (exit 2)"() {
        given:
        Path failed = dir.resolve('failed.json')
        Files.writeString(failed, '{"status": "failed", "results": {}}')
        Path bare = dir.resolve('bare.json')
        Files.writeString(bare, '{"status": "ok", "script": "ntk fit", "results": {}}')

        expect:
        [ntk('rerun', p('nope.json')), ntk('rerun', failed.toString()), ntk('rerun', bare.toString())].every { it.exit == 2 && lines(it.err).size() == 1 }
        lines(ntk('rerun', p('nope.json')).err) == ["ntk rerun: ${p('nope.json')}: no such manifest".toString()]
        lines(ntk('rerun', failed.toString()).err)[0].contains('status is failed; only a run that finished (status ok) has results to reproduce')
        lines(ntk('rerun', bare.toString()).err)[0].contains('no command line recorded')
    }
}
