package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import groovy.transform.CompileStatic
import org.ntkworkbench.model.empirical.EmpiricalNtk
import org.ntkworkbench.model.empirical.NtkMethod
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.LayerGradientSpec
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * {@code convTranspose}: Monte Carlo against finite networks (16 seeds, 5 SE + 8/channels), the forward pass and the
 * kernel rule written out from the scatter form of {@code lax.conv_transpose} (input i, tap k lands on output
 * {@code i·s + a − k}: VALID {@code a = f − 1}; SAME {@code a = f − 1} if {@code s > f − 1} else {@code ⌈(f + s − 2)/2⌉};
 * CIRCULAR: SAME wrapped modulo {@code L·s}), a hand example, diagonal layout = full, gradients against central
 * differences, empirical NTK methods (the structured one reads its trace).
 */
class ConvTransposeSpec extends Specification {
    static final int C = 256, M = 64

    @Shared Tensor signals = Tensor.randn(12, 3, 4, 2)
    @Shared Tensor images = Tensor.randn(13, 2, 3, 2, 2)

    static Map<String, List> models() {
        [
            '1-D SAME stride 2, GAP'                : [serial(convTranspose(C, filter: [3], strides: [2], padding: 'SAME', wStd: 1.3, bStd: 0.2), relu(),
                                                              globalAvgPool(), dense(M)), 'signals'],
            '2-D CIRCULAR strides [2,1] standard, flatten': [serial(convTranspose(C, filter: [3, 2], strides: [2, 1], padding: 'CIRCULAR', wStd: 1.2, bStd: 0.3,
                                                              parameterization: 'standard'), erf(), flatten(), dense(M)), 'images'],
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
        println "MC convTranspose $name: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << models().keySet().toList()
        spec << models().values().toList()
    }

    /** Output length of the scatter form. */
    static int outLen(int l, int f, int s, String pad) {
        pad == 'VALID' ? l * s + Math.max(f - s, 0) : l * s
    }

    /** The output position input i and tap k land on, or -1 (the scatter form of lax.conv_transpose, written out). */
    @CompileStatic
    static int lands(int i, int k, int l, int f, int s, String pad) {
        int a = pad == 'VALID' || s > f - 1 ? f - 1 : (int) Math.ceil((f + s - 2) / 2.0d)
        int o = i * s + a - k
        int out = outLen(l, f, s, pad)
        if (pad == 'CIRCULAR') return Math.floorMod(o, out)
        o >= 0 && o < out ? o : -1
    }

    def "hand example: VALID, x = [1, 2], W = [w0, w1], stride 2 gives [x0 w1, x0 w0, x1 w1, x1 w0]"() {
        given:
        def layer = convTranspose(1, filter: [2], strides: [2])
        def p = [W: Tensor.of([0.5d, -3d] as double[], 2, 1, 1)]
        def y = layer.apply(p, Tensor.of([1d, 2d] as double[], 1, 2, 1))

        expect:
        y.shape() == [1, 4, 1] as int[]
        y.data() == ([1 * -3d, 1 * 0.5d, 2 * -3d, 2 * 0.5d].collect { it / Math.sqrt(2) } as double[])
    }

    @Unroll
    def "forward pass = the scatter written out (1-D #pad, filter #f, stride #s): 1e-14"() {
        given:
        def layer = convTranspose(3, filter: [f], strides: [s], padding: pad, wStd: 1.3, bStd: 0.4)
        def p = layer.init(5, 4, 2)
        def y = layer.apply(p, signals)
        def w = p['W'], b = p['b']
        int out = outLen(4, f, s, pad)
        double[][][] z = new double[3][out][3]
        for (int n = 0; n < 3; n++) for (int i = 0; i < 4; i++) for (int k = 0; k < f; k++) {
            int o = lands(i, k, 4, f, s, pad)
            if (o < 0) continue
            for (int c = 0; c < 2; c++) for (int d = 0; d < 3; d++) z[n][o][d] += 1.3 / Math.sqrt(f * 2) * signals.get(n, i, c) * w.get(k, c, d)
        }
        double worst = 0
        for (int n = 0; n < 3; n++) for (int o = 0; o < out; o++) for (int d = 0; d < 3; d++) {
            worst = Math.max(worst, Math.abs(y.get(n, o, d) - z[n][o][d] - 0.4 * b.get(d)))
        }

        expect:
        y.shape() == [3, out, 3] as int[]
        worst <= 1e-14

        where:
        pad        | f | s
        'VALID'    | 3 | 2
        'VALID'    | 2 | 3
        'SAME'     | 3 | 2
        'SAME'     | 4 | 2
        'SAME'     | 2 | 3
        'CIRCULAR' | 3 | 2
        'CIRCULAR' | 5 | 1
        'CIRCULAR' | 4 | 3
    }

    @Unroll
    def "the rule written out with loops (1-D #pad, filter #f, stride #s): wStd² (1/f) Σ_k Σ_{i,i'} [lands(i,k)=o][lands(i',k)=o'] K[i,i'] + bStd², 1e-14"() {
        given:
        def first = serial(conv(3, filter: [2], padding: 'SAME', bStd: 0.1), tanh())
        def kin = first.kernel(signals)
        def k = serial(first, convTranspose(3, filter: [f], strides: [s], padding: pad, wStd: 1.3, bStd: 0.4)).kernel(signals)
        int out = outLen(4, f, s, pad)
        double worst = 0
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) for (int o = 0; o < out; o++) for (int o2 = 0; o2 < out; o2++) {
            double sn = 0, st = 0
            for (int kk = 0; kk < f; kk++) for (int i = 0; i < 4; i++) for (int i2 = 0; i2 < 4; i2++) {
                if (lands(i, kk, 4, f, s, pad) != o || lands(i2, kk, 4, f, s, pad) != o2) continue
                sn += kin.nngp().get(a, b, i, i2) / f
                st += kin.ntk().get(a, b, i, i2) / f
            }
            double nngp = 1.69 * sn + 0.16, ntk = 1.69 * st + nngp
            worst = Math.max(worst, Math.abs(k.nngp().get(a, b, o, o2) - nngp) + Math.abs(k.ntk().get(a, b, o, o2) - ntk))
        }

        expect:
        k.spatial() == [out] as int[]
        worst <= 1e-14 * k.ntk().maxAbs()

        where:
        pad        | f | s
        'VALID'    | 3 | 2
        'VALID'    | 2 | 3
        'SAME'     | 4 | 2
        'CIRCULAR' | 3 | 2
        'CIRCULAR' | 4 | 3
    }

