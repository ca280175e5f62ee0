package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.LayerGradientSpec
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * {@code globalSelfAttention(posEmb: 'sum'|'concat', ...)}: neural-tangents' positional embeddings (a trainable
 * embedding with a fixed positional covariance R). Proved (1) by Monte Carlo against finite attention networks
 * (16 seeds, 5 SE + 8/width, as {@link LayerKernelMonteCarloSpec}), (2) exactly: with {@code valPosEmb: true} the
 * layer's kernel equals the plain layer's kernel on the input kernel of the inputs concatenated with a fixed
 * matrix whose channel covariance is R (R written out here from its definition), (3) gradients against central
 * differences (the embedding parameter included).
 */
class AttentionEmbeddingSpec extends Specification {
    static final int C = 256, M = 64, SEEDS = 16
    static final Padding CIRC = Padding.CIRCULAR

    @Shared Tensor signals = Tensor.randn(31, 3, 6, 2)
    @Shared Tensor images = Tensor.randn(32, 2, 2, 3, 2)

    static Map<String, List> models() {
        [
            'softmax, posEmb sum, decaying R, after a conv'          : [serial(conv(C, [3] as int[], null, CIRC, 1.3, 0.2),
                    globalSelfAttention(C, keyChannels: 256, valueChannels: 64, heads: 4, wKeyStd: 2.0, bStd: 0.1,
                            posEmb: 'sum', wPosEmbStd: 1.5, posEmbDecay: 0.5, posEmbPNorm: 1),
                    relu(), globalAvgPool(), dense(M)), 'signals'],
            'identity 1/sqrt(d_k), posEmb concat + values, 2-D'      : [serial(conv(C, [2, 2] as int[], null, CIRC, 1.0, 0.1),
                    globalSelfAttention(C, keyChannels: 64, valueChannels: 64, heads: 8, linearScaling: false, attention: 'identity',
                            posEmb: 'concat', posEmbChannels: 128, wPosEmbStd: 1.3, valPosEmb: true),
                    flatten(), dense(M)), 'images'],
        ]
    }

    @Unroll
    def "#name: analytic NNGP and NTK within 5 SE + 8/width of seed-averaged finite networks"() {
        given:
        Layer net = spec[0]
        Tensor input = this."${spec[1]}"
        Kernel k = net.kernel(input)

        when:
        def (double rN, double rT) = MonteCarloKernels.worstRatios(net, input, k, C, SEEDS)
        println "MC attention posEmb $name: worst |emp - analytic| / tol: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << models().keySet().toList()
        spec << models().values().toList()
    }

    /** R[p, q] = exp(-decay · Σ_i |p_i − q_i|^pNorm) over row-major positions of {@code spatial} (identity at decay 0). */
    static double[][] positional(List<Integer> spatial, double decay, double pNorm) {
        int q = spatial.inject(1) { a, b -> a * b } as int
        def coords = { int p -> def c = []; for (int ax = spatial.size() - 1; ax >= 0; ax--) { c.add(0, p % spatial[ax]); p = p.intdiv(spatial[ax]) }; c }
        double[][] r = new double[q][q]
        for (int a = 0; a < q; a++) for (int b = 0; b < q; b++) {
            def ca = coords(a), cb = coords(b)
            double d = (0..<spatial.size()).sum { Math.pow(Math.abs(ca[it] - cb[it]), pNorm) } as double
            r[a][b] = decay == 0 ? (a == b ? 1 : 0) : Math.exp(-decay * d)
        }
        r
    }

