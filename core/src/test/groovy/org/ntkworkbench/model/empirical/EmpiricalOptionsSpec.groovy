package org.ntkworkbench.model.empirical

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.dsl.MonteCarloKernelWord
import org.ntkworkbench.kernel.Padding
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.spi.DslArgs
import org.ntkworkbench.spi.DslException
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/**
 * The empirical-kernel options of neural-tangents in the DSL: {@code net.empiricalNtk(p, x, method:)},
 * {@code traceAxes}/{@code diagonalAxes} ({@link OutputAxes}) and the Monte Carlo kernel word with standard
 * errors. Oracles: a Jacobian by central finite differences of the parameters (independent of autodiff), the
 * reduction written out with plain loops, and the analytic kernel.
 */
class EmpiricalOptionsSpec extends Specification {

    /** J[(i, o), θ] by central differences (h = 1e-6) of the flattened outputs. */
    static double[][] fdJacobian(Layer net, Map<String, Tensor> p, Tensor x) {
        double h = 1e-6
        int rows = net.apply(p, x).size()
        List<double[]> cols = []
        p.each { k, t ->
            for (int e = 0; e < t.size(); e++) {
                double old = t.data()[e]
                t.data()[e] = old + h
                double[] plus = net.apply(p, x).data().clone()
                t.data()[e] = old - h
                double[] minus = net.apply(p, x).data()
                t.data()[e] = old
                double[] c = new double[rows]
                for (int r = 0; r < rows; r++) c[r] = (plus[r] - minus[r]) / (2 * h)
                cols << c
            }
        }
        double[][] j = new double[rows][cols.size()]
        for (int c = 0; c < cols.size(); c++) for (int r = 0; r < rows; r++) j[r][c] = cols[c][r]
        j
    }

    static double dotRows(double[] a, double[] b) {
        double s = 0
        for (int i = 0; i < a.length; i++) s += a[i] * b[i]
        s
    }

    def "net.empiricalNtk(p, x, method:) takes every method by name and equals EmpiricalNtk with that method"() {
        given:
        def net = serial(dense(6, 1.2, 0.3), erf(), dense(2))
        def p = net.init(1, 3)
        def x1 = Tensor.randn(2, 4, 3), x2 = Tensor.randn(3, 5, 3)
        def ref = EmpiricalNtk.ntk(net, p, x1, x2, NtkMethod.JACOBIAN_CONTRACTION, true)

        expect:
        [auto: NtkMethod.AUTO, jacobian: NtkMethod.JACOBIAN_CONTRACTION, structuredDerivatives: NtkMethod.STRUCTURED_DERIVATIVES,
         'NTK_VECTOR_PRODUCTS': NtkMethod.NTK_VECTOR_PRODUCTS, structured: NtkMethod.STRUCTURED_DERIVATIVES].every { name, m ->
            Tensor k = net.empiricalNtk(p, x1, x2, method: name)
            k.bitwiseEquals(EmpiricalNtk.ntk(net, p, x1, x2, m, true)) && k.sub(ref).maxAbs() <= 1e-12 * ref.maxAbs()
        }
        net.empiricalNtk(p, x1, method: 'jacobian').bitwiseEquals(EmpiricalNtk.ntk(net, p, x1, null, NtkMethod.JACOBIAN_CONTRACTION, true))
    }

    def "bad options fail in one line naming the option"() {
        given:
        def net = serial(dense(4), relu(), dense(2))
        def p = net.init(0, 3)
        def x = Tensor.randn(1, 2, 3)

        when:
        net.empiricalNtk(p, x, method: 'fast')
        then:
        def e1 = thrown(IllegalArgumentException)
        e1.message.contains("'fast' is not an empirical NTK method")

        when:
        net.empiricalNtk(p, x, traceAxes: [0])
        then:
        def e2 = thrown(IllegalArgumentException)
        e2.message.contains('example axis 0 cannot be traced')

        when:
        net.empiricalNtk(p, x, traceAxes: [2])
        then:
        def e3 = thrown(IllegalArgumentException)
        e3.message.contains('axis 2 is out of range')

        when:
        net.empiricalNtk(p, x, trace: false)
        then:
        def e4 = thrown(IllegalArgumentException)
        e4.message.contains("unknown option 'trace'")
    }

