package org.ntkworkbench.model

import static org.ntkworkbench.nn.Layers.*

import java.nio.file.Files
import org.ntkworkbench.io.DefaultArrayIO
import org.ntkworkbench.tensor.Tensor
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir

/** The {@link KernelService} service: blocked parallel analytic kernels and the memory-mapped block path. */
class KernelServiceSpec extends Specification {
    @TempDir java.nio.file.Path dir

    static double maxAbs(double[] a) { a.collect { Math.abs(it) }.max() as double }

    def "row blocks across threads agree with the single call to 1e-12 of max; symmetric to the last bit"() {
        given:
        def net = serial(dense(64, 1.3, 0.2), relu(), dense(64, 1.3, 0.2), relu(), dense(1))
        def x = Tensor.randn(3, 150, 10)
        def ref = net.kernel(x)
        def k = new RowBlockKernelService(3).analytic(net, x, null)
        def y = Tensor.randn(4, 40, 10)
        def cross = new RowBlockKernelService(2).analytic(net, x, y)
        def crossRef = net.kernel(x, y)

        expect:
        ['nngp', 'ntk'].every { a ->
            double[] r = ref."$a"().data(), v = k."$a"().data()
            double m = ref."$a"().maxAbs()
            (0..<150).every { i -> (0..<150).every { j ->
                Math.abs(r[i * 150 + j] - v[i * 150 + j]) <= 1e-12 * m && v[i * 150 + j] == v[j * 150 + i] } }
        }
        cross.nngp().sub(crossRef.nngp()).maxAbs() <= 1e-12 * crossRef.nngp().maxAbs()
        cross.ntk().sub(crossRef.ntk()).maxAbs() <= 1e-12 * crossRef.ntk().maxAbs()
    }

    def "a forced small budget writes nngp.npy and ntk.npy block by block, equal to the in-memory kernel"() {
        given:
        def net = serial(dense(32, 1.2, 0.1), erf(), dense(1))
        def x = Tensor.randn(5, 300, 6)
        def service = new RowBlockKernelService(2)
        def ref = net.kernel(x, x)

        when: 'budget 100 kB < estimate 300·300·8·5 = 3.6 MB'
        def res = service.analyticOrFiles(net, x, x, dir, 100_000)
        def io = new DefaultArrayIO()
        def nngp = io.readNpy(res.nngpFile())
        def ntk = io.readNpy(res.ntkFile())

        then: 'on disk, shapes (300, 300), entries equal to 1e-12 of max'
        res.onDisk()
        service.estimateBytes(net, 300, 300, 6) == 300L * 300 * 8 * KernelService.LIVE_ARRAYS
        nngp.shape() == [300, 300] as int[]
        nngp.sub(ref.nngp()).maxAbs() <= 1e-12 * ref.nngp().maxAbs()
        ntk.sub(ref.ntk()).maxAbs() <= 1e-12 * ref.ntk().maxAbs()

        and: 'tiles of sqrt(100 kB / (2 threads · 40 B)) = 35 rows, each written with its mirror: symmetric to the last bit'
        (0..<300).every { i -> (0..<300).every { j -> nngp.get(i, j) == nngp.get(j, i) && ntk.get(i, j) == ntk.get(j, i) } }

        and: 'nothing but the two files in the folder (no temporary left)'
        Files.list(dir).withCloseable { it.toList()*.fileName*.toString().sort() } == ['nngp.npy', 'ntk.npy']

        when: 'a large budget keeps it in memory'
        def mem = service.analyticOrFiles(net, x, x, dir.resolve('m'), Long.MAX_VALUE)
        then:
        !mem.onDisk() && !Files.exists(dir.resolve('m'))
    }

    def "x2 other than x1 goes to the files in row blocks of the full width, equal to the in-memory cross kernel"() {
        given:
        def net = serial(dense(32, 1.2, 0.1), erf(), dense(1))
        def x = Tensor.randn(5, 120, 6)
        def y = Tensor.randn(6, 70, 6)
        def ref = net.kernel(x, y)

        when:
        def res = new RowBlockKernelService(2).analyticOrFiles(net, x, y, dir.resolve('c'), 20_000)
        def io = new DefaultArrayIO()

        then:
        res.onDisk()
        io.readNpy(res.nngpFile()).sub(ref.nngp()).maxAbs() <= 1e-12 * ref.nngp().maxAbs()
        io.readNpy(res.ntkFile()).sub(ref.ntk()).maxAbs() <= 1e-12 * ref.ntk().maxAbs()
    }

