package org.ntkworkbench.plugins.spark

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.dsl.ModelExpressions
import org.ntkworkbench.io.Npz
import org.ntkworkbench.io.NpyReader
import org.ntkworkbench.model.KernelService
import org.ntkworkbench.model.empirical.EmpiricalNngp
import org.ntkworkbench.model.predict.Cholesky
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.tensor.Lapack
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The spark engine on the embedded master local[2] against the local engine: tiled kernels (analytic
 * and empirical, symmetric and not, in memory and streamed to files), conjugate-gradient kernel
 * regression against a Cholesky solve, and block-Krylov top eigenpairs against a dense eigensolver.
 * Small sizes with a small tile so every job has many tiles (ragged edges included).
 */
class SparkLocalSpec extends Specification {
    static final String MODEL = 'serial(dense(64, bStd: 0.1), relu(), dense(32), erf(), dense(1))'

    @Shared Workbench wb
    @Shared SparkEngine engine
    @TempDir Path dir

    def setupSpec() {
        wb = Workbench.start(List.of())
        engine = new SparkEngine('local[2]', [(SparkEngine.TILE): '17'])
    }

    def cleanupSpec() {
        engine?.close()
    }

    static double maxRel(Tensor a, Tensor b) {
        assert a.shape() == b.shape()
        double scale = b.maxAbs(), worst = 0
        for (int i = 0; i < a.size(); i++) {
            worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]) / scale)
        }
        worst
    }

    def "a tiled analytic kernel equals the local engine's, symmetric to the last bit"() {
        given:
        def x1 = Tensor.randn(1, 50, 5)
        def x2 = Tensor.randn(2, 23, 5)
        def net = ModelExpressions.parse(wb, MODEL)
        def local = wb.service(KernelService).analytic(net, x1, null)
        def cross = wb.service(KernelService).analytic(net, x1, x2)

        when:
        def k = engine.kernel(MODEL, x1, null, ['nngp', 'ntk'], null)
        def kx = engine.kernel(MODEL, x1, x2, ['ntk'], null)

        then: '≤ 1e-12 relative to the largest entry, every entry'
        maxRel(k.nngp, local.nngp()) <= 1e-12
        maxRel(k.ntk, local.ntk()) <= 1e-12
        maxRel(kx.ntk, cross.ntk()) <= 1e-12
        kx.keySet() == ['ntk', 'cov1', 'cov2'] as Set
        and: 'exactly symmetric'
        (0..<50).every { i -> (0..<50).every { j -> k.ntk.get(i, j) == k.ntk.get(j, i) } }
        and: 'tiles were really used: ceil(50/17) = 3 row blocks, upper triangle 6 tiles'
        engine.lastTileSeconds().length == 3 * 4 / 2
    }

    def "tiles sent whole to the driver (as executors on other machines do) give the same bits as tiles placed by the tasks"() {
        given:
        def x1 = Tensor.randn(21, 41, 5)
        def x2 = Tensor.randn(22, 20, 5)
        def placed = engine.kernel(MODEL, x1, x2, ['nngp', 'ntk'], null)
        engine.kernelToFile(MODEL, x1, null, ['ntk'], null, dir.resolve('placed.npz'))
        assert engine.lastResultBytes() == 0

        when:
        engine.direct = false
        def sent = engine.kernel(MODEL, x1, x2, ['nngp', 'ntk'], null)
        engine.kernelToFile(MODEL, x1, null, ['ntk'], null, dir.resolve('sent.npz'))

        then: 'the symmetric 41 x 41 NTK in ceil(41/17) = 3 row blocks: 6 tiles of up to 17 x 17 doubles, plus variances'
        engine.lastResultBytes() == 8L * (17 * 17 * 3 + 17 * 7 * 2 + 7 * 7) + 8L * 41
        sent.keySet() == placed.keySet()
        sent.keySet().every { sent[it].data() == placed[it].data() }
        Npz.read(dir.resolve('sent.npz')).ntk.data() == Npz.read(dir.resolve('placed.npz')).ntk.data()

        cleanup:
        engine.direct = true
    }

    def "the in-memory result carries each example's output variance (cov1, cov2) as the local kernel does"() {
        given:
        def x1 = Tensor.randn(23, 30, 5)
        def x2 = Tensor.randn(24, 40, 5)
        def local = ModelExpressions.parse(wb, MODEL).kernel(x1, x2)

        when:
        def k = engine.kernel(MODEL, x1, x2, ['nngp'], null)

        then:
        k.keySet() == ['nngp', 'cov1', 'cov2'] as Set
        maxRel(k.cov1, local.cov1()) <= 1e-12
        maxRel(k.cov2, local.cov2()) <= 1e-12
    }

    def "a tiled empirical kernel equals the finite network's"() {
        given:
        def x = Tensor.randn(3, 30, 4)
        def net = ModelExpressions.parse(wb, 'serial(dense(16), relu(), dense(2))')
        def params = net.init(5, 4)

        when:
        def k = engine.kernel('serial(dense(16), relu(), dense(2))', x, null, ['nngp', 'ntk'], params)

        then:
        maxRel(k.ntk, org.ntkworkbench.model.ModelExtensions.empiricalNtk(net, params, x, null)) <= 1e-12
        maxRel(k.nngp, EmpiricalNngp.of(net, params, x, null)) <= 1e-12
    }

    def "an empirical kernel written to files: the same tiles and bits as the local engine's file path (io.NpyTileFile)"() {
        given:
        def x = Tensor.randn(6, 40, 4)
        def text = 'serial(dense(16), relu(), dense(2))'
        def net = ModelExpressions.parse(wb, text)
        def params = net.init(5, 4)
        def io = new org.ntkworkbench.io.DefaultArrayIO()

        when: 'Spark (tile 17) and the local engine with the same tile edge'
        engine.kernelToFile(text, x, null, ['nngp', 'ntk'], params, dir.resolve('spark'))
        def local = new org.ntkworkbench.model.RowBlockKernelService(2).empiricalToFiles(net, params, x, null, ['nngp', 'ntk'],
                dir.resolve('local'), 17, 1000)

        then:
        ['nngp', 'ntk'].every { g ->
            def a = io.readNpy(dir.resolve('spark').resolve(g + '.npy')), b = io.readNpy(local[g])
            maxRel(a, b) <= 1e-12
        }
        maxRel(io.readNpy(local.ntk), org.ntkworkbench.model.ModelExtensions.empiricalNtk(net, params, x, null)) <= 1e-12
    }

    def "streamed to an NPZ (as np.savez) and to a directory of .npy, equal to the in-memory result"() {
        given:
        def x = Tensor.randn(4, 40, 3)
        def mem = engine.kernel(MODEL, x, null, ['nngp', 'ntk'], null)

        when:
        engine.kernelToFile(MODEL, x, null, ['nngp', 'ntk'], null, dir.resolve('k.npz'))
        engine.kernelToFile(MODEL, x, null, ['ntk'], null, dir.resolve('kdir'))
        def z = Npz.read(dir.resolve('k.npz'))

        then:
        z.keySet() as List == ['nngp', 'ntk']
        z.ntk.data() == mem.ntk.data()
        z.nngp.data() == mem.nngp.data()
        NpyReader.read(dir.resolve('kdir/ntk.npy')).data() == mem.ntk.data()
        and: 'no temporary files left'
        Files.list(dir).toList()*.fileName*.toString().sort() == ['k.npz', 'kdir']
    }

    def "a model the executors cannot build fails on the driver in one line, nothing written"() {
        when:
        engine.kernelToFile('serial(dense(4), noSuchWord())', Tensor.randn(1, 5, 2), null, ['ntk'], null, dir.resolve('bad.npz'))

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('noSuchWord')
        !e.message.contains('\n')
        Files.list(dir).toList().isEmpty()
    }

    def "conjugate gradients over cached tiles give the Cholesky kernel regression (1e-8)"() {
        given:
        def xTrain = Tensor.randn(6, 30, 3)
        def xTest = Tensor.randn(7, 12, 3)
        def y = Tensor.randn(8, 30, 2)
        def net = ModelExpressions.parse(wb, MODEL)
        double r = 0.5

        when:
        def pred = engine.fit(MODEL, xTrain, y, xTest, ['nngp', 'ntk'], null, r, 1e-10)

        then:
        ['nngp', 'ntk'].every { which ->
            def kTrain = which == 'ntk' ? net.kernel(xTrain).ntk() : net.kernel(xTrain).nngp()
            def kTest = which == 'ntk' ? net.kernel(xTest, xTrain).ntk() : net.kernel(xTest, xTrain).nngp()
            double mean = (0..<30).sum { kTrain.get(it, it) } / 30
            def a = kTrain.copy()
            (0..<30).each { a.set(a.get(it, it) + r * mean, it, it) }
            def alpha = Tensor.of(Cholesky.of(which, a).solve(y.data().clone(), 2), 30, 2)
            def expected = Tensor.of(new double[24], 12, 2)
            for (i in 0..<12) for (c in 0..<2) { double s = 0; for (j in 0..<30) s += kTest.get(i, j) * alpha.get(j, c); expected.set(s, i, c) }
            maxRel(pred[which], expected) <= 1e-8
        }
    }

    def "one operator application through the shuffle (partial products added in place) equals K V"() {
        given: '60 examples in tiles of 17 (4 row blocks, 10 tiles), 3 vectors'
        def x = Tensor.randn(10, 60, 4)
        def k = ModelExpressions.parse(wb, MODEL).kernel(x).ntk()
        def v = Tensor.randn(11, 3, 60)
        double[] out = new double[180], direct = new double[180]

        when:
        def ck = engine.cache(MODEL, x, ['ntk'], null)
        try {
            ck.apply('ntk', v.data(), 3, direct) // small: summed on the driver
            engine.directReduceBytes = 0
            ck.apply('ntk', v.data(), 3, out)    // through the shuffle
        } finally {
            engine.directReduceBytes = SparkEngine.DIRECT_REDUCE_BYTES
            ck.close()
        }
        def expected = v.matmul(k)   // (3, 60): K is symmetric

        then:
        engine.lastShuffleBytes() == (2 * 10 - 4) * 8L * 3 * 17
        maxRel(Tensor.of(out, 3, 60), expected) <= 1e-12
        maxRel(Tensor.of(direct, 3, 60), expected) <= 1e-12
    }

    def "block Krylov top eigenpairs over cached tiles equal the dense eigensolver's (1e-9)"() {
        given:
        def x = Tensor.randn(9, 60, 4)
        def net = ModelExpressions.parse(wb, MODEL)
        def dense = Lapack.syevd(net.kernel(x).ntk().data().clone(), 60, false)

        when:
        def e = engine.topEigen(MODEL, x, 'ntk', null, 4, true, 1e-12)

        then:
        def all = dense.values().toList().sort { -it }
        (0..<4).every { Math.abs(e.values()[it] - all[it]) <= 1e-9 * all[0] }
    }

    def "ntk bench finds the plugin's spark_kernel entry (BenchmarkProvider), with the issue's sizes as overridable defaults"() {
        when:
        def b = org.ntkworkbench.bench.Benchmarks.select(Path.of('.'), ['spark_kernel'])[0]

        then:
        b.defaultParams() == [n: 6000, d: 16, tile: 2048, master: 'local[2]', threads: 2]
        b.description().contains('overhead_wall = spark / local')
    }

    def "independent tasks come back in index order"() {
        expect:
        engine.map(5, new Squares()) == [0, 1, 4, 9, 16]
    }
}

/** A serializable task that captures nothing (a closure would drag the spec along). */
class Squares implements org.ntkworkbench.spi.ComputeEngine.SerializableIntFunction<Integer> {
    Integer apply(int i) { i * i }
}