    def "traceAxes: [] gives the full (n1, n2, k, k) NTK = J Jᵀ of a finite-difference Jacobian (1e-7), its output trace the default kernel"() {
        given:
        def net = serial(dense(5, 1.1, 0.2), tanh(), dense(3, 1.0, 0.1))
        def p = net.init(4, 2)
        def x1 = Tensor.randn(5, 3, 2), x2 = Tensor.randn(6, 2, 2)
        double[][] j1 = fdJacobian(net, p, x1), j2 = fdJacobian(net, p, x2)

        when:
        Tensor full = net.empiricalNtk(p, x1, x2, traceAxes: [])
        Tensor diag = net.empiricalNtk(p, x1, x2, traceAxes: [], diagonalAxes: [-1])
        Tensor traced = net.empiricalNtk(p, x1, x2)
        double scale = full.maxAbs()

        then:
        full.shape() == [3, 2, 3, 3] as int[]
        diag.shape() == [3, 2, 3] as int[]
        (0..<3).every { int i -> (0..<2).every { int j -> (0..<3).every { int o -> (0..<3).every { int q ->
            Math.abs(full.get(i, j, o, q) - dotRows(j1[i * 3 + o], j2[j * 3 + q])) <= 1e-7 * scale
        } } } }
        (0..<3).every { int i -> (0..<2).every { int j -> (0..<3).every { int o ->
            diag.get(i, j, o) == full.get(i, j, o, o)
        } } }
        (0..<3).every { int i -> (0..<2).every { int j ->
            Math.abs((full.get(i, j, 0, 0) + full.get(i, j, 1, 1) + full.get(i, j, 2, 2)) / 3 - traced.get(i, j)) <= 1e-13 * scale
        } }
    }

    def "spatial outputs (n, P, C): trace over channels, diagonal positions, the example diagonal; symmetric to the last bit"() {
        given: 'a conv net without readout: f(x) is (n, 4, 3)'
        def net = serial(conv(3, [2] as int[], [1] as int[], Padding.SAME, 1.2, 0.2), relu(), conv(3, [2] as int[], [1] as int[], Padding.CIRCULAR, 1.0, 0.1))
        def p = net.init(2, 4, 2)
        def x = Tensor.randn(8, 3, 4, 2)
        double[][] j = fdJacobian(net, p, x)
        def k = { int i, int a, int c, int jj, int b, int d -> dotRows(j[(i * 4 + a) * 3 + c], j[(jj * 4 + b) * 3 + d]) }
        Tensor fx = net.apply(p, x)

        when:
        Tensor pp = net.empiricalNtk(p, x, traceAxes: [-1])                        // (n, n, P, P)
        Tensor dp = net.empiricalNtk(p, x, traceAxes: [1, 2], diagonalAxes: [0])  // (n)
        Tensor pd = net.empiricalNtk(p, x, traceAxes: [2], diagonalAxes: [1])     // (n, n, P)
        Tensor ee = net.empiricalNtk(p, x, diagonalAxes: [0, 1], traceAxes: [])  // (n, P, C, C)
        Tensor nngp = net.empiricalNngp(p, x, traceAxes: [-1])
        double scale = pp.maxAbs()

        double ePP = 0, eN = 0, eDP = 0, ePD = 0, eEE = 0
        boolean symmetric = true
        for (int i = 0; i < 3; i++) for (int jj = 0; jj < 3; jj++) for (int a = 0; a < 4; a++) for (int b = 0; b < 4; b++) {
            double want = 0, wantN = 0
            for (int c = 0; c < 3; c++) { want += k(i, a, c, jj, b, c) / 3; wantN += fx.get(i, a, c) * fx.get(jj, b, c) / 3 }
            ePP = Math.max(ePP, Math.abs(pp.get(i, jj, a, b) - want) / scale)
            eN = Math.max(eN, Math.abs(nngp.get(i, jj, a, b) - wantN) / Math.max(1, Math.abs(wantN)))
            symmetric &= Double.doubleToRawLongBits(pp.get(i, jj, a, b)) == Double.doubleToRawLongBits(pp.get(jj, i, b, a)) &&
                    Double.doubleToRawLongBits(nngp.get(i, jj, a, b)) == Double.doubleToRawLongBits(nngp.get(jj, i, b, a))
        }
        for (int i = 0; i < 3; i++) {
            double want = 0
            for (int a = 0; a < 4; a++) for (int c = 0; c < 3; c++) want += k(i, a, c, i, a, c) / 12
            eDP = Math.max(eDP, Math.abs(dp.get(i) - want) / scale)
            for (int jj = 0; jj < 3; jj++) for (int a = 0; a < 4; a++) ePD = Math.max(ePD, Math.abs(pd.get(i, jj, a) - pp.get(i, jj, a, a)) / scale)
            for (int a = 0; a < 4; a++) for (int c = 0; c < 3; c++) for (int d = 0; d < 3; d++) {
                eEE = Math.max(eEE, Math.abs(ee.get(i, a, c, d) - k(i, a, c, i, a, d)) / scale)
            }
        }
        println "axes vs finite-difference Jacobian: (n,n,P,P) $ePP, nngp $eN, example diagonal $eDP, (n,n,P) $ePD, (n,P,C,C) $eEE"

        then:
        pp.shape() == [3, 3, 4, 4] as int[]
        dp.shape() == [3] as int[]
        pd.shape() == [3, 3, 4] as int[]
        ee.shape() == [3, 4, 3, 3] as int[]
        nngp.shape() == [3, 3, 4, 4] as int[]
        ePP <= 1e-7
        eN <= 1e-14
        eDP <= 1e-7
        ePD <= 1e-13
        eEE <= 1e-7

        and: 'with x2 omitted: entry (i, j, a, b) equals (j, i, b, a) bit for bit'
        symmetric
    }