    def "empirical kernels to files: tiles on and above the diagonal with mirrors, equal to the in-memory kernels and symmetric to the last bit"() {
        given:
        def net = serial(dense(16, 1.3, 0.1), relu(), dense(2))
        def x = Tensor.randn(8, 45, 5)
        def y = Tensor.randn(9, 23, 5)
        def params = net.init(3, 5)
        def service = new RowBlockKernelService(2)
        def io = new DefaultArrayIO()

        when: 'x2 = x1 in tiles of 16 (three row blocks, the last one short)'
        def files = service.empiricalToFiles(net, params, x, null, ['ntk', 'nngp'], dir.resolve('e'), 16, 1000)
        def nngp = io.readNpy(files.nngp), ntk = io.readNpy(files.ntk)
        def refNngp = org.ntkworkbench.model.empirical.EmpiricalNngp.of(net, params, x, null)
        def refNtk = ModelExtensions.empiricalNtk(net, params, x, null)

        then:
        files.keySet() as List == ['nngp', 'ntk']
        nngp.sub(refNngp).maxAbs() <= 1e-12 * refNngp.maxAbs()
        ntk.sub(refNtk).maxAbs() <= 1e-12 * refNtk.maxAbs()
        (0..<45).every { i -> (0..<45).every { j -> nngp.get(i, j) == nngp.get(j, i) && ntk.get(i, j) == ntk.get(j, i) } }
        Files.list(dir.resolve('e')).withCloseable { it.toList()*.fileName*.toString().sort() } == ['nngp.npy', 'ntk.npy']

        when: 'x2 other than x1: row blocks of the full width (7 rows in the budget)'
        def cross = service.empiricalToFiles(net, params, x, y, ['ntk'], dir.resolve('c'), 16, 7)
        def refCross = ModelExtensions.empiricalNtk(net, params, x, y)

        then:
        cross.keySet() as List == ['ntk']
        io.readNpy(cross.ntk).sub(refCross).maxAbs() <= 1e-12 * refCross.maxAbs()
    }

    def "a tile that fails leaves neither file nor a temporary behind"() {
        given: 'a model whose kernel is spatial (no readout): every tile is refused'
        def net = serial(conv(4, 3), relu())
        def x = Tensor.randn(5, 40, 8, 1)
        def out = dir.resolve('f')

        when:
        new RowBlockKernelService(2).analyticOrFiles(net, x, null, out, 10_000)

        then:
        thrown(IllegalArgumentException)
        Files.list(out).withCloseable { it.toList() }.isEmpty()
    }

    /**
     * Opt-in ({@code -Dntk.bigKernels=true}): it writes two 3.2 GB files (nngp.npy, ntk.npy) to the
     * temporary directory, which a CI machine with little free disk cannot take; it ran in 22 s with a
     * 4 GiB heap on the 2-core development machine (sampled rows equal to direct computations bit for
     * bit). The block path itself is covered above with a forced small budget.
     */
    @Requires({ Boolean.getBoolean('ntk.bigKernels') })
    def "n = 20 000 dense inputs (depth-2 ReLU MLP, d = 16) with the default heap: written to memory-mapped files"() {
        given:
        int n = 20_000
        def net = serial(dense(512, 1.4, 0.1), relu(), dense(1))
        def x = Tensor.randn(7, n, 16)

        when:
        long t0 = System.nanoTime()
        def res = new RowBlockKernelService().analyticOrFiles(net, x, null, dir)
        println "n = 20000 kernel: ${(System.nanoTime() - t0) / 1e9} s, on disk: ${res.onDisk()}, heap ${Runtime.runtime.maxMemory() >> 20} MiB"
        def io = new DefaultArrayIO()
        def rows = [0, 1234, 19_999] as int[]
        def ref = net.kernel(x.rows(rows), x)

        // Off the diagonal, a direct cross kernel of the sampled rows; on it, each example's own 1x1 kernel
        // (a cross kernel evaluates <x, x> as a correlation 1 - eps, which arccos amplifies to ~1e-9).
        double mx = ref.ntk().maxAbs()
        double offDiagonal = 0, diagonal = 0
        io.mapNpy(res.ntkFile()).withCloseable { m ->
            rows.eachWithIndex { int r, int ri ->
                double[] row = m.readRows(r, 1)
                for (int j = 0; j < n; j++) {
                    if (j != r) offDiagonal = Math.max(offDiagonal, Math.abs(row[j] - ref.ntk().get(ri, j)))
                }
                diagonal = Math.max(diagonal, Math.abs(row[r] - net.kernel(x.rows(r)).ntk().get(0, 0)))
            }
        }
        println "n = 20000: max |file - direct| off the diagonal ${offDiagonal / mx}, on it ${diagonal / mx} (relative to max)"

        then: 'the estimate 20000²·8·5 = 16 GB exceeds the heap, so files; sampled rows equal direct computations to 1e-12 of max'
        res.onDisk()
        offDiagonal <= 1e-12 * mx
        diagonal <= 1e-12 * mx
    }
}
