package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import java.util.function.Function
import org.ntkworkbench.autodiff.GradCheck
import org.ntkworkbench.autodiff.Ops
import org.ntkworkbench.autodiff.Var
import org.ntkworkbench.nn.ApplyContext
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * Input masking (neural-tangents' {@code mask_constant}) and attention masks, proved three ways:
 * exactly (a padded, masked variable-length sequence or image gives the kernel of the same net on the trimmed
 * input, ≤ 1e-14), by Monte Carlo against finite networks whose forward pass applies the mask ({@code net.masked(c)};
 * 16 seeds, 5 SE + 8/width·max|K| as {@link LayerKernelMonteCarloSpec}) and by finite differences of the masked
 * forward pass.
 */
class MaskingSpec extends Specification {
    static final int C = 256, M = 64, SEEDS = 16
    static final Padding SAME = Padding.SAME

    /** Five sequences of 2 channels with lengths 6, 4, 4, 2, 7. */
    @Shared List<Tensor> seqs = [6, 4, 4, 2, 7].withIndex().collect { int len, int i -> Tensor.randn(40 + i, len, 2) }

    /** Sequences {@code (len, C)} padded to {@code length} with {@code c}: {@code (n, length, C)}. */
    static Tensor padded(List<Tensor> xs, int length, double c) {
        int ch = xs[0].dim(1)
        double[] d = new double[xs.size() * length * ch]
        Arrays.fill(d, c)
        xs.eachWithIndex { Tensor x, int i -> System.arraycopy(x.data(), 0, d, i * length * ch, x.size()) }
        Tensor.of(d, xs.size(), length, ch)
    }

    /** Images {@code (h, w, C)} placed at {@code (top, left)} of an {@code H×W} frame filled with {@code c}. */
    static Tensor framed(List<Tensor> xs, List<List<Integer>> at, int hh, int ww, double c) {
        int ch = xs[0].dim(2)
        double[] d = new double[xs.size() * hh * ww * ch]
        Arrays.fill(d, c)
        xs.eachWithIndex { Tensor x, int i ->
            int h = x.dim(0), w = x.dim(1), top = at[i][0], left = at[i][1]
            for (int r = 0; r < h; r++) for (int s = 0; s < w; s++) for (int k = 0; k < ch; k++)
                d[((i * hh + top + r) * ww + left + s) * ch + k] = x.get(r, s, k)
        }
        Tensor.of(d, xs.size(), hh, ww, ch)
    }

    static Tensor batch(Tensor x) { x.reshape(([1] + (x.shape() as List)) as int[]) }

    static double rel(double a, double b) { Math.abs(a - b) / Math.max(Math.abs(b), 1e-300) }

    static Map<String, Layer> sequenceNets() {
        [
            'conv SAME, relu, conv, erf, globalAvgPool, dense'   : serial(conv(6, [3] as int[], null, SAME, 1.3, 0.2), relu(),
                    conv(5, [3] as int[], null, SAME, 1.1, 0.1), erf(), globalAvgPool(), dense(3, 1.2, 0.1)),
            'conv, layerNorm over positions, relu, globalSumPool': serial(conv(4, [3] as int[], null, SAME, 1.0, 0.3),
                    layerNorm(axis: [1, -1]), relu(), globalSumPool(), dense(2, 0.9, 0.2)),
            'conv, layerNorm, gelu, dense on positions, GAP'     : serial(conv(4, [2] as int[], null, SAME, 1.0, 0.3), layerNorm(), gelu(),
                    dense(3, 1.1, 0.4), globalAvgPool()),
            'softmax attention (linear scaling), relu, GAP'      : serial(conv(4, [3] as int[], null, SAME, 1.3, 0.2),
                    globalSelfAttention(4, wKeyStd: 1.5, wOutStd: 1.2, bStd: 0.1), relu(), globalAvgPool(), dense(2)),
            'relu attention (linear scaling), erf, GAP'          : serial(conv(4, [3] as int[], null, SAME, 1.3, 0.2),
                    globalSelfAttention(4, attention: 'relu', bStd: 0.2), erf(), globalAvgPool(), dense(2)),
            'identity attention (1/sqrt d_k), GAP'               : serial(conv(4, [3] as int[], null, SAME, 1.0, 0.1),
                    globalSelfAttention(4, linearScaling: false, attention: 'identity', wQueryStd: 0.8, bStd: 0.3), globalAvgPool(), dense(2)),
            'convLocal SAME, relu, GAP (trimmed: its first positions)': serial(convLocal(3, filter: [3], padding: 'SAME', bStd: 0.2), relu(),
                    globalAvgPool(), dense(2)),
            'softmax attention, posEmb sum (decay 0.5, values too)': serial(conv(4, [3] as int[], null, SAME, 1.3, 0.2),
                    globalSelfAttention(4, posEmb: 'sum', posEmbDecay: 0.5, valPosEmb: true, wPosEmbStd: 1.2, bStd: 0.1), relu(), globalAvgPool(), dense(2)),
            'identity attention, posEmb concat (pNorm 1)'          : serial(conv(4, [3] as int[], null, SAME, 1.0, 0.1),
                    globalSelfAttention(4, linearScaling: false, attention: 'identity', posEmb: 'concat', posEmbChannels: 3, posEmbDecay: 0.3,
                            posEmbPNorm: 1, bStd: 0.2), globalAvgPool(), dense(2)),
        ]
    }

    @Unroll
    def "exact: #name on padded, masked sequences = the same net on the trimmed sequences (every pair, nngp and ntk)"() {
        given:
        Layer net = sequenceNets()[name]
        double c = constant
        Kernel k = net.kernel([maskConstant: c], padded(seqs, 8, c))
        double worst = 0

        when:
        // Pair (i, j) with len_i >= len_j: x_i trimmed (nothing to mask) against x_j padded to len_i, so that one side is
        // always the trimmed sequence; len_i = len_j is the plain kernel of the trimmed pair.
        for (int i = 0; i < seqs.size(); i++) {
            for (int j = 0; j < seqs.size(); j++) {
                int li = seqs[i].dim(0), lj = seqs[j].dim(0)
                if (li < lj) continue
                Kernel t = i == j ? net.kernel(batch(seqs[i])) : net.kernel([maskConstant: c], batch(seqs[i]), padded([seqs[j]], li, c))
                worst = [worst, rel(k.nngp().get(i, j), t.nngp().get(0, 0)), rel(k.ntk().get(i, j), t.ntk().get(0, 0)),
                         rel(k.nngp().get(j, i), t.nngp().get(0, 0))].max()
            }
        }
        println "masking exact (sequences) $name, constant $c: worst relative error $worst"

        then:
        worst <= 1e-14

        where:
        name << sequenceNets().keySet().toList()
        constant << [0.0d, Double.NaN, -7.0d, 0.0d, 0.0d, 0.0d, 0.0d, 0.0d, 0.0d]
    }

    def "exact: images in a masked border (conv SAME, relu, conv, GAP) = the same net on the trimmed images"() {
        given:
        def net = serial(conv(5, [3, 3] as int[], null, SAME, 1.2, 0.2), relu(), conv(4, [3, 2] as int[], null, SAME, 1.0, 0.1), erf(),
                globalAvgPool(), dense(2, 1.1, 0.1))
        List<Tensor> ims = [[4, 5], [3, 3], [4, 4], [2, 3]].withIndex().collect { List<Integer> s, int i -> Tensor.randn(60 + i, s[0], s[1], 2) }
        def k = net.kernel([maskConstant: 0.0d], framed(ims, [[1, 1], [0, 2], [2, 0], [3, 2]], 6, 6, 0))
        double worst = 0

        when:
        for (int i = 0; i < ims.size(); i++) {
            for (int j = 0; j < ims.size(); j++) {
                int hi = ims[i].dim(0), wi = ims[i].dim(1)
                if (ims[j].dim(0) > hi || ims[j].dim(1) > wi) continue
                Kernel t = i == j ? net.kernel(batch(ims[i])) : net.kernel([maskConstant: 0.0d], batch(ims[i]),
                        framed([ims[j]], [[hi - ims[j].dim(0), 0]], hi, wi, 0))
                worst = [worst, rel(k.nngp().get(i, j), t.nngp().get(0, 0)), rel(k.ntk().get(i, j), t.ntk().get(0, 0))].max()
            }
        }
        println "masking exact (images in a border): worst relative error $worst"

        then:
        worst <= 1e-14
    }

    def "the diagonal spatial layout (conv, relu, conv, flatten readout) gives the full layout's masked kernel"() {
        given:
        def net = serial(conv(5, [3] as int[], null, SAME, 1.2, 0.2), relu(), conv(4, [2] as int[], null, SAME, 1.0, 0.1), erf(), flatten(),
                dense(2, 1.0, 0.1))
        def x = padded(seqs, 8, 0)
        def y = padded(seqs[1..3], 8, 0)

        when:
        def d = net.kernel([maskConstant: 0, diagonalSpatial: true], x, y)
        def f = net.kernel([maskConstant: 0, diagonalSpatial: false], x, y)
        def auto = net.kernel([maskConstant: 0], x)

        then:
        d.ntk().sub(f.ntk()).maxAbs() <= 1e-14 * f.ntk().maxAbs()
        d.nngp().sub(f.nngp()).maxAbs() <= 1e-14 * f.nngp().maxAbs()
        auto.ntk().sub(net.kernel([maskConstant: 0, diagonalSpatial: false], x).ntk()).maxAbs() <= 1e-14 * auto.ntk().maxAbs()
    }

    def "nothing equal to the mask constant: the kernel and the forward pass are those without masking, bit for bit"() {
        given:
        def net = sequenceNets()['conv SAME, relu, conv, erf, globalAvgPool, dense']
        def x = padded(seqs, 8, 0.5)
        def p = net.init(3, 8, 2)

        expect:
        net.kernel([maskConstant: 123.0d], x).ntk().bitwiseEquals(net.kernel(x).ntk())
        net.apply([maskConstant: 123.0d], p, x).bitwiseEquals(net.apply(p, x))
    }

    static Map<String, Layer> monteCarloNets() {
        [
            'conv, layerNorm over positions, relu, avgPool stride 2, conv, erf, GAP': serial(conv(C, [3] as int[], null, SAME, 1.3, 0.2),
                    layerNorm(axis: [1, -1]), relu(), avgPool([2] as int[], [2] as int[], SAME), conv(C, [3] as int[], null, SAME, 1.0, 0.1), erf(),
                    globalAvgPool(), dense(M, 1.0, 0.1)),
            'softmax attention (linear scaling, posEmb sum) after a conv, relu, flatten': serial(conv(C, [3] as int[], null, SAME, 1.3, 0.2),
                    globalSelfAttention(C, keyChannels: 256, valueChannels: 64, heads: 4, wKeyStd: 1.5, wOutStd: 1.2, bStd: 0.1, posEmb: 'sum',
                            posEmbDecay: 0.5), relu(), flatten(), dense(M)),
        ]
    }

    @Unroll
    def "Monte Carlo: #name on masked variable-length sequences within 5 SE + 8/width of finite networks applying the mask"() {
        given:
        Layer net = monteCarloNets()[name]
        def x = padded([seqs[0], seqs[1], seqs[3]], 7, 0) // lengths 6, 4, 2
        Kernel k = net.kernel([maskConstant: 0.0d], x)

        when:
        def (double rN, double rT) = MonteCarloKernels.worstRatios(net.masked(0), x, k, C, SEEDS)
        println "MC masking $name: worst |emp - analytic| / tol: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << monteCarloNets().keySet().toList()
    }

    @Unroll
    def "the masked forward pass: gradients w.r.t. the parameters = central differences (#name)"() {
        given:
        Layer masked = net.masked(0)
        def x = padded(seqs[0..2], 7, 0)
        def p = masked.init(3, 7, 2)
        def c = Tensor.randn(5, masked.apply(p, x).shape())
        Function<Map<String, Var>, Var> loss = { Map<String, Var> m -> Ops.dot(masked.apply(ApplyContext.eval(m), Var.of(x)), c) } as Function

        expect:
        GradCheck.check(loss, p) <= 1e-6

        where:
        name                         | net
        'conv, layerNorm, avgPool, GAP' | serial(conv(3, [3] as int[], null, SAME, 1.3, 0.2), layerNorm(axis: [1, -1]), relu(),
                avgPool([2] as int[], [2] as int[], SAME), conv(2, [2] as int[], null, SAME, 1.0, 0.1), tanh(), globalAvgPool(), dense(2))
        'softmax attention'          | serial(conv(3, [2] as int[], null, SAME, 1.0, 0.1), globalSelfAttention(3, keyChannels: 2, valueChannels: 2,
                heads: 2, bStd: 0.3), tanh(), flatten(), dense(2))
        'identity attention'         | serial(conv(3, [2] as int[], null, SAME, 1.0, 0.1), globalSelfAttention(2, keyChannels: 3, heads: 2,
                linearScaling: false, attention: 'identity'), globalAvgPool(), dense(1))
        'attention, posEmb concat'   | serial(conv(3, [2] as int[], null, SAME, 1.0, 0.1), globalSelfAttention(2, keyChannels: 3, heads: 2,
                posEmb: 'concat', posEmbChannels: 2, posEmbDecay: 0.4, valPosEmb: true), globalAvgPool(), dense(1))
    }

    def "the masked forward pass: masked outputs are zero, masked keys get no attention"() {
        given:
        def net = serial(conv(3, [3] as int[], null, SAME, 1.3, 0.2), globalSelfAttention(3, keyChannels: 2, valueChannels: 2, heads: 2, bStd: 0.3))
        def x = padded(seqs[0..2], 7, 0)
        def p = net.init(1, 7, 2)
        def y = net.apply([maskConstant: 0], p, x)
        // Changing a padded entry to anything but the constant would change it; a trimmed sequence's outputs are the same.
        def y0 = net.apply(p, batch(seqs[1]))

        expect:
        (4..<7).every { q -> (0..<3).every { ch -> Math.abs(y.get(1, q, ch)) == 0d } }
        (0..<4).every { q -> (0..<3).every { ch -> Math.abs(y.get(1, q, ch) - y0.get(0, q, ch)) <= 1e-14 } }
    }

    def "empirical kernels of the masked network: structured = Jacobian contraction"() {
        given:
        def net = monteCarloNets()['conv, layerNorm over positions, relu, avgPool stride 2, conv, erf, GAP']
        def small = serial(conv(6, [3] as int[], null, SAME, 1.3, 0.2), relu(), conv(5, [3] as int[], null, SAME, 1.0, 0.1), erf(),
                globalAvgPool(), dense(3, 1.0, 0.1))
        def x = padded(seqs[0..3], 7, 0)
        def p = small.init(2, 7, 2)

        when:
        def s = small.empiricalNtk([method: 'structured', maskConstant: 0], p, x)
        def j = small.empiricalNtk([method: 'jacobian', maskConstant: 0], p, x)
        def u = small.empiricalNtk([method: 'jacobian'], p, x)

        then:
        s.sub(j).maxAbs() <= 1e-12 * j.maxAbs()
        u.sub(j).maxAbs() > 1e-3 * j.maxAbs()
    }

    def "layers without masking refuse a masked kernel and forward pass in one line naming the layer"() {
        given:
        def x = padded(seqs[0..2], 7, 0)

        when:
        net.kernel([maskConstant: 0], x)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains("'$word'")
        !e.message.contains('\n')

        when:
        net.apply([maskConstant: 0], net.init(0, 7, 2), x)

        then:
        def f = thrown(IllegalArgumentException)
        f.message.contains("'$word'")

        where:
        word            | net
        'convTranspose' | serial(convTranspose(3, filter: [2]), relu(), globalAvgPool())
        'imageResize'   | serial(conv(3, 2), imageResize(shape: [14]))
    }

    def "bad mask options are refused in one line"() {
        given:
        def net = serial(dense(3), relu())
        def x = Tensor.randn(1, 3, 2)

        when:
        net.kernel(opts, x)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(msg)

        where:
        opts                                     | msg
        [maskConstant: 'zero']                   | 'maskConstant must be a number'
        [maskConstant: 0, engine: 'spark']       | 'maskConstant with engine'
    }
}
