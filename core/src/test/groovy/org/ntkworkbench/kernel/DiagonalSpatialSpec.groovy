package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.LayerException
import org.ntkworkbench.kernel.Padding
import org.ntkworkbench.nn.AvgPool
import org.ntkworkbench.nn.Parameterization
import org.ntkworkbench.nn.SpatialDiagonal
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * Kernels that keep only same-position pairs (neural-tangents' diagonal_spatial): the diagonal path
 * against the full path where both fit (≤ 1e-12 relative), against seed-averaged finite CNNs (Monte
 * Carlo), the automatic choice from the readout, the user's choice and its refusals, and get: 'nngp'.
 */
class DiagonalSpatialSpec extends Specification {
    static final Padding SAME = Padding.SAME, VALID = Padding.VALID, CIRC = Padding.CIRCULAR

    @Shared Tensor signals = Tensor.randn(3, 5, 7, 2)
    @Shared Tensor images = Tensor.randn(4, 4, 5, 6, 3)
    @Shared Tensor images2 = Tensor.randn(5, 3, 5, 6, 3)

    static double relDiff(Tensor a, Tensor b) {
        a.sub(b).norm() / b.norm()
    }

    static Map<String, Layer> models() {
        [
            '2-D SAME relu x2, flatten'         : serial(conv(4, [3, 3] as int[], null, SAME, 1.3, 0.2), relu(),
                                                         conv(4, [3, 3] as int[], null, SAME, 1.1, 0.1), relu(), flatten(), dense(1)),
            '2-D VALID stride 2, erf, flatten'  : serial(conv(4, [2, 3] as int[], [2, 1] as int[], VALID, 1.0, 0.3), erf(), flatten(), dense(2)),
            '2-D CIRCULAR, layerNorm, gelu, std': serial(conv(4, [3, 3] as int[], null, CIRC, 1.2, 0.2, Parameterization.STANDARD),
                                                         layerNorm(), gelu(), conv(4, [3, 3] as int[], null, CIRC, 1.0, 0.0), flatten()),
            '2-D dense on channels, fanInSum'   : serial(conv(4, [3, 3] as int[], null, SAME, 1.0, 0.0), relu(), fanOut(2),
                                                         parallel(dense(4), serial(conv(4, [1, 1] as int[], null, SAME, 1.0, 0.0), tanh())),
                                                         fanInSum(), flatten(), dense(1, 1.0, 0.5)),
        ]
    }

    @Unroll
    def "#name: the diagonal path equals the full path to 1e-12 (NNGP, NTK, x2 given and omitted)"() {
        when:
        def full = net.kernel(images, null, true, false)
        def diag = net.kernel(images, null, true, true)
        def fullX = net.kernel(images, images2, true, false)
        def diagX = net.kernel(images, images2, true, true)

        then:
        relDiff(diag.nngp(), full.nngp()) <= 1e-12
        relDiff(diag.ntk(), full.ntk()) <= 1e-12
        relDiff(diagX.nngp(), fullX.nngp()) <= 1e-12
        relDiff(diagX.ntk(), fullX.ntk()) <= 1e-12

        and: 'the automatic choice is the diagonal one (bit for bit)'
        net.spatialDiagonal().exactByDefault()
        Arrays.equals(net.kernel(images).ntk().data(), diag.ntk().data())

        where:
        name << models().keySet().toList()
        net << models().values().toList()
    }

    def "1-D signals: the diagonal path equals the full one"() {
        given:
        def net = serial(conv(3, [3] as int[], [2] as int[], SAME, 1.2, 0.1), relu(), conv(3, [2] as int[], null, VALID, 1.0, 0.0), sin(), flatten(), dense(1))

        expect:
        relDiff(net.kernel(signals, null, true, true).ntk(), net.kernel(signals, null, true, false).ntk()) <= 1e-12
    }

    def "without a readout, diagonalSpatial: true gives the diagonal (n1, n2, H, W) of the full spatial kernel"() {
        given:
        def net = serial(conv(4, [3, 3] as int[], null, SAME, 1.3, 0.2), relu(), conv(4, [3, 3] as int[], null, SAME, 1.0, 0.0))
        def full = net.kernel(images, images2, true, false)
        def diag = net.kernel(images, images2, true, true)

        expect: 'full is (4, 3, 5, 5, 6, 6); diag (4, 3, 5, 6) holds its (h, h, w, w) entries'
        full.ntk().shape() == [4, 3, 5, 5, 6, 6] as int[]
        diag.ntk().shape() == [4, 3, 5, 6] as int[]
        diag.cov1().shape() == [4, 5, 6] as int[]
        (0..<4).every { i -> (0..<3).every { j -> (0..<5).every { h -> (0..<6).every { w ->
            Math.abs(diag.ntk().get(i, j, h, w) - full.ntk().get(i, j, h, h, w, w)) <= 1e-12 * Math.abs(full.ntk().get(i, j, h, h, w, w))
        } } } }

        and: 'the automatic choice keeps all pairs: the output kernel is spatial'
        !net.spatialDiagonal().exactByDefault()
        net.kernel(images).nngp().rank() == 6
    }

    def "the requirement algebra follows neural-tangents' Diagonal: readouts decide"() {
        expect:
        net.spatialDiagonal().exactByDefault() == auto
        net.spatialDiagonal().allowed() == allowed

        where:
        net                                                                          | auto  | allowed
        serial(conv(2, 3, 3), relu(), flatten(), dense(1))                           | true  | true
        serial(conv(2, 3, 3), relu(), globalAvgPool(), dense(1))                     | false | false
        serial(conv(2, 3, 3), relu(), avgPool(2, 2), flatten(), dense(1))            | false | false
        serial(conv(2, 3, 3), relu())                                                | false | true
        serial(conv(2, 3, 3), flatten(), dense(3), globalAvgPool())                  | true  | true
        serial(fanOut(2), parallel(serial(conv(2, 3, 3), flatten()), serial(conv(2, 3, 3), globalAvgPool())), fanInSum()) | false | false
        repeat(serial(conv(2, 3, 3), relu()), 3)                                     | false | true
        serial(repeat(serial(conv(2, 3, 3), relu()), 3), flatten())                  | true  | true
    }

    def "diagonalSpatial: true where a layer needs other pairs is a one-line error; pooling refuses diagonal inputs"() {
        when:
        serial(conv(2, [3, 3] as int[], null, SAME, 1.0, 0.0), relu(), globalAvgPool(), dense(1)).kernel(images, null, true, true)
        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith('diagonalSpatial: true is not exact for this model')
        !e.message.contains('\n')

        when: 'a pooling rule handed a diagonal kernel directly'
        AvgPool.rule(Kernel.fromInputs(images, null, true, true), [2, 2] as int[], [2, 2] as int[], VALID)
        then:
        def e2 = thrown(IllegalArgumentException)
        e2.message.startsWith('avgPool needs the covariances between different positions')
    }

    def "Groovy options: get: 'nngp' skips the NTK; diagonalBatch: false and unknown options are refused"() {
        given:
        def net = serial(conv(4, [3, 3] as int[], null, SAME, 1.3, 0.2), relu(), flatten(), dense(1))

        when:
        def k = net.kernel(images, images2, get: 'nngp', diagonalSpatial: true)
        def both = net.kernel(images, images2, get: ['nngp', 'ntk'])
        def self = net.kernel(images, get: 'nngp')
        then:
        k.ntk() == null
        Arrays.equals(k.nngp().data(), both.nngp().data())
        both.ntk() != null
        self.ntk() == null && self.nngp().shape() == [4, 4] as int[]

        when:
        net.kernel(images, diagonalBatch: false)
        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith('kernel: diagonalBatch: false is not supported')

        when:
        net.kernel(images, get: 'nngp', diagonal: true)
        then:
        def e2 = thrown(IllegalArgumentException)
        e2.message == "kernel: unknown option 'diagonal' (known: diagonalBatch, diagonalSpatial, engine, get, maskConstant, master, pattern)"
    }

    def "a 2-conv CNN with flatten on 8 images of 32x32x3 needs O(HW) per pair: fast and small"() {
        given: 'the full layout would hold 8·8·1024² doubles per array (512 MiB each)'
        def x = Tensor.randn(1, 8, 32, 32, 3)
        def net = serial(conv(16, [3, 3] as int[], null, SAME, 1.4, 0.1), relu(), conv(16, [3, 3] as int[], null, SAME, 1.4, 0.1),
                relu(), flatten(), dense(10))
        def os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.operatingSystemMXBean
        long cpu0 = os.processCpuTime

        when:
        def k = net.kernel(x)
        double cpuSeconds = (os.processCpuTime - cpu0) * 1e-9

        then: 'bounded in CPU time, which does not depend on how many others share the cores'
        k.ntk().shape() == [8, 8] as int[]
        cpuSeconds < 20
        (0..<8).every { i -> k.ntk().get(i, i) > 0 }
    }

    def "Monte Carlo: a finite 2-D CNN with flatten readout averages to the diagonal-path kernels"() {
        given: '16 seeds, 256 channels, 5 SE + 8/channels per entry, as for every layer'
        def net = serial(conv(256, [3, 3] as int[], null, SAME, 1.3, 0.2), relu(), conv(256, [3, 3] as int[], null, SAME, 1.2, 0.1),
                relu(), flatten(), dense(64))
        def x = Tensor.randn(17, 5, 4, 4, 2)
        def k = net.kernel(x, null, true, true)

        when:
        def (double rN, double rT) = MonteCarloKernels.worstRatios(net, x, k, 256)
        println "MC diagonal-spatial 2-D CNN: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1
    }

    def "the kernel service tiles both sides when spatial intermediates exceed its budget: same kernel, exactly symmetric"() {
        given: 'a 64 KiB budget: tiles of a few examples; 11 and 7 images of 6x6x2'
        // layerNorm has no fused step form, so the position pairs are stored layer by layer (and planned so);
        // without it the fused pass (DiagonalChainSpec) stores none and needs no tiles.
        def net = serial(conv(8, [3, 3] as int[], null, SAME, 1.3, 0.2), relu(), conv(8, [3, 3] as int[], null, SAME, 1.0, 0.1),
                layerNorm(), relu(), flatten(), dense(1))
        def x = Tensor.randn(21, 11, 6, 6, 2), z = Tensor.randn(22, 7, 6, 6, 2)
        def service = new org.ntkworkbench.model.RowBlockKernelService(2, 64 << 10)

        when:
        def k = service.analytic(net, x, null)
        def kx = service.analytic(net, x, z)
        def ref = net.kernel(x), refX = net.kernel(x, z)

        then:
        service.estimateBytes(net, 11, 11, 6, 6, 2) > 64 << 10
        relDiff(k.ntk(), ref.ntk()) <= 1e-12 && relDiff(k.nngp(), ref.nngp()) <= 1e-12
        relDiff(kx.ntk(), refX.ntk()) <= 1e-12 && relDiff(kx.nngp(), refX.nngp()) <= 1e-12
        (0..<11).every { i -> (0..<11).every { j -> k.ntk().get(i, j) == k.ntk().get(j, i) } }
        Arrays.equals(k.cov1().data(), (0..<11).collect { k.nngp().get(it, it) } as double[])
        relDiff(kx.cov2(), net.kernel(z).cov1()) <= 1e-12
    }
}
