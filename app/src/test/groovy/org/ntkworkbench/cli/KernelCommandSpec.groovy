package org.ntkworkbench.cli

import static org.ntkworkbench.nn.Layers.*

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.io.DefaultArrayIO
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir

/** {@code ntk kernel} in a child JVM against {@code net.kernel} / {@code net.empiricalNtk} computed here. */
class KernelCommandSpec extends Specification {
    @TempDir Path dir
    def io = new DefaultArrayIO()
    static final String EXPR = 'serial(dense(64, bStd: 0.1), relu(), dense(1))'
    static final Layer NET = serial(dense(64, 1.0, 0.1), relu(), dense(1))

    static List<String> lines(String s) {
        s.readLines().findAll { !it.isBlank() }
    }

    static double maxDiff(Tensor a, Tensor b) {
        assert a.shape() == b.shape()
        double m = 0
        for (int e = 0; e < a.size(); e++) m = Math.max(m, Math.abs(a.data()[e] - b.data()[e]))
        m
    }

    def "analytic kernels: the NPZ matches net.kernel to 1e-12; x2 omitted gives an exactly symmetric kernel"() {
        given:
        def x1 = Tensor.randn(1, 7, 5)
        def x2 = Tensor.randn(2, 4, 5)
        io.writeNpy(dir.resolve('a.npy'), x1)
        io.writeNpy(dir.resolve('b.npy'), x2)

        when:
        def cross = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', dir.resolve('a.npy').toString(),
                '--x2', dir.resolve('b.npy').toString(), '--out', dir.resolve('K.npz').toString())
        def self = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', dir.resolve('a.npy').toString(),
                '--get', 'ntk', '--out', dir.resolve('S.npz').toString())

        then:
        cross.exit == 0
        self.exit == 0
        def k = io.readNpz(dir.resolve('K.npz'))
        def ref = NET.kernel(x1, x2)
        k.keySet() == ['nngp', 'ntk'] as Set
        maxDiff(k['nngp'], ref.nngp()) <= 1e-12
        maxDiff(k['ntk'], ref.ntk()) <= 1e-12
        def s = io.readNpz(dir.resolve('S.npz'))
        s.keySet() == ['ntk'] as Set
        maxDiff(s['ntk'], NET.kernel(x1).ntk()) <= 1e-12
        (0..<7).every { i -> (0..<7).every { j -> s['ntk'].get(i, j) == s['ntk'].get(j, i) } }
    }

    def "the NPZ streamed row block by row block (session 6): byte for byte Npz.write of the in-memory kernel; x2, --get, a replaced output"() {
        given:
        def x1 = Tensor.randn(3, 150, 5)
        def x2 = Tensor.randn(4, 70, 5)
        io.writeNpy(dir.resolve('a.npy'), x1)
        io.writeNpy(dir.resolve('b.npy'), x2)
        def ks = new org.ntkworkbench.model.RowBlockKernelService()
        def a = dir.resolve('a.npy').toString(), b = dir.resolve('b.npy').toString()

        when:
        def self = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', a, '--out', dir.resolve('S.npz').toString())
        def cross = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', a, '--x2', b, '--get', 'ntk', '--out', dir.resolve('C.npz').toString())
        def again = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', a, '--x2', b, '--get', 'ntk', '--out', dir.resolve('C.npz').toString())
        def k = ks.analytic(NET, x1, null)
        org.ntkworkbench.io.Npz.write(dir.resolve('refS.npz'), [nngp: k.nngp(), ntk: k.ntk()])
        org.ntkworkbench.io.Npz.write(dir.resolve('refC.npz'), [ntk: ks.analytic(NET, x1, x2).ntk()])

        then:
        self.exit == 0
        cross.exit == 0
        again.exit == 0
        again.err.contains('ntk kernel: replaced the existing C.npz')
        Arrays.equals(Files.readAllBytes(dir.resolve('S.npz')), Files.readAllBytes(dir.resolve('refS.npz')))
        Arrays.equals(Files.readAllBytes(dir.resolve('C.npz')), Files.readAllBytes(dir.resolve('refC.npz')))
        Files.readString(dir.resolve('C.manifest.json')).contains(org.ntkworkbench.report.Provenance.sha256(dir.resolve('C.npz')))
        dir.toFile().list().sort() == ['C.manifest.json', 'C.npz', 'S.manifest.json', 'S.npz', 'a.npy', 'b.npy', 'refC.npz', 'refS.npz']
    }

    def "a kernel that overflows, streamed: the in-memory path's one line (NNGP checked before NTK), exit 1, nothing written"() {
        given: 'x = 0, 1, 1: with wStd 1e154 then ~1.1 the NNGP reaches 1.2e308 and the NTK (twice it) overflows; 1e200 overflows both'
        io.writeNpy(dir.resolve('x.npy'), Tensor.of([0d, 1d, 1d] as double[], 3, 1))
        def x = dir.resolve('x.npy').toString()
        def ntkOnly = 'serial(dense(1, wStd: 1e154), dense(1, wStd: 1.1))'
        def both = 'serial(dense(4, wStd: 1e200), relu(), dense(1, wStd: 1e200))'

        when:
        def streamedNtk = NtkProcess.run('', 'kernel', '--model', ntkOnly, '--x1', x, '--out', dir.resolve('K.npz').toString())
        def inMemoryNtk = NtkProcess.run('', 'kernel', '--model', ntkOnly, '--x1', x, '--compress', '--out', dir.resolve('K.npz').toString())
        def streamedBoth = NtkProcess.run('', 'kernel', '--model', both, '--x1', x, '--out', dir.resolve('K.npz').toString())
        def inMemoryBoth = NtkProcess.run('', 'kernel', '--model', both, '--x1', x, '--compress', '--out', dir.resolve('K.npz').toString())

        then:
        [streamedNtk, inMemoryNtk, streamedBoth, inMemoryBoth]*.exit == [1, 1, 1, 1]
        lines(streamedNtk.err).size() == 1
        streamedNtk.err.trim() == ('ntk kernel: ntk: non-finite value Infinity at [1, 1] (the computation overflowed or a parameter is not finite)')
        streamedNtk.err == inMemoryNtk.err
        streamedBoth.err.trim() == ('ntk kernel: nngp: non-finite value NaN at [0, 0] (the computation overflowed or a parameter is not finite)')
        streamedBoth.err == inMemoryBoth.err
        dir.toFile().list().sort() == ['x.npy']
    }

    def "--mask-constant: NaN-padded variable-length sequences give net.kernel(maskConstant:) (analytic and empirical); other engines refused"() {
        given:
        def net = 'serial(conv(32, filter: [3], padding: \'SAME\'), relu(), globalAvgPool(), dense(1))'
        Layer local = serial(conv(32, [3] as int[], null, org.ntkworkbench.kernel.Padding.SAME, 1.0, 0.0), relu(), globalAvgPool(), dense(1))
        def x = Tensor.randn(4, 3, 5, 2)
        [[1, 3], [2, 4]].each { ex, from -> (from..<5).each { p -> (0..<2).each { c -> x.set(Double.NaN, ex, p, c) } } }
        io.writeNpy(dir.resolve('x.npy'), x)

        when:
        def a = NtkProcess.run('', 'kernel', '--model', net, '--x1', dir.resolve('x.npy').toString(), '--mask-constant', 'nan',
                '--out', dir.resolve('K.npz').toString())
        def e = NtkProcess.run('', 'kernel', '--model', net, '--x1', dir.resolve('x.npy').toString(), '--mask-constant', 'NaN',
                '--empirical', '--seed', '3', '--get', 'ntk', '--out', dir.resolve('E.npz').toString())
        def spark = NtkProcess.run('', 'kernel', '--model', net, '--x1', dir.resolve('x.npy').toString(), '--mask-constant', '0',
                '--engine', 'spark', '--out', dir.resolve('S.npz').toString())

        then:
        a.exit == 0
        maxDiff(io.readNpz(dir.resolve('K.npz'))['ntk'], local.kernel([maskConstant: Double.NaN], x).ntk()) <= 1e-12
        e.exit == 0
        maxDiff(io.readNpz(dir.resolve('E.npz'))['ntk'], local.empiricalNtk([maskConstant: Double.NaN], local.init(3, 5, 2), x)) <= 1e-10
        spark.exit == 2
        spark.err.contains('--mask-constant') || spark.err.contains('spark')
        !dir.resolve('S.npz').toFile().exists()
    }

    def "empirical: --seed and --params give the finite network's NTK; a missing key exits 2 naming it"() {
        given:
        def x = Tensor.randn(3, 5, 4)
        io.writeNpy(dir.resolve('x.npy'), x)
        def params = NET.init(7, 4)
        io.writeNpz(dir.resolve('P.npz'), params)
        io.writeNpz(dir.resolve('bad.npz'), params.findAll { it.key != '2/W' })

        when:
        def bySeed = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', dir.resolve('x.npy').toString(),
                '--empirical', '--seed', '7', '--out', dir.resolve('E.npz').toString())
        def byParams = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', dir.resolve('x.npy').toString(),
                '--empirical', '--params', dir.resolve('P.npz').toString(), '--get', 'ntk', '--out', dir.resolve('F.npz').toString())
        def bad = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', dir.resolve('x.npy').toString(),
                '--empirical', '--params', dir.resolve('bad.npz').toString(), '--out', dir.resolve('G.npz').toString())
        def noFile = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', dir.resolve('nope.npy').toString(),
                '--out', dir.resolve('H.npz').toString())

        then: 'ntk equals net.empiricalNtk(params, x) to 1e-10 relative'
        bySeed.exit == 0
        byParams.exit == 0
        def ref = NET.empiricalNtk(params, x)
        double scale = ref.data().collect { Math.abs(it) }.max()
        maxDiff(io.readNpz(dir.resolve('E.npz'))['ntk'], ref) <= 1e-10 * scale
        maxDiff(io.readNpz(dir.resolve('F.npz'))['ntk'], ref) <= 1e-10 * scale

        and: 'bad inputs: exit 2, one line naming the key or file'
        bad.exit == 2
        bad.err.trim().readLines().size() == 1
        bad.err.contains("missing key '2/W'") && bad.err.contains('bad.npz')
        noFile.exit == 2
        noFile.err.trim().readLines().size() == 1
        noFile.err.contains('nope.npy')
    }

    def "--empirical with --memory too small for the whole kernel: tiles and mirrors by the shared tile writer give the finite network's kernels"() {
        given: '150 examples: the empirical estimate exceeds --memory 0.0005, a few rows of the full width fit'
        def x = Tensor.randn(6, 150, 6)
        io.writeNpy(dir.resolve('x.npy'), x)

        when:
        def r = NtkProcess.run('', 'kernel', '--memory', '0.0005', '--model', EXPR, '--x1', dir.resolve('x.npy').toString(),
                '--empirical', '--seed', '7', '--out', dir.resolve('E.npz').toString())

        then:
        r.exit == 0
        r.err.contains('blockwise')
        def k = io.readNpz(dir.resolve('E.npz'))
        def params = NET.init(7, 6)
        def ntk = NET.empiricalNtk(params, x), nngp = NET.empiricalNngp(params, x)
        maxDiff(k['ntk'], ntk) <= 1e-12 * ntk.data().collect { Math.abs(it) }.max()
        maxDiff(k['nngp'], nngp) <= 1e-12 * nngp.data().collect { Math.abs(it) }.max()
        (0..<150).every { i -> (0..<150).every { j -> k['ntk'].get(i, j) == k['ntk'].get(j, i) } }
        dir.toFile().list().sort() == ['E.manifest.json', 'E.npz', 'x.npy']
    }

    def "--memory too small for the whole kernel: row blocks through memory-mapped files give the same NPZ (stored, as np.savez)"() {
        given: '150 x 150: the estimate 150²·8·5 = 0.9 MB exceeds --memory 0.0005 (0.5 MB); one row block fits'
        def x = Tensor.randn(5, 150, 6)
        io.writeNpy(dir.resolve('x.npy'), x)

        when:
        def r = NtkProcess.run('', 'kernel', '--memory', '0.0005', '--model', EXPR, '--x1', dir.resolve('x.npy').toString(),
                '--out', dir.resolve('K.npz').toString())

        then:
        r.exit == 0
        r.err.contains('blockwise')
        def k = io.readNpz(dir.resolve('K.npz'))
        def ref = NET.kernel(x)
        maxDiff(k['ntk'], ref.ntk()) <= 1e-12 * ref.ntk().data().collect { Math.abs(it) }.max()
        maxDiff(k['nngp'], ref.nngp()) <= 1e-12 * ref.nngp().data().collect { Math.abs(it) }.max()
        new java.util.zip.ZipFile(dir.resolve('K.npz').toFile()).withCloseable { z ->
            z.stream().toList().every { it.method == java.util.zip.ZipEntry.STORED } }
        and: 'no block files are left behind (K.manifest.json is the run\'s provenance, for ntk rerun)'
        dir.toFile().list().sort() == ['K.manifest.json', 'K.npz', 'x.npy']
    }

    def "SIGTERM during a blockwise kernel: the hidden block folder is removed by the shutdown hook, nothing under K.npz"() {
        given: '3000 x 3000 through 12 ReLU layers, blockwise under --memory 0.01: seconds of work in the block folder'
        def x = Tensor.randn(9, 3000, 8)
        io.writeNpy(dir.resolve('x.npy'), x)
        def outDir = java.nio.file.Files.createDirectories(dir.resolve('out'))
        String deep = 'serial(' + (['dense(64, bStd: 0.1), relu()'] * 12).join(', ') + ', dense(1))'

        when:
        def c = new NtkChild(dir.toFile(), 'kernel', '--memory', '0.01', '--get', 'ntk', '--model', deep,
                '--x1', dir.resolve('x.npy').toString(), '--out', outDir.resolve('K.npz').toString())
        boolean seen = NtkChild.await(90) { outDir.toFile().list().any { it.startsWith('.K.npz.blocks-') } }
        c.process.destroy()                                  // SIGTERM
        c.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)

        then:
        seen
        c.process.exitValue() != 0
        outDir.toFile().list().findAll { !it.endsWith('.tmp') } == []
    }

    def "a block folder left by a killed (SIGKILL) kernel is removed by the next write into the folder; a live writer's is kept"() {
        given:
        def dead = new ProcessBuilder('true').start()
        dead.waitFor()
        def stale = java.nio.file.Files.createDirectories(dir.resolve(".K.npz.blocks-${dead.pid()}-0123456789ab"))
        java.nio.file.Files.write(stale.resolve('ntk.npy'), new byte[100])
        def live = java.nio.file.Files.createDirectories(dir.resolve(".L.npz.blocks-${ProcessHandle.current().pid()}-0123456789ab"))
        io.writeNpy(dir.resolve('x.npy'), Tensor.randn(1, 5, 3))

        when:
        def r = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', dir.resolve('x.npy').toString(), '--out', dir.resolve('K.npz').toString())

        then:
        r.exit == 0
        !java.nio.file.Files.exists(stale)
        java.nio.file.Files.isDirectory(live)
    }

    def "too big even blockwise, a lying NPZ, a bad --memory: one line naming the knobs, exit 2, no output"() {
        given: 'a 200-byte NPZ whose deflated entry header claims 40000 x 40000'
        def x = Tensor.randn(5, 50, 6)
        io.writeNpy(dir.resolve('x.npy'), x)
        Path liar = dir.resolve('liar.npz')
        liar.toFile().withOutputStream { os ->
            def zip = new java.util.zip.ZipOutputStream(os)
            zip.putNextEntry(new java.util.zip.ZipEntry('x.npy'))
            String h = "{'descr': '<f8', 'fortran_order': False, 'shape': (40000, 40000), }"
            h += ' ' * (64 - (10 + h.length() + 1) % 64) + '\n'
            def img = new ByteArrayOutputStream()
            img.write([0x93, 'N' as char, 'U' as char, 'M' as char, 'P' as char, 'Y' as char, 1, 0] as byte[])
            img.write([h.length() & 0xff, h.length() >> 8] as byte[])
            img.write(h.getBytes('ISO-8859-1'))
            img.write(new byte[64])
            zip.write(img.toByteArray())
            zip.finish()
        }

        when:
        def tiny = NtkProcess.run('', 'kernel', '--memory', '0.000001', '--model', EXPR, '--x1', dir.resolve('x.npy').toString(),
                '--out', dir.resolve('K.npz').toString())
        def lying = NtkProcess.run('', 'kernel', '--model', EXPR, '--x1', liar.toString() + ':x', '--out', dir.resolve('L.npz').toString())
        def huge = NtkProcess.run('', 'kernel', '--memory', '100000', '--model', EXPR, '--x1', dir.resolve('x.npy').toString(),
                '--out', dir.resolve('H.npz').toString())

        then:
        [tiny, lying, huge].every { it.exit == 2 && it.err.trim().readLines().size() == 1 && !it.err.contains('\tat ') }
        tiny.err.contains('--memory') && tiny.err.contains('NTK_JAVA_OPTS') && tiny.err.contains('--engine spark')
        lying.err.contains('(40000, 40000)') && lying.err.contains('truncated')
        huge.err.contains('NTK_JAVA_OPTS=-Xmx')
        !dir.resolve('K.npz').toFile().exists() && !dir.resolve('L.npz').toFile().exists() && !dir.resolve('H.npz').toFile().exists()
    }

    def "the streamed finite check finds the first NaN or infinity (#what at #at of #count), and nothing in finite values"() {
        given: 'finite extremes everywhere (the largest and smallest magnitudes, subnormals, -0), a bad value at `at`, another after it'
        double[] a = new double[count + 3]
        double[] finite = [Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_NORMAL, -0.0d, 0.0d, 1.0d, Math.nextDown(Double.MIN_NORMAL)]
        for (int e = 0; e < a.length; e++) a[e] = finite[e % finite.length]
        if (at >= 0) {
            a[at] = bad
            if (at + 1 < count) a[at + 1] = Double.NaN
        }
        a[count] = Double.NaN // beyond count: not looked at

        expect:
        KernelCommand.firstNonFinite(a, count) == at

        where:
        what        | bad                      | at  | count
        'none'      | 0.0d                     | -1  | 1000
        'none'      | 0.0d                     | -1  | 0
        'NaN'       | Double.NaN               | 0   | 1000
        '+Infinity' | Double.POSITIVE_INFINITY | 517 | 1000
        '-Infinity' | Double.NEGATIVE_INFINITY | 999 | 1000
        'a NaN payload' | Double.longBitsToDouble(0xFFF0000000000001L) | 3 | 7
    }
}