    /** A (Q, Q) factor F with F Fᵀ = R (Cholesky, written out). */
    static double[][] factor(double[][] r) {
        int q = r.length
        double[][] l = new double[q][q]
        for (int i = 0; i < q; i++) for (int j = 0; j <= i; j++) {
            double s = r[i][j]
            for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k]
            l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j]
        }
        l
    }

    /**
     * The input kernel a projection sees when the inputs x (C channels, scaled by a) are concatenated with Q fixed
     * channels sqrt(Q)·b·F (the same for every example): channel mean = (C a² K + Q b² R)/(C + Q); its NTK is the
     * embedding part alone (inputs have NTK 0, the embedding is a parameter).
     */
    static Kernel augmented(Tensor x, double a, double b, double[][] r) {
        int n = x.dim(0), c = x.dim(-1), q = r.length
        double[][] f = factor(r)
        int[] spatial = x.shape()[1..-2] as int[]
        def withEmb = { Tensor xs ->
            double[] d = new double[n * q * (c + q)]
            for (int i = 0; i < n; i++) for (int p = 0; p < q; p++) {
                for (int ch = 0; ch < c; ch++) d[(i * q + p) * (c + q) + ch] = a * xs.data()[(i * q + p) * c + ch]
                for (int ch = 0; ch < q; ch++) d[(i * q + p) * (c + q) + c + ch] = Math.sqrt(q) * b * f[p][ch]
            }
            Tensor.of(d, ([n] + (spatial as List) + [c + q]) as int[])
        }
        Kernel k = Kernel.fromInputs(withEmb(x), null)
        k.withNtk(Kernel.fromInputs(withEmb(x.mul(0)), null).nngp())
    }

    @Unroll
    def "valPosEmb: #type, #mech: the rule = the plain layer on the inputs concatenated with a fixed R-covariance embedding"() {
        given:
        def x = signals
        double w = 1.4
        double decay = 0.6
        double pNorm = 1.5
        int cIn = x.dim(-1)
        int ce = type == 'concat' ? 5 : cIn
        def r = positional([6], decay, pNorm)
        def opts = [keyChannels: 8, heads: 2, linearScaling: mech == 'softmax', attention: mech, wKeyStd: 1.2, bStd: 0.1]
        def withEmb = globalSelfAttention(opts + [posEmb: type, wPosEmbStd: w, posEmbDecay: decay, posEmbPNorm: pNorm, valPosEmb: true]
                + (type == 'concat' ? [posEmbChannels: ce] : [:]), 3)
        def plain = globalSelfAttention(opts, 3)
        int q = 6
        // Channel weights of nt's interpolation: sum: K + w²R; concat: (C K + C_e w² R)/(C + C_e).
        double kx = type == 'sum' ? 1 : cIn / (double) (cIn + ce)
        double ke = type == 'sum' ? w * w : w * w * ce / (cIn + ce)
        // The concatenation's channel mean is (C a² K + Q b² R)/(C + Q): pick a, b to give kx K + ke R.
        double a = Math.sqrt(kx * (cIn + q) / cIn)
        double b = Math.sqrt(ke * (cIn + q) / q)

        when:
        def k1 = withEmb.kernel(Kernel.fromInputs(x, null))
        def k2 = plain.kernel(augmented(x, a, b, r))
        double eN = k1.nngp().sub(k2.nngp()).maxAbs() / k2.nngp().maxAbs()
        double eT = k1.ntk().sub(k2.ntk()).maxAbs() / k2.ntk().maxAbs()
        double eC = k1.cov1().sub(k2.cov1()).maxAbs() / k2.cov1().maxAbs()
        println "posEmb $type $mech written out: rel errors nngp $eN ntk $eT cov $eC"

        then:
        eN <= 1e-12
        eT <= 1e-12
        eC <= 1e-12

        where:
        type     | mech
        'sum'    | 'softmax'
        'concat' | 'softmax'
        'sum'    | 'identity'
        'concat' | 'identity'
    }

    def "posEmb: 'none' is the layer without embeddings bit for bit; valPosEmb: false differs from true"() {
        expect:
        globalSelfAttention(3, posEmb: 'none').kernel(Kernel.fromInputs(signals, null)).ntk()
                .bitwiseEquals(globalSelfAttention(3).kernel(Kernel.fromInputs(signals, null)).ntk())
        !globalSelfAttention(3, posEmb: 'sum', valPosEmb: false).kernel(Kernel.fromInputs(signals, null)).ntk()
                .bitwiseEquals(globalSelfAttention(3, posEmb: 'sum', valPosEmb: true).kernel(Kernel.fromInputs(signals, null)).ntk())
    }

    def "gradients with positional embeddings (the embedding parameter included) match central differences"() {
        expect:
        LayerGradientSpec.gradError(serial(globalSelfAttention(4, keyChannels: 3, heads: 2, posEmb: 'concat', posEmbDecay: 0.7, valPosEmb: true),
                tanh(), flatten(), dense(2)), [2, 4, 3] as int[]) <= 1e-6
        LayerGradientSpec.gradError(serial(globalSelfAttention(4, linearScaling: false, attention: 'identity', posEmb: 'sum', wPosEmbStd: 0.7),
                tanh(), flatten(), dense(2)), [2, 2, 2, 3] as int[]) <= 1e-6
    }

    @Unroll
    def "bad positional-embedding options are refused in one line: #opts"() {
        when:
        def layer = globalSelfAttention(opts, 4)
        layer.apply(layer.init(1, 6, 4), Tensor.randn(2, 1, 6, 4))

        then:
        IllegalArgumentException e = thrown()
        !e.message.contains('\n')
        e.message.contains(says)

        where:
        opts                                                 | says
        [posEmb: 'rotary']                                   | "'rotary' is not 'none', 'sum' or 'concat'"
        [posEmbDecay: 0.5]                                   | "need posEmb: 'sum' or 'concat'"
        [posEmb: 'sum', posEmbChannels: 3]                   | "posEmbChannels is for posEmb: 'concat'"
        [posEmb: 'concat', wPosEmbStd: -1]                   | 'finite and >= 0'
        [posEmb: 'sum', posEmbDecay: 1e-9, posEmbPNorm: 2]   | 'not positive definite'
    }
}
