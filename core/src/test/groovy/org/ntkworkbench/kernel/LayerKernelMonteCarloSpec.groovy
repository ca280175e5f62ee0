package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.Parameterization
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * Every layer's analytic kernel rule (through {@code net.kernel(x)}) against the seed-averaged
 * empirical kernels of finite networks (Monte Carlo, {@link MonteCarloKernels}): S = 16 seeds,
 * hidden width 512 (conv: 256 channels), a readout of 64 units for the NNGP and 2 units for the NTK.
 *
 * <p>Tolerance per entry: {@code 5·SE + 8/width · max|K|}. SE is the standard error of the seed mean
 * (sd over seeds/√S); {@code 8/width} (1.6 % at width 512, 3.1 % at 256 channels) bounds the O(1/width)
 * bias of the mean finite-width kernel, whose coefficient is O(1) for these depth ≤ 3 networks.
 */
class LayerKernelMonteCarloSpec extends Specification {
    static final int W = 512, C = 256, M = 64, SEEDS = 16

    @Shared Tensor x = Tensor.randn(11, 4, 8)
    @Shared Tensor signals = Tensor.randn(12, 3, 6, 2)
    @Shared Tensor images = Tensor.randn(13, 2, 4, 4, 2)

    static Layer mlp(Layer act) {
        serial(dense(W, 1.4, 0.3), act, dense(M, 1.1, 0.2))
    }

    static Map<String, Layer> denseModels() {
        def std = Parameterization.STANDARD
        [
            'relu (NTK parameterization)' : mlp(relu()),
            'relu, standard parameterization': serial(dense(W, 1.4, 0.3, std), relu(), dense(M, 1.1, 0.2, std)),
            'depth-3 relu'               : serial(dense(W, 1.4, 0.3), relu(), dense(W, 1.4, 0.3), relu(), dense(M)),
            'leakyRelu(0.2)'             : mlp(leakyRelu(0.2)),
            'abs'                        : mlp(abs()),
            'erf'                        : mlp(erf()),
            'gelu'                       : mlp(gelu()),
            'sin'                        : mlp(sin()),
            'cos'                        : mlp(cos()),
            'rbf(0.5)'                   : mlp(rbf(0.5)),
            'monomial(2)'                : mlp(monomial(2)),
            'rectifiedMonomial(2)'       : mlp(rectifiedMonomial(2)),
            'tanh (quadrature)'          : mlp(tanh()),
            'sigmoid (quadrature)'       : mlp(sigmoid()),
            'elementwise (quadrature)'   : mlp(elementwise({ double v -> Math.sin(v) + 0.5 * v } as java.util.function.DoubleUnaryOperator)),
            'layerNorm'                  : serial(dense(W, 1.4, 0.3), layerNorm(), relu(), dense(M)),
            'dropout (evaluation)'       : serial(dense(W), relu(), dropout(0.3), dense(M)),
            'identity'                   : serial(dense(W), identity(), erf(), dense(M)),
            'fanInSum'                   : serial(fanOut(2), parallel(serial(dense(W), relu()), serial(dense(W, 1, 0.5), erf())),
                                                  fanInSum(), dense(M)),
            'fanInProd'                  : serial(fanOut(2), parallel(dense(W), dense(W, 1.2, 0.5)), fanInProd(), dense(M)),
            'fanInConcat (unequal widths)': serial(fanOut(2), parallel(serial(dense(W), relu()), serial(dense(W / 2 as int), tanh())),
                                                  fanInConcat(), dense(M)),
        ]
    }

