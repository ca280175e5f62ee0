package org.ntkworkbench.cli

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.io.DefaultArrayIO
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Seeded random command lines (in this JVM, through {@link Main#execute}): commands with random mixes of good,
 * bad and hostile options, files (truncated, lying, NaN, missing, directories) and model strings. Each case must
 * end with exit 0, 1 or 2, at most one line on stderr, and no file under the output's final name unless exit 0.
 */
class CliFuzzSpec extends Specification {

    @TempDir
    @Shared
    Path dir

    @Shared
    def io = new DefaultArrayIO()

    def setupSpec() {
        def r = new Random(5)
        io.writeNpy(dir.resolve('x.npy'), Tensor.of((0..<12).collect { r.nextGaussian() } as double[], 4, 3))
        io.writeNpy(dir.resolve('y.npy'), Tensor.of((0..<4).collect { r.nextGaussian() } as double[], 4, 1))
        io.writeNpy(dir.resolve('k.npy'), Tensor.of([2d, 1d, 0d, 1d, 2d, 1d, 0d, 1d, 2d] as double[], 3, 3))
        io.writeNpy(dir.resolve('nan.npy'), Tensor.of([1d, Double.NaN, 3d, 4d] as double[], 2, 2))
        io.writeNpz(dir.resolve('xs.npz'), [x: Tensor.of((0..<12).collect { r.nextGaussian() } as double[], 4, 3)])
        byte[] good = Files.readAllBytes(dir.resolve('x.npy'))
        Files.write(dir.resolve('trunc.npy'), Arrays.copyOf(good, good.length - 9))
        Files.write(dir.resolve('lying.npy'), new String(good, 'ISO-8859-1').replace('(4, 3)', '(400, 3)').getBytes('ISO-8859-1'))
        Files.write(dir.resolve('garbage.npy'), 'not an array'.bytes)
        Files.createDirectories(dir.resolve('adir.npy'))
    }

    static final List<String> MODELS = ['serial(dense(8), relu(), dense(1))', 'dense(1)', 'serial(dense(4), erf(), dense(2))',
            'serial(dense(4, wStd: Double.NaN), dense(1))', 'serial(dense(0))', "'x'.execute()", 'System.exit(3)', 'serial(',
            'elementwise { x -> x * x }', 'serial(dense(4), elementwise { x -> Math.exp(x * 1e5) }, dense(1))', '1 + 2', '',
            'conv(2, filter: [3])', 'nope(1)', 'serial(dense(2), dense(1))', 'serial(dense(8), relu(), dense(1))\n"${1}"']

    static final List<String> FILES = ['x.npy', 'y.npy', 'k.npy', 'nan.npy', 'xs.npz:x', 'xs.npz:nope', 'xs.npz', 'trunc.npy', 'lying.npy',
            'garbage.npy', 'adir.npy', 'missing.npy', '']

    static final List<String> NUMBERS = ['0', '1', '3', '-1', '1e9', 'NaN', 'abc', '2147483648', '0.5', '20']

    List<String> commandLine(Random r, Path out) {
        def f = { FILES[r.nextInt(FILES.size())] }
        def file = { String s -> s.isEmpty() ? s : dir.resolve(s.contains(':') ? s.substring(0, s.indexOf(':')) : s).toString() + (s.contains(':') ? s.substring(s.indexOf(':')) : '') }
        def num = { NUMBERS[r.nextInt(NUMBERS.size())] }
        def model = { MODELS[r.nextInt(MODELS.size())] }
        List<String> a
        switch (r.nextInt(5)) {
            case 0:
                a = ['kernel', '--model', model(), '--x1', file(f()), '--out', out.toString()]
                if (r.nextInt(3) == 0) a += ['--x2', file(f())]
                if (r.nextInt(4) == 0) a += ['--empirical', '--seed', num()]
                if (r.nextInt(5) == 0) a += ['--get', ['ntk', 'nngp', 'foo', 'ntk,nngp'][r.nextInt(4)]]
                break
            case 1:
                a = ['spectrum', '--model', model(), '--dim', num(), '--degrees', num(), '--out', out.toString()]
                break
            case 2:
                a = ['train', '--model', model(), '--x', file(f()), '--y', file(f()), '--steps', ['0', '1', '5', '-3', 'x'][r.nextInt(5)],
                     '--lr', num(), '--out', out.toString()]
                if (r.nextInt(3) == 0) a += ['--optimizer', ['gd', 'adam', 'sgd', 'momentum', 'bogus'][r.nextInt(5)]]
                if (r.nextInt(4) == 0) a += ['--batch', num()]
                break
            case 3:
                a = ['eigen', '--in', file(f()), '--out', out.toString()]
                if (r.nextInt(2) == 0) a += ['--top', num()]
                if (r.nextInt(3) == 0) a += ['--vectors']
                break
            default:
                a = [['kernel', 'spectrum', 'train', 'eigen', 'bogus', '--bogus'][r.nextInt(6)]]
                (r.nextInt(4)).times { a += [['--model', '--x1', '--out', '--dim', '--in', '-P', '--resume', 'x', '--steps'][r.nextInt(9)], num()] }
        }
        if (r.nextInt(8) == 0 && a.size() > 2) {
            a.remove(1 + r.nextInt(a.size() - 1)) // a missing value or option
        }
        a
    }

    def "random command lines end in exit 0/1/2 with at most one stderr line and no output under the final name unless exit 0 (seeded)"() {
        given:
        def r = new Random(1515)
        def codes = [:].withDefault { 0 }
        PrintStream oldErr = System.err, oldOut = System.out
        System.setProperty('ntk.progress', 'false')

        when:
        60.times { i ->
            Path out = dir.resolve("case$i").resolve(r.nextBoolean() ? 'out.npz' : 'out')
            List<String> args = commandLine(r, out)
            def err = new ByteArrayOutputStream()
            int code
            try {
                System.setErr(new PrintStream(err, true, 'UTF-8'))
                System.setOut(new PrintStream(OutputStream.nullOutputStream()))
                code = Main.execute(args as String[])
            } finally {
                System.setErr(oldErr)
                System.setOut(oldOut)
            }
            List<String> errLines = err.toString('UTF-8').readLines().findAll { !it.isBlank() }
            assert code in [0, 1, 2]: "$args -> $code"
            assert errLines.size() <= 1: "$args -> ${errLines.join(' | ')}"
            assert errLines.every { !(it ==~ /^[A-Z][A-Za-z.]+(Exception|Error)\b.*/) }: "$args -> $errLines"
            if (code != 0) {
                boolean wrote = Files.isRegularFile(out) || Files.exists(out.resolve('params.npz'))
                assert !wrote: "$args -> $code but wrote $out"
            }
            codes[code]++
        }

        then:
        codes[2] > 10
        codes[0] + codes[1] + codes[2] == 60
    }
}
