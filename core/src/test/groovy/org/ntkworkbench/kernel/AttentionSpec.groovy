package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.model.empirical.EmpiricalNtk
import org.ntkworkbench.model.empirical.NtkMethod
import org.ntkworkbench.nn.GlobalSelfAttention
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.LayerGradientSpec
import org.ntkworkbench.nn.NoKernelRuleException
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * {@code globalSelfAttention}: the infinite-head kernel rule (Hron et al. 2020, neural-tangents) against
 * (1) seed-averaged finite networks at large width (as {@link LayerKernelMonteCarloSpec}: 16 seeds, 5 SE + 8/width),
 * (2) the exact finite-width expectation of identity attention on fixed inputs (no width bias: many seeds of a
 * small net), (3) the rule written out with plain matrix loops; gradients against central differences and the
 * empirical NTK methods against each other.
 */
class AttentionSpec extends Specification {
    static final int C = 256, M = 64, SEEDS = 16
    static final Padding CIRC = Padding.CIRCULAR

    @Shared Tensor signals = Tensor.randn(12, 3, 6, 2)
    @Shared Tensor images = Tensor.randn(13, 2, 2, 3, 2)

    static Map<String, List> models() {
        [
            'softmax, linear scaling, after a conv, relu, GAP'   : [serial(conv(C, [3] as int[], null, CIRC, 1.3, 0.2),
                    globalSelfAttention(C, keyChannels: 256, valueChannels: 64, heads: 4, wKeyStd: 1.5, wOutStd: 1.2, bStd: 0.1),
                    relu(), globalAvgPool(), dense(M)), 'signals'],
            'relu attention, linear scaling, on the inputs'     : [serial(globalSelfAttention(C, keyChannels: 512, valueChannels: 64, heads: 4,
                    attention: 'relu'), erf(), flatten(), dense(M)), 'signals'],
            'identity, 1/sqrt(d_k) scaling, 2-D, after a conv'  : [serial(conv(C, [2, 2] as int[], null, CIRC, 1.0, 0.1),
                    globalSelfAttention(C, keyChannels: 64, valueChannels: 64, heads: 8, linearScaling: false, attention: 'identity', wQueryStd: 0.8),
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
        println "MC attention $name: worst |emp - analytic| / tol: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << models().keySet().toList()
        spec << models().values().toList()
    }

    def "identity attention with 1/sqrt(d_k) on fixed inputs: the rule is the exact expectation at any width (600 seeds of d_k = 3, 2 heads, 4.5 SE)"() {
        given: 'E[G(x)G(x′)] and the value covariances are exact for independent Gaussian weights, so no width bias'
        def net = serial(globalSelfAttention(5, keyChannels: 3, valueChannels: 2, heads: 2, linearScaling: false, attention: 'identity',
                wKeyStd: 1.3, wValueStd: 0.9, bStd: 0.2), flatten(), dense(4, 1.0, 0.1))
        def x = Tensor.randn(5, 3, 4, 2)
        Kernel k = net.kernel(x)
        def mc = MonteCarloKernels.of(net, x, 600, 1, true)

        when:
        double rN = MonteCarloKernels.worstRatio(mc.nngpMean, mc.nngpSe, k.nngp(), 4.5, 0)
        double rT = MonteCarloKernels.worstRatio(mc.ntkMean, mc.ntkSe, k.ntk(), 4.5, 0)
        println "exact-expectation attention MC: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1
    }

    /** Row-major Q×Q helpers for the written-out rule. */
    static double[][] mat(Tensor t, int... lead) {
        int q = t.dim(t.rank() - 1)
        double[][] m = new double[q][q]
        for (int p = 0; p < q; p++) for (int r = 0; r < q; r++) m[p][r] = t.get(*(lead as List), p, r)
        m
    }

    static double[][] mul(double[][] a, double[][] b) {
        int q = a.length
        double[][] c = new double[q][q]
        for (int i = 0; i < q; i++) for (int j = 0; j < q; j++) for (int k = 0; k < q; k++) c[i][j] += a[i][k] * b[k][j]
        c
    }

    static double[][] tr(double[][] a) {
        int q = a.length
        double[][] c = new double[q][q]
        for (int i = 0; i < q; i++) for (int j = 0; j < q; j++) c[i][j] = a[j][i]
        c
    }

    static double[][] softmaxRows(double[][] g, double scale) {
        int q = g.length
        double[][] a = new double[q][q]
        for (int r = 0; r < q; r++) {
            double mx = Double.NEGATIVE_INFINITY
            for (int c = 0; c < q; c++) mx = Math.max(mx, scale * g[r][c])
            double s = 0
            for (int c = 0; c < q; c++) { a[r][c] = Math.exp(scale * g[r][c] - mx); s += a[r][c] }
            for (int c = 0; c < q; c++) a[r][c] /= s
        }
        a
    }

    def "softmax/linear scaling and identity/sqrt scaling: the rule written out with matrix loops (1e-12)"() {
        given: 'a conv kernel (n, n, 6, 6) as input; A = softmax(qk Σ(x,x)) row-wise'
        def conv1 = conv(4, [3] as int[], null, CIRC, 1.3, 0.2)
        def kin = conv1.kernel(signals)
        double qk = 1.5 * 0.7, ov = 1.1 * 0.9, b = 0.3
        def soft = serial(conv1, globalSelfAttention(4, wKeyStd: 1.5, wQueryStd: 0.7, wValueStd: 1.1, wOutStd: 0.9, bStd: b)).kernel(signals)
        def ident = serial(conv1, globalSelfAttention(4, linearScaling: false, attention: 'identity', wKeyStd: 1.5, wQueryStd: 0.7,
                wValueStd: 1.1, wOutStd: 0.9, bStd: b)).kernel(signals)
        int n = 3
        List<double[][]> A = (0..<n).collect { int i -> softmaxRows(mat(kin.cov1(), i), qk) }
        double worst = 0

        when:
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double[][] s = mat(kin.nngp(), i, j), t = mat(kin.ntk(), i, j)
            double[][] as_ = mul(mul(A[i], s), tr(A[j])), at = mul(mul(A[i], t), tr(A[j]))
            double d = 0, e = 0
            for (p in 0..<6) for (r in 0..<6) { d += s[p][r] * s[p][r]; e += s[p][r] * t[p][r] }
            for (p in 0..<6) for (r in 0..<6) {
                double scale = Math.max(1, Math.abs(soft.ntk().get(i, j, p, r)))
                worst = Math.max(worst, Math.abs(soft.nngp().get(i, j, p, r) - (ov * ov * as_[p][r] + b * b)) / scale)
                worst = Math.max(worst, Math.abs(soft.ntk().get(i, j, p, r) - (ov * ov * at[p][r] + 2 * ov * ov * as_[p][r] + b * b)) / scale)
                double s2 = qk * qk * ov * ov
                double iscale = Math.max(1, Math.abs(ident.ntk().get(i, j, p, r)))
                worst = Math.max(worst, Math.abs(ident.nngp().get(i, j, p, r) - (s2 * d * s[p][r] + b * b)) / iscale)
                worst = Math.max(worst, Math.abs(ident.ntk().get(i, j, p, r) - (s2 * (2 * e * s[p][r] + d * (t[p][r] + 4 * s[p][r])) + b * b)) / iscale)
            }
        }

        then:
        worst <= 1e-12
        and: 'rows of the limit attention sum to 1; covariances are the diagonal blocks (x2 omitted)'
        A.every { double[][] a -> (0..<6).every { int r -> double t = 0; for (int c = 0; c < 6; c++) t += a[r][c]; Math.abs(t - 1) <= 1e-14 } }
        (0..<n).every { int i -> (0..<6).every { int p -> soft.cov1().get(i, p, p) == soft.nngp().get(i, i, p, p) } }
    }

    def "softmax with 1/sqrt(d_k) scaling has no closed form: kernel refused in one line, forward pass works"() {
        given:
        def layer = globalSelfAttention(3, linearScaling: false)
        when:
        layer.kernel(signals)
        then:
        def e = thrown(NoKernelRuleException)
        e.message.contains('no closed form')
        when:
        def y = layer.apply(layer.init(0, 6, 2), signals)
        then:
        y.shape() == [3, 6, 3] as int[]
    }

    def "gradients w.r.t. parameters and input match central differences (1e-6); empirical NTK methods agree (1e-10)"() {
        expect:
        LayerGradientSpec.gradError(serial(globalSelfAttention(3, keyChannels: 2, valueChannels: 2, heads: 2, bStd: 0.3), tanh(), flatten(), dense(2)), [2, 4, 3] as int[]) <= 1e-6
        LayerGradientSpec.gradError(serial(conv(3, 2), globalSelfAttention(2, keyChannels: 3, heads: 2, linearScaling: false, attention: 'identity'), flatten(), dense(1)), [2, 5, 2] as int[]) <= 1e-6
        LayerGradientSpec.gradError(serial(globalSelfAttention(2, attention: 'abs', heads: 2), flatten(), dense(1)), [2, 2, 3, 2] as int[]) <= 1e-6

        when:
        def net = serial(conv(3, 2), relu(), globalSelfAttention(3, keyChannels: 2, valueChannels: 2, heads: 2, bStd: 0.2), flatten(), dense(2))
        def p = net.init(1, 5, 2)
        def x = Tensor.randn(3, 4, 5, 2)
        def ref = EmpiricalNtk.ntk(net, p, x, null, NtkMethod.JACOBIAN_CONTRACTION, true)
        then:
        [NtkMethod.NTK_VECTOR_PRODUCTS, NtkMethod.AUTO, NtkMethod.STRUCTURED_DERIVATIVES].every { m ->
            EmpiricalNtk.ntk(net, p, x, null, m, true).sub(ref).maxAbs() <= 1e-10 * ref.maxAbs() }
    }

    def "shapes, parameters and the output's dependence on the input"() {
        given:
        def layer = globalSelfAttention(5, keyChannels: 3, valueChannels: 2, heads: 4, linearScaling: false, bStd: 1)
        def p = layer.init(0, 2, 3, 7)

        expect:
        p.collectEntries { k, v -> [k, v.shape() as List] } == [K: [4, 7, 3], Q: [4, 7, 3], V: [4, 7, 2], O: [8, 5], b: [5]]
        layer.apply(p, Tensor.randn(1, 2, 2, 3, 7)).shape() == [2, 2, 3, 5] as int[]
        globalSelfAttention(5).init(0, 4, 7).keySet() == ['K', 'V', 'O'] as Set
    }
}
