package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.LayerGradientSpec
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * {@code aggregate}, {@code dotGeneral}, {@code index}: fixed linear maps of positions. Monte Carlo against finite
 * networks (16 seeds, 5 SE + 8/channels); the rule on the input kernel equals the input kernel of the transformed
 * inputs (the LayerRulesSpec pattern for linear layers); the forward pass and Aᵀ Σ A / Θ written out with loops;
 * Python slice semantics; diagonal layout = full where exact, refused in one line where not; gradients against
 * central differences.
 */
class LinearMapLayersSpec extends Specification {
    static final int C = 256, M = 64

    /** A 5-node directed graph with self-loops and weights: A[i][j] is the edge i -> j. */
    static final List<List<Double>> A5 = [[1, 1, 0, 0, 0.5], [0, 1, 1, 0, 0], [0, 0, 1, 1, 0], [0.5, 0, 0, 1, 1], [1, 0, 0, 0, 1]]*.collect { it as double }

    @Shared Tensor signals = Tensor.randn(21, 5, 5, 2)
    @Shared Tensor other = Tensor.randn(22, 3, 5, 2)
    @Shared Tensor images = Tensor.randn(23, 4, 3, 2, 2)

    static Map<String, List> models() {
        [
            'aggregate (5-node weighted graph), GNTK-style MLP, GAP'  : [serial(dense(C, bStd: 0.1), relu(), aggregate(pattern: A5), dense(C, wStd: 1.2), erf(),
                                                                          globalAvgPool(), dense(M)), 'signals'],
            'dotGeneral (3x2 matrix on axis 1 of images), flatten'  : [serial(conv(C, filter: [2, 2], padding: 'SAME', bStd: 0.2),
                                                                          dotGeneral(rhs: [[1, 0.5], [-1, 2], [0.3, 0]], axis: 1), relu(), flatten(), dense(M)), 'images'],
            'index (reversed stride-2 slice), dense, GAP'           : [serial(conv(C, filter: [2], padding: 'SAME', bStd: 0.2), relu(),
                                                                          index(axis: 1, start: -1, stop: 0, step: -2), dense(C), relu(), globalAvgPool(), dense(M)), 'signals'],
        ]
    }

    @Unroll
    def "#name: analytic NNGP and NTK within 5 SE + 8/channels of seed-averaged finite networks"() {
        given:
        Layer net = spec[0]
        Tensor input = this."${spec[1]}"
        Kernel k = net.kernel(input)

        when:
        def (double rN, double rT) = MonteCarloKernels.worstRatios(net, input, k, C)
        println "MC $name: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << models().keySet().toList()
        spec << models().values().toList()
    }

    static double relDiff(Tensor a, Tensor b) {
        assert a.sameShape(b): "${a.shapeString()} vs ${b.shapeString()}"
        a.sub(b).maxAbs() / Math.max(b.maxAbs(), 1e-300)
    }

    @Unroll
    def "linear layer #name: its rule on the input kernel = the input kernel of the transformed inputs (1e-14), x2 = x1 and x2 given"() {
        given:
        Tensor x = this."$data"
        Tensor y = data == 'signals' ? other : images.mul(0.5)
        Layer layer = l
        Kernel viaRule = layer.kernel(Kernel.fromInputs(x, null))
        Kernel viaInputs = Kernel.fromInputs(layer.apply([:], x), null)
        Kernel crossRule = layer.kernel(Kernel.fromInputs(x, y))
        Kernel crossInputs = Kernel.fromInputs(layer.apply([:], x), layer.apply([:], y))

        expect:
        viaRule.spatial() == viaInputs.spatial()
        relDiff(viaRule.nngp(), viaInputs.nngp()) <= 1e-14
        relDiff(viaRule.cov1(), viaInputs.cov1()) <= 1e-14
        relDiff(crossRule.nngp(), crossInputs.nngp()) <= 1e-14
        relDiff(crossRule.cov2(), crossInputs.cov2()) <= 1e-14

        where:
        name                                   | l                                                               | data
        'aggregate pattern'                    | aggregate(pattern: A5)                                          | 'signals'
        'aggregate edges (repeats add)'        | aggregate(edges: [[0, 1], [1, 2], [1, 2], [4, 0], [-1, 3]])      | 'signals'
        'aggregate on 2-D nodes (X, X) pattern' | aggregate(pattern: Tensor.randn(5, 3, 2, 3, 2))                | 'images'
        'dotGeneral number'                    | dotGeneral(rhs: -1.5)                                           | 'signals'
        'dotGeneral vector (axis removed)'     | dotGeneral(rhs: [1, -1], axis: -2)                              | 'images'
        'dotGeneral matrix axis 1'             | dotGeneral(rhs: [[1, 0.5], [-1, 2], [0.3, 0]], axis: 1)         | 'images'
        'index slice'                          | index(axis: 1, start: 1, step: 2)                               | 'signals'
        'index at (axis removed)'              | index(axis: -2, at: -1)                                         | 'images'
        'index reversed'                       | index(axis: 1, step: -1)                                        | 'images'
    }