    static Map<String, Layer> convModels() {
        def circ = Padding.CIRCULAR, same = Padding.SAME, valid = Padding.VALID
        [
            '1-D CIRCULAR conv, GAP readout'       : serial(conv(C, [3] as int[], null, circ, 1.3, 0.2), relu(),
                                                           conv(C, [3] as int[], null, circ, 1.3, 0.2), relu(), globalAvgPool(), dense(M)),
            '1-D CIRCULAR conv, flatten readout'   : serial(conv(C, [3] as int[], null, circ, 1.3, 0.2), relu(), flatten(), dense(M)),
            '1-D SAME stride-2 conv, avgPool, GSP' : serial(conv(C, [3] as int[], [2] as int[], same, 1.0, 0.1), relu(),
                                                           avgPool([2] as int[], [1] as int[], same), globalSumPool(), dense(M)),
            '1-D VALID conv, sumPool, flatten, std': serial(conv(C, [2] as int[], null, valid, 1.0, 0.1, Parameterization.STANDARD), erf(),
                                                           sumPool([2] as int[], [2] as int[], valid), flatten(), dense(M)),
        ]
    }

    def check(Layer net, Tensor input, double width, boolean withNtk) {
        Kernel k = net.kernel(input)
        def mc = MonteCarloKernels.of(net, input, SEEDS, 2, withNtk)
        double bias = 8.0 / width
        double rN = MonteCarloKernels.worstRatio(mc.nngpMean, mc.nngpSe, k.nngp(), 5, bias)
        double rT = withNtk ? MonteCarloKernels.worstRatio(mc.ntkMean, mc.ntkSe, k.ntk(), 5, bias) : 0
        [rN, rT]
    }

    @Unroll
    def "dense #name: analytic NNGP and NTK within 5 SE + 8/width of the seed-averaged finite networks"() {
        when:
        def (rN, rT) = check(net, x, W, true)
        println "MC $name: worst |emp - analytic| / tol: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << denseModels().keySet().toList()
        net << denseModels().values().toList()
    }

    def "sign: NNGP within tolerance; its NTK is the readout's alone (T' = 0 as the finite derivative)"() {
        when:
        def net = mlp(sign())
        def (rN, rT) = check(net, x, W, true)
        println "MC sign: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1
    }

    @Unroll
    def "conv #name: analytic kernels within 5 SE + 8/channels of finite conv nets"() {
        when:
        def (rN, rT) = check(net, signals, C, true)
        println "MC $name: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << convModels().keySet().toList()
        net << convModels().values().toList()
    }

    def "2-D SAME conv with avgPool and flatten against a finite 2-D conv net"() {
        when:
        def net = serial(conv(C, [3, 3] as int[], null, Padding.SAME, 1.3, 0.2), relu(),
                avgPool([2, 2] as int[], [2, 2] as int[], Padding.VALID), flatten(), dense(M))
        def (rN, rT) = check(net, images, C, true)
        println "MC 2-D conv: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1
    }

    def "x2 omitted: symmetric to the last bit and positive semi-definite"() {
        given:
        def net = serial(conv(8, [3] as int[], null, Padding.CIRCULAR, 1.3, 0.2), relu(), globalAvgPool(), dense(4, 1, 0.1), tanh(), dense(1))
        def xs = Tensor.randn(21, 9, 5, 2)
        Kernel k = net.kernel(xs)
        Kernel cross = net.kernel(xs, Tensor.of(xs.data().clone(), xs.shape()))

        expect: 'exact symmetry; eigenvalues ≥ −1e-12·max; the cross kernel with an equal copy agrees to 1e-12'
        [k.nngp(), k.ntk()].every { t ->
            (0..<9).every { i -> (0..<9).every { j -> t.get(i, j) == t.get(j, i) } }
        }
        [k.nngp(), k.ntk()].every { t ->
            double[] ev = org.ntkworkbench.tensor.Lapack.syevd(t.data().clone(), 9, false).values()
            double max = ev.collect { Math.abs(it) }.max()
            ev.every { it >= -1e-12 * max }
        }
        (0..<81).every { e -> Math.abs(cross.ntk().data()[e] - k.ntk().data()[e]) <= 1e-12 * k.ntk().data().collect { Math.abs(it) }.max() }
    }
}
