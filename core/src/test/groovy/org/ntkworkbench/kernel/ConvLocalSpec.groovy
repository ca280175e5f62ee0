package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.model.empirical.EmpiricalNtk
import org.ntkworkbench.model.empirical.NtkMethod
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.LayerGradientSpec
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * {@code convLocal} (unshared filters): Monte Carlo against finite networks (16 seeds, 5 SE + 8/channels; a GAP
 * readout reads the off-diagonal position pairs, which must be 0), the forward pass written out with loops, the
 * rule = the conv's on same-position pairs, gradients against central differences, empirical NTK methods.
 */
class ConvLocalSpec extends Specification {
    static final int C = 256, M = 64

    @Shared Tensor signals = Tensor.randn(12, 3, 6, 2)
    @Shared Tensor images = Tensor.randn(13, 2, 3, 4, 2)

    static Map<String, List> models() {
        [
            '1-D SAME, then conv, GAP'      : [serial(convLocal(C, filter: [3], padding: 'SAME', wStd: 1.3, bStd: 0.2), relu(),
                                                      conv(C, filter: [3], padding: 'CIRCULAR'), relu(), globalAvgPool(), dense(M)), 'signals'],
            '2-D VALID standard, flatten'   : [serial(convLocal(C, filter: [2, 2], wStd: 1.2, bStd: 0.3, parameterization: 'standard'), erf(),
                                                      flatten(), dense(M)), 'images'],
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
        println "MC convLocal $name: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << models().keySet().toList()
        spec << models().values().toList()
    }

    def "forward pass written out: z[p, o] = (wStd/sqrt(F inC)) sum_f,c h[p + f - pad, c] W[p, f, c, o] + bStd b[p, o]"() {
        given:
        def layer = convLocal(3, filter: [3], padding: 'SAME', wStd: 1.3, bStd: 0.4)
        def p = layer.init(5, 6, 2)
        def y = layer.apply(p, signals)
        def w = p['W'], b = p['b']
        double worst = 0
        for (int i = 0; i < 3; i++) for (int q = 0; q < 6; q++) for (int o = 0; o < 3; o++) {
            double z = 0
            for (int f = 0; f < 3; f++) for (int c = 0; c < 2; c++) {
                int src = q + f - 1
                if (src >= 0 && src < 6) z += signals.get(i, src, c) * w.get(q, f, c, o)
            }
            z = 1.3 / Math.sqrt(6) * z + 0.4 * b.get(q, o)
            worst = Math.max(worst, Math.abs(y.get(i, q, o) - z))
        }

        expect:
        w.shape() == [6, 3, 2, 3] as int[]
        b.shape() == [6, 3] as int[]
        worst <= 1e-14
    }

    def "the rule: the conv's same-position pairs, zero elsewhere (before any activation); GAP readout = flatten / P; diagonal layout = full"() {
        given:
        def first = serial(conv(3, filter: [2], padding: 'SAME'), relu())
        def local = serial(first, convLocal(3, filter: [3], padding: 'CIRCULAR', wStd: 1.3, bStd: 0.2))
        def shared = serial(first, conv(3, filter: [3], padding: 'CIRCULAR', wStd: 1.3, bStd: 0.2))
        def kl = local.kernel(signals), ks = shared.kernel(signals)
        boolean ok = true
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int a = 0; a < 6; a++) for (int c = 0; c < 6; c++) {
            ok &= a == c ? kl.ntk().get(i, j, a, c) == ks.ntk().get(i, j, a, c) && kl.nngp().get(i, j, a, c) == ks.nngp().get(i, j, a, c)
                    : kl.ntk().get(i, j, a, c) == 0 && kl.nngp().get(i, j, a, c) == 0
        }
        def gap = serial(local, globalAvgPool()).kernel(signals).ntk()
        def flat = serial(local, flatten()).kernel(signals).ntk()
        def deep = serial(local, relu(), convLocal(3, filter: [2], strides: [2]), tanh(), flatten(), dense(1))

        expect:
        ok
        gap.sub(flat.mul(1 / 6d)).maxAbs() <= 1e-15 * flat.maxAbs()
        deep.kernel([diagonalSpatial: true], signals).ntk().sub(deep.kernel([diagonalSpatial: false], signals).ntk()).maxAbs() <= 1e-14
    }

    def "gradients match central differences (1e-6); empirical NTK methods agree (1e-10)"() {
        expect:
        LayerGradientSpec.gradError(serial(convLocal(2, filter: [2, 2], strides: [1, 2], padding: 'SAME', bStd: 0.3), tanh(), flatten(), dense(1)), [2, 3, 4, 2] as int[]) <= 1e-6
        LayerGradientSpec.gradError(serial(convLocal(2, filter: [2], bStd: 0.3, parameterization: 'standard'), tanh(), flatten(), dense(1)), [2, 5, 2] as int[]) <= 1e-6

        when:
        def net = serial(conv(3, filter: [2]), relu(), convLocal(2, filter: [2], bStd: 0.2), flatten(), dense(2))
        def p = net.init(1, 5, 2)
        def x = Tensor.randn(3, 4, 5, 2)
        def ref = EmpiricalNtk.ntk(net, p, x, null, NtkMethod.JACOBIAN_CONTRACTION, true)
        then:
        [NtkMethod.NTK_VECTOR_PRODUCTS, NtkMethod.AUTO].every { m -> EmpiricalNtk.ntk(net, p, x, null, m, true).sub(ref).maxAbs() <= 1e-10 * ref.maxAbs() }
    }
}
