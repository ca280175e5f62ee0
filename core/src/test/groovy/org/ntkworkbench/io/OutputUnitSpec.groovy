package org.ntkworkbench.io

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.util.concurrent.TimeUnit
import org.ntkworkbench.report.Provenance
import org.ntkworkbench.report.RunDirectory
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir

/**
 * An output file and its manifest are one unit (AtomicFiles.beginUnit, opened by the CLI session of every command
 * whose --out is a file): concurrent writers leave a pair from one writer, a manifest that described a replaced
 * file goes, and replacing an existing output is said on stderr.
 */
class OutputUnitSpec extends Specification {

    @TempDir
    Path dir

    static String sha(Path f) {
        MessageDigest.getInstance('SHA-256').digest(Files.readAllBytes(f)).encodeHex().toString()
    }

    static Process writer(Path dir, int rounds, int tag, int other, String mode = 'unit') {
        String java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        new ProcessBuilder([java, '-Xshare:auto', '-XX:TieredStopAtLevel=1', '-cp', System.getProperty('java.class.path'),
                            PairWriter.name, dir.toString(), "$rounds", "$tag", "$other", mode]*.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("writer-${tag}.log").toFile()).start()
    }

    def "two processes writing the same --out at the same moment, 60 times: every manifest's SHA-256 is its NPZ's, and both name the same writer"() {
        given:
        int rounds = 60

        when: 'two JVMs write K<i>.npz + K<i>.manifest.json for each i, meeting at a barrier before each round'
        def a = writer(dir, rounds, 1, 2)
        def b = writer(dir, rounds, 2, 1)
        boolean done = a.waitFor(90, TimeUnit.SECONDS) && b.waitFor(90, TimeUnit.SECONDS)

        then:
        done
        a.exitValue() == 0
        b.exitValue() == 0

        and: 'each pair comes from one writer: the recorded hash is the file on disk, the NPZ holds the tag the manifest names'
        (0..<rounds).each { i ->
            Path npz = dir.resolve("K${i}.npz")
            def m = new JsonSlurper().parse(dir.resolve("K${i}.manifest.json").toFile())
            assert m.provenance.outputs.size() == 1
            assert m.provenance.outputs[0].path == "K${i}.npz".toString()
            assert m.provenance.outputs[0].sha256 == sha(npz)
            double writerInNpz = Npz.read(npz).get('writer').item()
            assert m.parameters.writer == (int) writerInNpz
        }

        and: 'no temporary file and no lock file is left'
        Files.list(dir).noneMatch { it.fileName.toString().endsWith('.tmp') || it.fileName.toString().endsWith('.lock') }

        cleanup:
        [a, b].each { if (it?.alive) it.destroyForcibly() }
    }

    def "replacing an existing output says so on stderr; a manifest that described the replaced file is removed"() {
        given: 'K.npz with its manifest, as ntk kernel leaves them'
        Path out = dir.resolve('K.npz')
        def err = new ByteArrayOutputStream()
        def oldErr = System.err
        System.setErr(new PrintStream(err, true))
        write(out, 1.0, true)
        String first = err.toString()

        when: 'a second kernel run writes the same --out'
        write(out, 2.0, true)
        String second = err.toString() - first

        then: 'the first write says nothing; the second names the replaced file; the pair is the second'
        first.isEmpty()
        second.trim() == 'ntk kernel: replaced the existing K.npz'
        new JsonSlurper().parse(dir.resolve('K.manifest.json').toFile()).provenance.outputs[0].sha256 == sha(out)

        when: 'a command without a manifest (ntk eigen --out K.npz) replaces it'
        String before = err.toString()
        write(out, 3.0, false, 'eigen')
        String third = err.toString() - before

        then: 'the stale manifest, which described the replaced file, is gone, and the notice says so'
        !Files.exists(dir.resolve('K.manifest.json'))
        third.trim() == 'ntk eigen: replaced the existing K.npz; removed K.manifest.json, which described the replaced file'
        Npz.read(out).get('writer').item() == 3.0d

        cleanup:
        System.setErr(oldErr)
    }

    private void write(Path out, double tag, boolean manifest, String command = 'kernel') {
        def session = Provenance.Session.open([command, '--out', out.toString()])
        try {
            Npz.write(out, [writer: Tensor.scalar(tag)], false)
            if (manifest) {
                new RunDirectory('kernel', dir, 'ntk kernel', '', [writer: tag], []).forFile(out).writeManifest('ok', null)
            }
        } finally {
            session.close()
        }
    }
}
