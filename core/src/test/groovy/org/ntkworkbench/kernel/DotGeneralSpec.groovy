package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.model.ModelExtensions
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.LayerGradientSpec
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * {@code dotGeneral} in neural-tangents' general form (session 5): jax's {@code dot_general} with a constant rhs or lhs,
 * several contracting axes and batch axes. Forward passes written out with loops; the rule on input kernels = the input
 * kernel of the transformed inputs; Monte Carlo against 16 seed-averaged finite networks (5 SE + 8/channels); gradients
 * against central differences; structured empirical NTK = Jacobian contraction; the general form = the short forms;
 * masks (nt's {@code ~dot(~mask)}, index's {@code mask[idx]}, aggregate's kept mask): masked kernels = kernels of the
 * masked forward pass, padded + masked = trimmed; one-line refusals.
 */
class DotGeneralSpec extends Specification {
    static final int C = 256, M = 64

    @Shared Tensor images = Tensor.randn(41, 4, 3, 2, 2)
    @Shared Tensor other = Tensor.randn(42, 3, 3, 2, 2)
    /** T[w, h, t]: batch over W (input axis 2 with T axis 0), contract H (input axis 1 with T axis 1), free t. */
    @Shared Tensor t3 = Tensor.randn(43, 2, 3, 4)
    @Shared Tensor flip = Tensor.of([0, 1, 0.5, 1, 0, -1, 2, 0, 0, 0.3, 1, 1] as double[], 4, 3)

    static Map<String, Object> cases(Tensor t3, Tensor flip) {
        [
            'rhs, batch W + contract H, free t'   : dotGeneral(rhs: t3, dimensionNumbers: [[[1], [1]], [[2], [0]]]),
            'lhs (4 x 3) contracting H'           : dotGeneral(lhs: flip, dimensionNumbers: [[[1], [1]], [[], []]]),
            'rhs contracting both spatial axes'   : dotGeneral(rhs: Tensor.of([1, -2, 0.5, 1, 3, 0] as double[], 3, 2), dimensionNumbers: [[[1, 2], [0, 1]], [[], []]]),
            'outer product (no contraction)'      : dotGeneral(rhs: [2, -1], dimensionNumbers: [[[], []], [[], []]]),
            'lhs with batch (negative axes)'      : dotGeneral(lhs: t3, dimensionNumbers: [[[-2], [-3]], [[0], [-2]]]),
        ]
    }

    static double relDiff(Tensor a, Tensor b) {
        assert a.sameShape(b): "${a.shapeString()} vs ${b.shapeString()}"
        a.sub(b).maxAbs() / Math.max(b.maxAbs(), 1e-300)
    }

    def "forward passes written out with loops (1e-15): jax's output axes, examples first and channels last"() {
        given:
        def c = cases(t3, flip)
        def a = c['rhs, batch W + contract H, free t'].apply([:], images)
        def b = c['lhs (4 x 3) contracting H'].apply([:], images)
        def s = c['rhs contracting both spatial axes'].apply([:], images)
        def o = c['outer product (no contraction)'].apply([:], images)
        def l = c['lhs with batch (negative axes)'].apply([:], images)
        double[][] v = [[1, -2], [0.5, 1], [3, 0]]
        double worst = 0
        for (int e = 0; e < 4; e++) for (int ch = 0; ch < 2; ch++) {
            double ss = 0
            for (int h = 0; h < 3; h++) for (int w = 0; w < 2; w++) ss += images.get(e, h, w, ch) * v[h][w]
            worst = Math.max(worst, Math.abs(s.get(e, ch) - ss))
            for (int w = 0; w < 2; w++) for (int t = 0; t < 4; t++) {
                double sa = 0, sb = 0
                for (int h = 0; h < 3; h++) {
                    sa += images.get(e, h, w, ch) * t3.get(w, h, t)
                    sb += flip.get(t, h) * images.get(e, h, w, ch)
                }
                worst = Math.max(worst, Math.abs(a.get(e, w, t, ch) - sa) + Math.abs(b.get(e, t, w, ch) - sb))
                // lhs T[w, h, t] batch T axis 0 with input axis 2 (W), contract T axis 1 with input axis 1 (H): out (W, t)
                worst = Math.max(worst, Math.abs(l.get(e, w, t, ch) - sa))
            }
            for (int h = 0; h < 3; h++) for (int w = 0; w < 2; w++) {
                worst = Math.max(worst, Math.abs(o.get(e, h, w, 0, ch) - 2 * images.get(e, h, w, ch)) + Math.abs(o.get(e, h, w, 1, ch) + images.get(e, h, w, ch)))
            }
        }

        expect:
        worst <= 1e-15
        a.shape() == [4, 2, 4, 2] as int[]
        b.shape() == [4, 4, 2, 2] as int[]
        s.shape() == [4, 2] as int[]
        o.shape() == [4, 3, 2, 2, 2] as int[]
        l.shape() == [4, 2, 4, 2] as int[]
    }

    @Unroll
    def "#name: the rule on input kernels = the input kernel of the transformed inputs (1e-14), x2 = x1 and x2 given"() {
        given:
        def layer = cases(t3, flip)[name]
        Kernel viaRule = layer.kernel(Kernel.fromInputs(images, null))
        Kernel viaInputs = Kernel.fromInputs(layer.apply([:], images), null)
        Kernel crossRule = layer.kernel(Kernel.fromInputs(images, other))
        Kernel crossInputs = Kernel.fromInputs(layer.apply([:], images), layer.apply([:], other))

        expect:
        viaRule.spatial() == viaInputs.spatial()
        relDiff(viaRule.nngp(), viaInputs.nngp()) <= 1e-14
        relDiff(viaRule.cov1(), viaInputs.cov1()) <= 1e-14
        relDiff(crossRule.nngp(), crossInputs.nngp()) <= 1e-14
        relDiff(crossRule.cov2(), crossInputs.cov2()) <= 1e-14

        where:
        name << cases(Tensor.randn(43, 2, 3, 4), Tensor.randn(44, 4, 3)).keySet().toList()
    }

    def "Monte Carlo: conv -> dotGeneral (batch + contract, rhs) -> relu -> dotGeneral (lhs) -> flatten, within 5 SE + 8/channels of 16 finite nets"() {
        given:
        Layer net = serial(conv(C, filter: [2, 2], padding: 'SAME', bStd: 0.2), dotGeneral(rhs: t3, dimensionNumbers: [[[1], [1]], [[2], [0]]]),
                relu(), dotGeneral(lhs: Tensor.of([1, -1, 0.5, 0.2, 0, 1, 0.7, 0] as double[], 2, 4), dimensionNumbers: [[[1], [2]], [[], []]]), flatten(), dense(M))
        Kernel k = net.kernel(images)

        when:
        def (double rN, double rT) = MonteCarloKernels.worstRatios(net, images, k, C)
        println "MC dotGeneral general: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1
    }

    def "gradients against central differences (1e-6); structured empirical NTK = Jacobian contraction (1e-12); general = short forms"() {
        given:
        Layer net = serial(conv(3, filter: [2, 2], padding: 'SAME'), tanh(), dotGeneral(rhs: t3, dimensionNumbers: [[[1], [1]], [[2], [0]]]),
                sin(), dotGeneral(lhs: flip.rowRange(0, 2).reshape(2, 3).with { Tensor.of(it.data()[0..<4] as double[], 2, 2) },
                dimensionNumbers: [[[1], [1]], [[], []]]), flatten(), dense(2))
        def p = net.init(5, 3, 2, 2)
        Tensor s = ModelExtensions.empiricalNtk(net, [method: 'structured'], p, images, other)
        Tensor j = ModelExtensions.empiricalNtk(net, [method: 'jacobian'], p, images, other)
        Tensor sig = Tensor.randn(45, 3, 5, 2)
        def shortVec = dotGeneral(rhs: [1, -2, 0.5, 0, 1], axis: 1)
        def longVec = dotGeneral(rhs: [1, -2, 0.5, 0, 1], dimensionNumbers: [[[1], [0]], [[], []]])
        def shortMat = dotGeneral(rhs: [[1, 0.5], [-1, 2], [0.3, 0], [1, 1], [0, 2]], axis: 1)
        def longMat = dotGeneral(rhs: [[1, 0.5], [-1, 2], [0.3, 0], [1, 1], [0, 2]], dimensionNumbers: [[[1], [0]], [[], []]])
        def scalar = dotGeneral(rhs: -1.5, dimensionNumbers: [[[], []], [[], []]])

        expect:
        LayerGradientSpec.gradError(net, [2, 3, 2, 2] as int[]) <= 1e-6
        relDiff(s, j) <= 1e-12
        relDiff(longVec.kernel(Kernel.fromInputs(sig, null)).nngp(), shortVec.kernel(Kernel.fromInputs(sig, null)).nngp()) <= 1e-15
        relDiff(longMat.kernel(Kernel.fromInputs(sig, null)).nngp(), shortMat.kernel(Kernel.fromInputs(sig, null)).nngp()) <= 1e-15
        relDiff(scalar.kernel(Kernel.fromInputs(sig, null)).nngp(), Kernel.fromInputs(sig, null).nngp().mul(2.25)) <= 1e-15
        relDiff(scalar.apply([:], sig), sig.mul(-1.5)) == 0
    }

    @Unroll
    def "masks, #name: the masked kernel = the input kernel of the masked forward pass (1e-14), x2 = x1 and x2 given"() {
        given: 'sequences with NaN-padded positions (the last 2 of example 0, the last of example 2, none of example 1)'
        Tensor x = padded(Tensor.randn(46, 3, 5, 2), [[0, 3], [0, 4]])
        Tensor y = padded(Tensor.randn(47, 2, 5, 2), [[1, 1]])
        Map opts = pattern == null ? [maskConstant: Double.NaN] : [maskConstant: Double.NaN, pattern: [pattern.rowRange(0, 3), pattern.rowRange(3, 5)]]
        Kernel same = layer.kernel(pattern == null ? [maskConstant: Double.NaN] : [maskConstant: Double.NaN, pattern: pattern.rowRange(0, 3)], x)
        Kernel cross = layer.kernel(opts, x, y)
        Tensor fx = layer.apply(pattern == null ? [maskConstant: Double.NaN] : [maskConstant: Double.NaN, pattern: pattern.rowRange(0, 3)], [:], x)
        Tensor fy = layer.apply(pattern == null ? [maskConstant: Double.NaN] : [maskConstant: Double.NaN, pattern: pattern.rowRange(3, 5)], [:], y)

        expect:
        relDiff(same.nngp(), Kernel.fromInputs(fx, null).nngp()) <= 1e-14
        relDiff(cross.nngp(), Kernel.fromInputs(fx, fy).nngp()) <= 1e-14
        (same.mask1() == null) == noMaskLeft

        where:
        name                                  | layer                                                                  | pattern                      | noMaskLeft
        'dotGeneral vector over positions'    | dotGeneral(rhs: [1, -1, 2, 0, 1], dimensionNumbers: [[[1], [0]], [[], []]]) | null                   | false
        'dotGeneral lhs mixing 2 positions'   | dotGeneral(lhs: [[1, 0, 0, 0, 0], [0, 0, 0, 1, 1]], dimensionNumbers: [[[1], [1]], [[], []]]) | null | false
        'dotGeneral number 0'                 | dotGeneral(rhs: 0)                                                     | null                         | false
        'index reversed stride 2'             | index(axis: 1, step: -2)                                               | null                         | false
        'aggregate(pattern:)'                 | aggregate(pattern: Tensor.randn(48, 5, 5))                             | null                         | false
        'aggregate() per example'             | aggregate()                                                            | Tensor.randn(49, 5, 5, 5)    | false
    }

    static Tensor padded(Tensor x, List<List<Integer>> pads) {
        double[] d = x.data().clone()
        int q = x.dim(1), c = x.dim(2)
        for (List<Integer> p : pads) for (int i = p[1]; i < q; i++) for (int ch = 0; ch < c; ch++) d[(p[0] * q + i) * c + ch] = Double.NaN
        Tensor.of(d, x.shape())
    }

    def "mask rules (nt's ~dot(~mask), mask[idx]): an output position is masked when every position it reads is"() {
        given:
        Tensor m = Tensor.of([0, 1, 1, 0, 0] as double[], 1, 5)

        expect:
        dotGeneral(lhs: [[1, 0, 0, 0, 0], [0, 1, 1, 0, 0], [0, 1, 0, 1, 0], [0, 0, 0, 0, 0]], dimensionNumbers: [[[1], [1]], [[], []]])
                .outputMask(m).data() as List == [0, 1, 0, 1]
        index(axis: 1, start: 1, stop: 4).outputMask(m).data() as List == [1, 1, 0]
        aggregate(pattern: Tensor.randn(50, 5, 5)).outputMask(m).data() as List == [0, 1, 1, 0, 0]
        dotGeneral(rhs: [1, 1, 0, 0, 0], axis: 1).outputMask(m).data() as List == [0]
        dotGeneral(rhs: [0, 1, 1, 0, 0], axis: 1).outputMask(m).data() as List == [1]
    }

    def "padded + masked = trimmed through index (reversal moves the padding to the front; 1e-14)"() {
        given:
        Layer net = serial(conv(3, filter: [3], padding: 'SAME', bStd: 0.1), relu(), index(axis: 1, step: -1), conv(3, filter: [3], padding: 'SAME'),
                erf(), globalAvgPool(), dense(1))
        Tensor full = Tensor.randn(51, 2, 6, 2)
        Tensor trimmed = Tensor.of(full.rowRange(1, 2).data()[0..<8] as double[], 1, 4, 2)
        Tensor batch = padded(full, [[1, 4]])
        Kernel k = net.kernel([maskConstant: Double.NaN], batch)
        Kernel t = net.kernel(trimmed)

        expect:
        Math.abs(k.ntk().get(1, 1) - t.ntk().get(0, 0)) <= 1e-14 * t.ntk().get(0, 0)
        Math.abs(k.nngp().get(1, 1) - t.nngp().get(0, 0)) <= 1e-14 * t.nngp().get(0, 0)
    }

    def "one-line refusals: channel axis, example axis, sizes that do not pair, an axis named twice, malformed dimensionNumbers"() {
        when:
        dotGeneral(rhs: [1, 2], dimensionNumbers: [[[-1], [0]], [[], []]]).outputShape([3, 2] as int[])
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('channel axis') && !e.message.contains('\n')

        when:
        dotGeneral(rhs: [1, 2, 3, 4], dimensionNumbers: [[[0], [0]], [[], []]]).outputShape([3, 2] as int[])
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('example axis')

        when:
        dotGeneral(rhs: [1, 2], dimensionNumbers: [[[1], [0]], [[], []]]).outputShape([3, 2] as int[])
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('is paired with axis 0 of size 2')

        when:
        dotGeneral(rhs: Tensor.randn(1, 3, 3), dimensionNumbers: [[[1], [0]], [[1], [1]]]).outputShape([3, 2] as int[])
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('names an axis twice')

        when:
        dotGeneral(rhs: [1, 2], dimensionNumbers: [[1], [0]])
        then:
        e = thrown(IllegalArgumentException)
        e.message.startsWith('dotGeneral dimensionNumbers: needs')

        when:
        dotGeneral(lhs: [1, 2])
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('needs dimensionNumbers')
    }
}
