package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import java.lang.management.ManagementFactory
import org.ntkworkbench.model.RowBlockKernelService
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.Parameterization
import org.ntkworkbench.nn.Serial
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * The fused diagonal pass ({@link DiagonalChain}: convs, activations and dense layers up to a flatten
 * readout, one pair of examples at a time) against the layer-by-layer rules on the diagonal layout
 * ({@code Kernel.fromInputs(x1, x2, true, ntk)} through each layer's {@code kernel(Kernel)}), which share
 * no loop with it: NNGP and NTK to 1e-12 relative (measured: equal to the last bit or within a few ulps),
 * for several depths, SAME/VALID/CIRCULAR padding, strides, input channels > 1, both parameterizations,
 * closed-form and quadrature duals, 1-D and 2-D, x2 given and omitted.
 */
class DiagonalChainSpec extends Specification {
    static final Padding SAME = Padding.SAME, VALID = Padding.VALID, CIRC = Padding.CIRCULAR

    @Shared Tensor images = Tensor.randn(1, 5, 6, 7, 3)
    @Shared Tensor images2 = Tensor.randn(2, 4, 6, 7, 3).mul(1.7)
    @Shared Tensor signals = Tensor.randn(3, 4, 9, 2)
    @Shared Tensor signals2 = Tensor.randn(4, 3, 9, 2)

    static double relDiff(Tensor a, Tensor b) {
        a.sub(b).norm() / b.norm()
    }

    static Layer conv2(int c, List<Integer> f, Padding p, double w, double b, List<Integer> s = null,
                       Parameterization par = Parameterization.NTK) {
        conv(c, f as int[], s as int[], p, w, b, par)
    }

    static Map<String, Layer> models() {
        double w = Math.sqrt(2d)
        [
            'depth 1, SAME, relu'                      : serial(conv2(2, [3, 3], SAME, w, 0.1), relu(), flatten(), dense(1, w, 0.1)),
            'depth 3, SAME, relu (the bar model)'      : serial(conv2(1, [3, 3], SAME, w, 0.05), relu(), conv2(1, [3, 3], SAME, w, 0.05), relu(),
                                                                conv2(1, [3, 3], SAME, w, 0.05), relu(), flatten(), dense(1, w, 0.05)),
            'depth 2, VALID + stride 2, erf'           : serial(conv2(4, [2, 3], VALID, 1.2, 0.3, [2, 1]), erf(), conv2(3, [2, 2], VALID, 1.0, 0.0),
                                                                relu(), flatten()),
            'depth 2, CIRCULAR, gelu (quadrature-free)': serial(conv2(3, [3, 3], CIRC, 1.1, 0.2), gelu(), conv2(3, [3, 1], CIRC, 1.3, 0.1), tanh(),
                                                                flatten(), dense(2)),
            'depth 2, standard parameterization'       : serial(conv2(5, [3, 3], SAME, 1.3, 0.2, null, Parameterization.STANDARD), relu(),
                                                                conv2(3, [3, 3], SAME, 1.0, 0.4, null, Parameterization.STANDARD), relu(), flatten(),
                                                                dense(1, 1.0, 0.1, Parameterization.STANDARD)),
            'nested serial and repeat, dense on channels': serial(serial(conv2(2, [3, 3], SAME, 1.4, 0.0), relu()),
                                                                repeat(serial(conv2(2, [3, 3], SAME, 1.4, 0.1), relu(), dense(3)), 2), flatten(), dense(3), relu(), dense(1)),
        ]
    }

    /** The layer-by-layer path: every layer's own rule on whole diagonal-layout arrays (no fusion). */
    static Kernel layerByLayer(Layer net, Tensor x1, Tensor x2, boolean ntk) {
        Kernel in = Kernel.fromInputs(x1, x2, true, ntk)
        Symmetry.forInputs(net.kernel(in), x1, x2)
    }

    @Unroll
    def "#name: the fused pass equals the layer-by-layer rules to 1e-12 (NNGP, NTK, x2 omitted and given)"() {
        given:
        Serial s = (Serial) net

        expect: 'the model is fused from the inputs'
        s.fusesDiagonalReadout()
        net.spatialDiagonal().exactByDefault()

        when:
        def fused = net.kernel(images, null, true, null)
        def general = layerByLayer(net, images, null, true)
        def fusedX = net.kernel(images, images2, true, null)
        def generalX = layerByLayer(net, images, images2, true)
        def nngpOnly = net.kernel(images, images2, false, null)

        then:
        fused.spatial().length == 0 && fused.n1() == 5 && fused.n2() == 5
        relDiff(fused.nngp(), general.nngp()) <= 1e-12
        relDiff(fused.ntk(), general.ntk()) <= 1e-12
        relDiff(fusedX.nngp(), generalX.nngp()) <= 1e-12
        relDiff(fusedX.ntk(), generalX.ntk()) <= 1e-12
        relDiff(fused.cov1(), general.cov1()) <= 1e-12
        relDiff(fusedX.cov2(), generalX.cov2()) <= 1e-12
        fusedX.channels() == generalX.channels()
        nngpOnly.ntk() == null
        Arrays.equals(nngpOnly.nngp().data(), fusedX.nngp().data())

        and: 'a kernel of x1 with itself is symmetric to the last bit'
        Arrays.equals(fused.nngp().data(), fused.nngp().transpose().data())

        where:
        name << models().keySet().toList()
        net << models().values().toList()
    }

    def "1-D signals: fused equals layer by layer"() {
        given:
        def net = serial(conv(3, [3] as int[], [2] as int[], SAME, 1.2, 0.1), relu(), conv(3, [2] as int[], null, VALID, 1.0, 0.0), sin(),
                flatten(), dense(1))

        expect:
        ((Serial) net).fusesDiagonalReadout()
        relDiff(net.kernel(signals, signals2, true, null).ntk(), layerByLayer(net, signals, signals2, true).ntk()) <= 1e-12
        relDiff(net.kernel(signals, null, true, null).nngp(), layerByLayer(net, signals, null, true).nngp()) <= 1e-12
    }

    def "models the pass does not cover keep the layer-by-layer path (and their numbers)"() {
        expect: 'layerNorm has no step form; pooling needs other pairs; no readout'
        !((Serial) serial(conv(2, [3, 3] as int[], null, SAME, 1.0, 0.0), layerNorm(), relu(), flatten())).fusesDiagonalReadout()
        !((Serial) serial(conv(2, [3, 3] as int[], null, SAME, 1.0, 0.0), relu(), conv(2, [3, 3] as int[], null, SAME, 1.0, 0.0))).fusesDiagonalReadout()
        !((Serial) serial(conv(2, [3, 3] as int[], null, SAME, 1.0, 0.0), relu(), globalAvgPool())).fusesDiagonalReadout()

        and: 'diagonalSpatial: false keeps the full layout even for a fused model'
        def net = models()['depth 1, SAME, relu']
        relDiff(net.kernel(images, images2, true, false).ntk(), net.kernel(images, images2, true, null).ntk()) <= 1e-12
    }

    def "the kernel service plans the fused model by its (n1, n2) output and reports every pair of its tiles"() {
        given:
        def net = models()['depth 3, SAME, relu (the bar model)']
        def service = new RowBlockKernelService(2)
        Tensor x = Tensor.randn(5, 300, 4, 4, 1)
        long done = 0

        when:
        long planned = service.estimateBytes(net, 2000, 2000, 28, 28, 1)
        def k = service.analytic(net, x, null, false) { long u -> synchronized (this) { done += u } }
        def direct = net.kernel(x, null, false, null)

        then: 'no position-pair arrays: 2000 x 2000 x 784 doubles would be 25 GB'
        planned < 400_000_000L
        done == 300L * 301 / 2
        Arrays.equals(k.nngp().data(), direct.nngp().data())
    }

    /**
     * Not a check: CPU microseconds per pair of 28×28 images of the bar model (NNGP) by the layer-by-layer
     * rules and by the fused pass on one thread each, printed for docs/benchmarks.md.
     */
    def "CPU time per pair of 28x28 images, layer by layer and fused (printed)"() {
        given:
        def net = models()['depth 3, SAME, relu (the bar model)']
        Tensor a = Tensor.randn(6, 12, 28, 28, 1), b = Tensor.randn(7, 12, 28, 28, 1)
        def bean = ManagementFactory.threadMXBean
        def cpu = { Closure c ->
            long t0 = bean.currentThreadCpuTime
            c()
            (bean.currentThreadCpuTime - t0) * 1e-3 / (12 * 12)
        }
        // Rows run in parallel above a size; the pair counts here stay below both paths' thresholds? Not for the
        // layer-by-layer rules: so time them on the calling thread through a 1-thread pool.
        def pool = new java.util.concurrent.ForkJoinPool(1)

        when:
        layerByLayer(net, a, b, false); net.kernel(a, b, false, null)   // warm-up
        double general = pool.submit({ cpu { layerByLayer(net, a, b, false) } } as java.util.concurrent.Callable).get()
        double fused = pool.submit({ cpu { net.kernel(a, b, false, null) } } as java.util.concurrent.Callable).get()
        println String.format('CNN-GP (3 convs 3x3 SAME, relu, flatten) NNGP, 28x28 images, CPU us/pair: layer by layer %.1f, fused %.1f (%.1fx); load %s',
                general, fused, general / fused, new File('/proc/loadavg').text.trim())

        then:
        fused > 0 && general > 0

        cleanup:
        pool.shutdown()
    }
}