    def "2-D: the rule is the product of the two axes' scatters (written out, 1e-14); diagonal layout = full (1e-14)"() {
        given:
        def kin = Kernel.fromInputs(images, null)
        def k = convTranspose(2, filter: [2, 3], strides: [2, 1], padding: 'SAME', wStd: 1.1).kernel(kin)
        double worst = 0
        for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) for (int o = 0; o < 6; o++) for (int o2 = 0; o2 < 6; o2++)
            for (int q = 0; q < 2; q++) for (int q2 = 0; q2 < 2; q2++) {
                double sn = 0
                for (int k1 = 0; k1 < 2; k1++) for (int k2 = 0; k2 < 3; k2++) for (int i = 0; i < 3; i++) for (int i2 = 0; i2 < 3; i2++)
                    for (int j = 0; j < 2; j++) for (int j2 = 0; j2 < 2; j2++) {
                        if (lands(i, k1, 3, 2, 2, 'SAME') == o && lands(i2, k1, 3, 2, 2, 'SAME') == o2
                                && lands(j, k2, 2, 3, 1, 'SAME') == q && lands(j2, k2, 2, 3, 1, 'SAME') == q2) {
                            sn += kin.nngp().get(a, b, i, i2, j, j2) / 6
                        }
                    }
                worst = Math.max(worst, Math.abs(k.nngp().get(a, b, o, o2, q, q2) - 1.21 * sn))
            }
        def deep = serial(convTranspose(3, filter: [3, 2], strides: [2, 2], padding: 'CIRCULAR', bStd: 0.2), relu(),
                convTranspose(2, filter: [2, 2], padding: 'VALID'), tanh(), flatten(), dense(1))
        def kd = deep.kernel([diagonalSpatial: true], images), kf = deep.kernel([diagonalSpatial: false], images)

        expect:
        worst <= 1e-14 * k.nngp().maxAbs()
        kd.ntk().sub(kf.ntk()).maxAbs() <= 1e-14 * kf.ntk().maxAbs()
        kd.nngp().sub(kf.nngp()).maxAbs() <= 1e-14 * kf.nngp().maxAbs()
    }

    def "gradients match central differences (1e-6); empirical NTK methods agree (1e-10); bad options refused in one line"() {
        expect:
        LayerGradientSpec.gradError(serial(convTranspose(2, filter: [2, 2], strides: [2, 1], padding: 'SAME', bStd: 0.3), tanh(), flatten(), dense(1)), [2, 2, 3, 2] as int[]) <= 1e-6
        LayerGradientSpec.gradError(serial(convTranspose(2, filter: [3], strides: [2], padding: 'CIRCULAR', bStd: 0.3, parameterization: 'standard'), tanh(), flatten(), dense(1)), [2, 3, 2] as int[]) <= 1e-6

        when:
        def net = serial(conv(3, filter: [2]), relu(), convTranspose(2, filter: [3], strides: [2], bStd: 0.2), flatten(), dense(2))
        def p = net.init(1, 5, 2)
        def x = Tensor.randn(3, 4, 5, 2)
        def ref = EmpiricalNtk.ntk(net, p, x, null, NtkMethod.JACOBIAN_CONTRACTION, true)
        then:
        [NtkMethod.NTK_VECTOR_PRODUCTS, NtkMethod.STRUCTURED_DERIVATIVES, NtkMethod.AUTO].every { m ->
            EmpiricalNtk.ntk(net, p, x, null, m, true).sub(ref).maxAbs() <= 1e-10 * ref.maxAbs() }

        when:
        convTranspose(2, filter: [2], wStd: 1, kernelSize: 3)
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains("convTranspose has no option 'kernelSize'")
    }
}