    def "monteCarloKernel: the mean and standard error of the per-seed empirical kernels, written out"() {
        given:
        def net = serial(dense(7, 1.3, 0.2), relu(), dense(2))
        def x = Tensor.randn(9, 4, 3)
        long[] seeds = [3L, 5L, 8L]

        when:
        def r = net.monteCarloKernel(x, seeds: [3, 5, 8], method: 'jacobian')
        def draws = seeds.collect { s -> EmpiricalNtk.ntk(net, net.init(s, 3), x, null, NtkMethod.JACOBIAN_CONTRACTION, true) }
        def nngps = seeds.collect { s -> EmpiricalNngp.of(net, net.init(s, 3), x, null) }

        then:
        r.ntk().samples() == 3
        (0..<4).every { int i -> (0..<4).every { int j ->
            double m = draws.sum { it.get(i, j) } / 3
            double sd = Math.sqrt(draws.sum { (it.get(i, j) - m) ** 2 } / 2)
            double mn = nngps.sum { it.get(i, j) } / 3
            Math.abs(r.ntk().mean().get(i, j) - m) <= 1e-14 * Math.abs(m) + 1e-300 &&
                    Math.abs(r.ntk().standardError().get(i, j) - sd / Math.sqrt(3)) <= 1e-12 * Math.max(sd, 1e-300) &&
                    Math.abs(r.nngp().mean().get(i, j) - mn) <= 1e-14 * Math.max(1d, Math.abs(mn))
        } }
        (0..<4).every { int i -> (0..<4).every { int j ->
            Double.doubleToRawLongBits(r.ntk().mean().get(i, j)) == Double.doubleToRawLongBits(r.ntk().mean().get(j, i)) } }

        when: 'get: nngp only'
        def n = net.monteCarloKernel(x, seeds: 2, get: 'nngp')
        then:
        n.ntk() == null
        n.nngp().samples() == 2
    }

    def "monteCarloKernel with traceAxes: [] converges to the analytic NTK times the identity over outputs (5 SE + 8/width)"() {
        given: 'width 512, 4 output units, 16 seeds: diagonal output pairs -> analytic, off-diagonal -> 0 (NTK only: one unit\'s NNGP draw f_o f_q is a product of two Gaussians, too heavy-tailed for a standard error from a few seeds)'
        int w = 512
        def net = serial(dense(w, 1.4, 0.3), relu(), dense(4, 1.1, 0.2))
        def x = Tensor.randn(21, 3, 5)
        def analytic = net.kernel(x)

        when:
        def r = net.monteCarloKernel(x, seeds: 16, traceAxes: [], get: 'ntk')
        double worst = 0
        for (String which : ['ntk']) {
            Tensor mean = r."$which"().mean(), se = r."$which"().standardError(), exact = analytic."$which"()
            double scale = exact.maxAbs()
            for (i in 0..<3) for (j in 0..<3) for (o in 0..<4) for (q in 0..<4) {
                double want = o == q ? exact.get(i, j) : 0
                double ratio = Math.abs(mean.get(i, j, o, q) - want) / (5 * se.get(i, j, o, q) + 8.0 / w * scale)
                worst = Math.max(worst, ratio)
            }
        }
        println "monteCarloKernel traceAxes [] vs analytic x identity: worst ratio $worst"

        then:
        r.ntk().mean().shape() == [3, 3, 4, 4] as int[]
        worst <= 1
    }

    def "the monteCarloKernel word: (net, x1, x2) with named options, one-line errors"() {
        given:
        def net = serial(dense(5), erf(), dense(1))
        def x1 = Tensor.randn(1, 3, 2), x2 = Tensor.randn(2, 2, 2)
        def word = new MonteCarloKernelWord()

        when:
        def r = word.call(DslArgs.fromGroovy('monteCarloKernel', [[seeds: 2, get: ['ntk']], net, x1, x2] as Object[]))
        then:
        r.ntk().mean().shape() == [3, 2] as int[]
        r.ntk().mean().sub(net.monteCarloKernel(x1, x2, seeds: 2).ntk().mean()).maxAbs() == 0

        when:
        word.call(DslArgs.fromGroovy('monteCarloKernel', [[seeds: 0], net, x1] as Object[]))
        then:
        def e = thrown(DslException)
        e.message.startsWith('monteCarloKernel: seeds must be a positive count')
    }
}