    def "forward passes written out with loops (exact): x A on nodes, x M on an axis, vector contraction, slices"() {
        given:
        def agg = aggregate(pattern: A5).apply([:], signals)
        def mat = dotGeneral(rhs: [[1, 0.5], [-1, 2], [0.3, 0]], axis: 1).apply([:], images)
        def vec = dotGeneral(rhs: [2, -1], axis: 2).apply([:], images)
        def sl = index(axis: 1, start: -1, stop: 0, step: -2).apply([:], signals)
        def at = index(axis: 2, at: 1).apply([:], images)
        double[][] m = [[1, 0.5], [-1, 2], [0.3, 0]]
        double worst = 0
        for (int n = 0; n < 5; n++) for (int c = 0; c < 2; c++) {
            for (int j = 0; j < 5; j++) {
                double s = 0
                for (int i = 0; i < 5; i++) s += A5[i][j] * signals.get(n, i, c)
                worst = Math.max(worst, Math.abs(agg.get(n, j, c) - s))
            }
        }
        for (int n = 0; n < 4; n++) for (int w = 0; w < 2; w++) for (int c = 0; c < 2; c++) {
            for (int j = 0; j < 2; j++) {
                double s = 0
                for (int i = 0; i < 3; i++) s += images.get(n, i, w, c) * m[i][j]
                worst = Math.max(worst, Math.abs(mat.get(n, j, w, c) - s))
            }
        }
        for (int n = 0; n < 4; n++) for (int h = 0; h < 3; h++) for (int c = 0; c < 2; c++) {
            worst = Math.max(worst, Math.abs(vec.get(n, h, c) - (2 * images.get(n, h, 0, c) - images.get(n, h, 1, c))))
        }

        expect:
        worst <= 1e-15
        agg.shape() == [5, 5, 2] as int[]
        mat.shape() == [4, 2, 2, 2] as int[]
        vec.shape() == [4, 3, 2] as int[]
        sl.shape() == [5, 2, 2] as int[]
        (0..<5).every { n -> (0..<2).every { c -> sl.get(n, 0, c) == signals.get(n, 4, c) && sl.get(n, 1, c) == signals.get(n, 2, c) } }
        at.shape() == [4, 3, 2] as int[]
        (0..<4).every { n -> (0..<3).every { h -> (0..<2).every { c -> at.get(n, h, c) == images.get(n, h, 1, c) } } }
    }

    @Unroll
    def "index follows Python slices: size #size, start #start, stop #stop, step #step -> #want"() {
        expect:
        index(axis: 1, start: start, stop: stop, step: step).selected(size) as List == want

        where:
        size | start | stop | step || want
        5    | null  | null | null || [0, 1, 2, 3, 4]
        5    | -1    | 0    | -2   || [4, 2]
        5    | 1     | null | 2    || [1, 3]
        5    | null  | -1   | null || [0, 1, 2, 3]
        5    | null  | null | -1   || [4, 3, 2, 1, 0]
        5    | -7    | 99   | 3    || [0, 3]
        5    | 3     | -9   | -1   || [3, 2, 1, 0]
    }

    def "aggregate's rule written out on a deep prefix (nngp and ntk, 1e-14): K'[j, j'] = sum A[i, j] A[i', j'] K[i, i']"() {
        given:
        def first = serial(conv(3, filter: [2], padding: 'SAME', bStd: 0.1), tanh(), dense(3, bStd: 0.3))
        def kin = first.kernel(signals, other)
        def k = serial(first, aggregate(pattern: A5)).kernel(signals, other)
        double worst = 0
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) for (int j = 0; j < 5; j++) for (int j2 = 0; j2 < 5; j2++) {
            double sn = 0, st = 0
            for (int i = 0; i < 5; i++) for (int i2 = 0; i2 < 5; i2++) {
                sn += A5[i][j] * A5[i2][j2] * kin.nngp().get(a, b, i, i2)
                st += A5[i][j] * A5[i2][j2] * kin.ntk().get(a, b, i, i2)
            }
            worst = Math.max(worst, Math.abs(k.nngp().get(a, b, j, j2) - sn) + Math.abs(k.ntk().get(a, b, j, j2) - st))
        }

        expect:
        worst <= 1e-14 * k.ntk().maxAbs()
    }

    def "diagonal layout = full for index and a number (1e-14); aggregate and a matrix refuse it in one line; gradients (1e-6)"() {
        given:
        def deep = serial(conv(3, filter: [2, 2], padding: 'SAME'), relu(), index(axis: 1, start: 1), dotGeneral(rhs: 0.7), conv(2, filter: [2, 1]),
                erf(), index(axis: -2, at: 0), flatten(), dense(1))
        def kd = deep.kernel([diagonalSpatial: true], images)
        def kf = deep.kernel([diagonalSpatial: false], images)

        expect:
        relDiff(kd.ntk(), kf.ntk()) <= 1e-14
        relDiff(kd.nngp(), kf.nngp()) <= 1e-14
        LayerGradientSpec.gradError(serial(dense(3), tanh(), aggregate(pattern: A5), sin(), flatten(), dense(1)), [2, 5, 2] as int[]) <= 1e-6
        LayerGradientSpec.gradError(serial(conv(2, filter: [2, 2]), tanh(), dotGeneral(rhs: [[1, 2], [3, -1]], axis: 1), dotGeneral(rhs: [0.5, 1], axis: 2),
                index(axis: 1, step: -1), sin(), flatten(), dense(1)), [2, 3, 3, 2] as int[]) <= 1e-6

        when:
        serial(conv(2, filter: [2]), aggregate(pattern: A5.take(4)*.take(4)), flatten(), dense(1)).kernel([diagonalSpatial: true], signals)
        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith('diagonalSpatial: true is not exact')

        when:
        index(axis: -1, at: 0).outputShape([5, 2] as int[])
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('channel axis')

        when:
        aggregate(pattern: [[1, 0], [0, 1]]).outputShape([5, 2] as int[])
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('does not fit 5 nodes')
    }
}
