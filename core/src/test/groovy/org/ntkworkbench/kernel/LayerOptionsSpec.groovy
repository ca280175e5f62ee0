package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.autodiff.Var
import org.ntkworkbench.nn.ApplyContext
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.LayerGradientSpec
import org.ntkworkbench.nn.SpatialDiagonal
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * neural-tangents' layer options without new layer classes: {@code layerNorm(axis:)} over spatial axes too,
 * {@code dropout(rate, mode: 'train')} (the training-mode network's kernel) and {@code fanInConcat(axis:)} on a
 * spatial axis. Each: Monte Carlo against finite networks (as {@link LayerKernelMonteCarloSpec}: 16 seeds,
 * 5 SE + 8/width), a second derivation written out with loops, gradients against central differences.
 */
class LayerOptionsSpec extends Specification {
    static final int W = 512, C = 256, M = 64, SEEDS = 16
    static final Padding CIRC = Padding.CIRCULAR, SAME = Padding.SAME, VALID = Padding.VALID

    @Shared Tensor x = Tensor.randn(11, 4, 8)
    @Shared Tensor signals = Tensor.randn(12, 3, 6, 2)
    @Shared Tensor images = Tensor.randn(13, 2, 3, 4, 2)

    /** The model with its forward pass always in training mode, dropout masks from {@code seed}. */
    static class TrainingMode implements Layer {
        final Layer inner
        final long seed
        TrainingMode(Layer inner, long seed) { this.inner = inner; this.seed = seed }
        String word() { inner.word() }
        List<int[]> outputShapes(List<int[]> s) { inner.outputShapes(s) }
        List<int[]> init(String path, List<int[]> s, long sd, Map<String, Tensor> p) { inner.init(path, s, sd, p) }
        List<Var> apply(ApplyContext ctx, String path, List<Var> in) { inner.apply(ctx.training(seed), path, in) }
        List<Kernel> kernels(List<Kernel> in) { inner.kernels(in) }
        SpatialDiagonal spatialDiagonal() { inner.spatialDiagonal() }
    }

    static List<Double> mc(Layer net, Tensor input, double width) {
        MonteCarloKernels.worstRatios(net, input, net.kernel(input), width, SEEDS) as List<Double>
    }

    static Map<String, List> models() {
        [
            'layerNorm(axis: [1, 2]) on signals'         : [serial(conv(C, [3] as int[], null, CIRC, 1.3, 0.2), layerNorm(axis: [1, 2]), relu(),
                                                                   conv(C, [3] as int[], null, CIRC, 1.0, 0.1), relu(), globalAvgPool(), dense(M)), 'signals', C],
            'layerNorm(axis: [-3, -1]) on images'        : [serial(conv(C, [2, 2] as int[], null, SAME, 1.2, 0.3), layerNorm(axis: [-3, -1]), erf(),
                                                                   flatten(), dense(M)), 'images', C],
            'dropout(0.3, mode: train), dense'           : [new TrainingMode(serial(dense(W, 1.4, 0.3), relu(), dropout(mode: 'train', 0.3), dense(M, 1.1, 0.2)), 7), 'x', W],
            'dropout(0.4, mode: train) in a conv net'    : [new TrainingMode(serial(conv(C, [3] as int[], null, CIRC, 1.3, 0.2), relu(), dropout(mode: 'train', 0.4),
                                                                   conv(C, [3] as int[], null, CIRC, 1.0, 0.1), relu(), globalAvgPool(), dense(M)), 9), 'signals', C],
            'fanInConcat(axis: 1), GAP readout'          : [serial(fanOut(2), parallel(conv(C, [3] as int[], null, CIRC, 1.3, 0.2),
                                                                   serial(conv(C, [2] as int[], null, VALID, 1.0, 0.1), erf())), fanInConcat(axis: 1),
                                                                   conv(C, [3] as int[], null, SAME, 1.0, 0.1), relu(), globalAvgPool(), dense(M)), 'signals', C],
            'fanInConcat(axis: -2) of 2-D, flatten'      : [serial(fanOut(2), parallel(conv(C, [2, 2] as int[], null, SAME, 1.3, 0.2),
                                                                   conv(C, [1, 2] as int[], null, VALID, 1.0, 0.1)), fanInConcat(axis: -2), relu(),
                                                                   conv(C, [2, 2] as int[], null, CIRC, 1.0, 0.1), relu(), flatten(), dense(M)), 'images', C],
        ]
    }

    @Unroll
    def "#name: analytic NNGP and NTK within 5 SE + 8/width of seed-averaged finite networks"() {
        when:
        def (rN, rT) = mc(spec[0] as Layer, this."${spec[1]}" as Tensor, spec[2] as double)
        println "MC $name: worst |emp - analytic| / tol: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << models().keySet().toList()
        spec << models().values().toList()
    }

    def "layerNorm(axis: [1, 2]) after a conv: the kernel divided by the position-averaged variances, written out"() {
        given:
        def conv1 = conv(5, [3] as int[], null, CIRC, 1.3, 0.2)
        def k0 = conv1.kernel(signals)
        def k = serial(conv1, layerNorm(axis: [1, 2])).kernel(signals)
        def k2 = serial(conv1, layerNorm(axis: [1, 2])).kernel(signals, signals.rowRange(0, 2))
        int n = 3, q = 6
        def mean = { int i -> (0..<q).sum { int p -> k0.cov1().get(i, p, p) } / q }

        expect:
        (0..<n).every { int i -> (0..<n).every { int j -> (0..<q).every { int p -> (0..<q).every { int r ->
            double want = k0.nngp().get(i, j, p, r) / Math.sqrt((mean(i) + 1e-12) * (mean(j) + 1e-12))
            double wantT = k0.ntk().get(i, j, p, r) / Math.sqrt((mean(i) + 1e-12) * (mean(j) + 1e-12))
            Math.abs(k.nngp().get(i, j, p, r) - want) <= 1e-14 && Math.abs(k.ntk().get(i, j, p, r) - wantT) <= 1e-14 &&
                    (j >= 2 || Math.abs(k2.nngp().get(i, j, p, r) - want) <= 1e-14)
        } } } }
        and: 'axis: -1 (the default) is the old rule bit for bit; the diagonal layout agrees'
        serial(conv1, layerNorm(axis: -1), relu(), flatten()).kernel(signals).ntk().bitwiseEquals(serial(conv1, layerNorm(), relu(), flatten()).kernel(signals).ntk())
        serial(conv1, layerNorm(axis: [1, 2]), relu(), flatten()).kernel([diagonalSpatial: true], signals).ntk().sub(
                serial(conv1, layerNorm(axis: [1, 2]), relu(), flatten()).kernel([diagonalSpatial: false], signals).ntk()).maxAbs() <= 1e-14
    }

    def "layerNorm(axis:) forward = hand-normalised over the axes jointly; axes without the channel axis or with axis 0 refused"() {
        given:
        def ln = layerNorm(axis: [1, 3])
        def y = ln.apply([:], images)

        expect: 'for each example and W position, mean and variance over H and C'
        (0..<2).every { int i -> (0..<4).every { int h ->
            List<Double> vals = []
            for (int a = 0; a < 3; a++) for (int c = 0; c < 2; c++) vals << images.get(i, a, h, c)
            double m = vals.sum() / vals.size()
            double v = vals.sum { (it - m) ** 2 } / vals.size()
            (0..<3).every { int a -> (0..<2).every { int c ->
                Math.abs(y.get(i, a, h, c) - (images.get(i, a, h, c) - m) / Math.sqrt(v + 1e-12)) <= 1e-13 } }
        } }

        when:
        layerNorm(axis: [1, 2]).outputShape([3, 4, 2] as int[])
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('must include the channel axis')

        when:
        layerNorm(axis: [0, -1])
        then:
        thrown(IllegalArgumentException)
    }

    def "dropout(rate, mode: 'train'): same-example same-position entries x 1/keep, written out with the relu dual"() {
        given:
        def net = serial(dense(W, 1.4, 0.3), relu(), dropout(mode: 'train', 0.3), dense(M, 1.1, 0.2))
        def k1 = serial(dense(W, 1.4, 0.3)).kernel(x)
        def k = net.kernel(x)
        def kx = net.kernel(x, x.rowRange(0, 2))
        def reluDual = Dual.relu()
        int n = 4

        double errN = 0, errT = 0, errX = 0
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double v1 = k1.cov1().get(i), v2 = k1.cov1().get(j), c12 = k1.nngp().get(i, j)
            double t = reluDual.t(v1, v2, c12), td = reluDual.tDot(v1, v2, c12)
            double f = i == j ? 1 / 0.7 : 1
            double nngp = 1.21 * f * t + 0.04
            double ntk = nngp + 1.21 * f * td * k1.ntk().get(i, j)
            errN = Math.max(errN, Math.abs(k.nngp().get(i, j) - nngp) / nngp)
            errT = Math.max(errT, Math.abs(k.ntk().get(i, j) - ntk) / ntk)
            if (j < 2 && i != j) errX = Math.max(errX, Math.abs(kx.nngp().get(i, j) - (1.21 * t + 0.04)) / nngp)
        }
        println "dropout train closed form: rel errors nngp $errN ntk $errT, x2 given $errX"

        expect: 'x2 given: independent masks, no factor (its (i, i) entries pair two rows of different batches: off-diagonal entries only here)'
        errN <= 1e-10   // measured 2.0e-11: the fused relu path near correlation 1 against Dual.relu's formula
        errT <= 1e-10
        errX <= 1e-13
        (0..<2).every { int i -> Math.abs(kx.nngp().get(i, i) - k.nngp().get(i, i) * 0.7 - 0.04 * 0.3) <= 1e-7 * k.nngp().get(i, i) }
        and: 'evaluation mode is the identity; the train-mode kernel is not the fused entrywise one but the same off the diagonal'
        serial(dense(W, 1.4, 0.3), relu(), dropout(mode: 'eval', 0.3), dense(M, 1.1, 0.2)).kernel(x).ntk().bitwiseEquals(serial(dense(W, 1.4, 0.3), relu(), dense(M, 1.1, 0.2)).kernel(x).ntk())
    }

    def "dropout train kernel in the diagonal spatial layout equals the full one (flatten readout)"() {
        given:
        def net = serial(conv(4, [3] as int[], null, CIRC, 1.3, 0.2), relu(), dropout(mode: 'train', 0.4), conv(4, [3] as int[], null, CIRC, 1.0, 0.1), relu(), flatten(), dense(1))
        expect:
        net.kernel([diagonalSpatial: true], signals).ntk().sub(net.kernel([diagonalSpatial: false], signals).ntk()).maxAbs() <= 1e-13
    }

    def "fanInConcat on a spatial axis: block-diagonal kernel of the branches' kernels, zeros across, written out; diagonal layout agrees"() {
        given:
        def a = conv(3, [3] as int[], null, CIRC, 1.3, 0.2)
        def b = serial(conv(3, [2] as int[], null, VALID, 1.0, 0.1), erf())
        def ka = a.kernel(signals)
        def kb = b.kernel(signals)
        def k = serial(fanOut(2), parallel(a, b), fanInConcat(axis: 1)).kernel(signals)
        int n = 3

        expect:
        k.spatial() == [11] as int[]
        (0..<n).every { int i -> (0..<n).every { int j -> (0..<11).every { int p -> (0..<11).every { int r ->
            double want = p < 6 && r < 6 ? ka.ntk().get(i, j, p, r) : p >= 6 && r >= 6 ? kb.ntk().get(i, j, p - 6, r - 6) : 0
            double wantN = p < 6 && r < 6 ? ka.nngp().get(i, j, p, r) : p >= 6 && r >= 6 ? kb.nngp().get(i, j, p - 6, r - 6) : 0
            k.ntk().get(i, j, p, r) == want && k.nngp().get(i, j, p, r) == wantN
        } } } }
        and:
        def net = serial(fanOut(2), parallel(a, b), fanInConcat(axis: 1), conv(3, [2] as int[], null, SAME, 1.0, 0.0), relu(), flatten(), dense(1))
        net.kernel([diagonalSpatial: true], signals).ntk().sub(net.kernel([diagonalSpatial: false], signals).ntk()).maxAbs() <= 1e-13
    }

    def "gradients through the new options match central differences (1e-6)"() {
        expect:
        LayerGradientSpec.gradError(serial(conv(3, 2), layerNorm(axis: [1, 2]), tanh(), flatten(), dense(2)), [2, 5, 2] as int[]) <= 1e-6
        LayerGradientSpec.gradError(serial(conv(2, [2, 2] as int[], null, SAME, 1.0, 0.1), layerNorm(axis: [-3, -1]), tanh(), flatten(), dense(1)), [2, 3, 2, 2] as int[]) <= 1e-6
        LayerGradientSpec.gradError(serial(dense(6), dropout(mode: 'train', 0.4), tanh(), dense(2)), [3, 3] as int[], true) <= 1e-6
        LayerGradientSpec.gradError(serial(conv(2, 2), fanOut(2), parallel(relu(), conv(2, 3)), fanInConcat(1), flatten(), dense(1)), [2, 5, 1] as int[]) <= 1e-6
    }
}
