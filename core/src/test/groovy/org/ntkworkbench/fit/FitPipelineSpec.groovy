package org.ntkworkbench.fit

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.model.RowBlockKernelService
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/**
 * The fit pipeline against derivations that share nothing with it: Gauss-Jordan elimination for
 * t = ∞ and a Runge-Kutta integration of the gradient-flow ODE for finite t, on kernels from
 * {@code net.kernel} (not the engine).
 */
class FitPipelineSpec extends Specification {
    static final Layer NET = serial(dense(64, 1.0, 0.1), relu(), dense(1))
    def pipeline = new FitPipeline(new LocalKernelEngine(new RowBlockKernelService(2)), new DirectSolver())

    /** Solves A X = B (A n×n, B n×k) by Gauss-Jordan with partial pivoting, in plain doubles. */
    static double[][] gaussJordan(double[][] a0, double[][] b0) {
        int n = a0.length, k = b0[0].length
        double[][] a = a0.collect { it.clone() }, b = b0.collect { it.clone() }
        for (int c = 0; c < n; c++) {
            int p = (c..<n).max { Math.abs(a[it][c]) }
            def t = a[c]; a[c] = a[p]; a[p] = t
            t = b[c]; b[c] = b[p]; b[p] = t
            for (int r = 0; r < n; r++) {
                if (r == c) continue
                double f = a[r][c] / a[c][c]
                for (int j = c; j < n; j++) a[r][j] -= f * a[c][j]
                for (int j = 0; j < k; j++) b[r][j] -= f * b[c][j]
            }
        }
        (0..<n).collect { r -> (0..<k).collect { j -> b[r][j] / a[r][r] } as double[] } as double[][]
    }

    static double[][] mat(Tensor t) { t.toArray2d() }

    static double[][] mul(double[][] a, double[][] b) {
        (0..<a.length).collect { i -> (0..<b[0].length).collect { j -> (0..<b.length).sum { l -> a[i][l] * b[l][j] } as double } as double[] } as double[][]
    }

    static double relErr(Tensor got, double[][] want) {
        double num = 0, den = 0
        for (int i = 0; i < want.length; i++) for (int j = 0; j < want[0].length; j++) {
            num = Math.max(num, Math.abs(got.get(i, j) - want[i][j])); den = Math.max(den, Math.abs(want[i][j]))
        }
        num / den
    }

    def "t = inf: predictions equal K*X (K + r mean(diag K) I)^-1 Y by Gauss-Jordan to 1e-10 relative, for nngp and ntk"() {
        given:
        def xTrain = Tensor.randn(1, 14, 3)
        def xTest = Tensor.randn(2, 5, 3)
        def y = Tensor.randn(3, 14, 2)
        def req = FitRequest.regression(NET, xTrain, y, xTest, null, ['nngp', 'ntk'], [Double.POSITIVE_INFINITY], 1e-3)

        when:
        def res = pipeline.run(req, FitProgress.NONE)

        then:
        res.predictions().keySet() == ['nngp', 'ntk'] as Set
        ['nngp', 'ntk'].every { g ->
            double[][] k = mat(g == 'ntk' ? NET.kernel(xTrain).ntk() : NET.kernel(xTrain).nngp())
            double[][] ks = mat(g == 'ntk' ? NET.kernel(xTest, xTrain).ntk() : NET.kernel(xTest, xTrain).nngp())
            double add = 1e-3 * (0..<14).sum { k[it][it] } / 14
            (0..<14).each { k[it][it] += add }
            Math.abs(res.diagonalAdded()[g] - add) <= 1e-15 * add &&
                    relErr(res.predictions()[g], mul(ks, gaussJordan(k, mat(y)))) <= 1e-10
        }
    }

    def "finite t: predictions equal a Runge-Kutta integration of df/dt = -(1/n) K (f - y), df*/dt = -(1/n) K*X (f - y) to 1e-8"() {
        given:
        int n = 10
        def xTrain = Tensor.randn(4, n, 3)
        def xTest = Tensor.randn(5, 4, 3)
        int[] labels = (0..<n).collect { it % 3 } as int[]
        double t = 25
        def req = FitRequest.classification(NET, xTrain, labels, xTest, [0, 1, 2, 0] as int[], 3, ['ntk'], [t, Double.POSITIVE_INFINITY], 0)
        double[][] k = mat(NET.kernel(xTrain).ntk())
        double[][] ks = mat(NET.kernel(xTest, xTrain).ntk())
        double[][] y = (0..<n).collect { i -> (0..<3).collect { c -> labels[i] == c ? 1d : 0d } as double[] } as double[][]

        when:
        def res = pipeline.run(req, FitProgress.NONE)
        // RK4 on the stacked state (f on train, f* on test), f(0) = 0.
        int steps = 4000
        double h = t / steps
        double[][] f = new double[n][3]
        double[][] fs = new double[4][3]
        def deriv = { double[][] ff ->
            double[][] r = (0..<n).collect { i -> (0..<3).collect { c -> ff[i][c] - y[i][c] } as double[] } as double[][]
            [mul(k, r).collect { row -> row.collect { -it / n } as double[] } as double[][],
             mul(ks, r).collect { row -> row.collect { -it / n } as double[] } as double[][]]
        }
        def axpy = { double[][] a, double s, double[][] b -> (0..<a.length).collect { i -> (0..<3).collect { c -> a[i][c] + s * b[i][c] } as double[] } as double[][] }
        for (int s = 0; s < steps; s++) {
            def k1 = deriv(f)
            def k2 = deriv(axpy(f, h / 2, k1[0]))
            def k3 = deriv(axpy(f, h / 2, k2[0]))
            def k4 = deriv(axpy(f, h, k3[0]))
            f = (0..<n).collect { i -> (0..<3).collect { c -> f[i][c] + h / 6 * (k1[0][i][c] + 2 * k2[0][i][c] + 2 * k3[0][i][c] + k4[0][i][c]) } as double[] } as double[][]
            fs = (0..<4).collect { i -> (0..<3).collect { c -> fs[i][c] + h / 6 * (k1[1][i][c] + 2 * k2[1][i][c] + 2 * k3[1][i][c] + k4[1][i][c]) } as double[] } as double[][]
        }

        then:
        res.predictions().keySet().toList() == ['ntk_t25', 'ntk']
        relErr(res.predictions()['ntk_t25'], fs) <= 1e-8
        relErr(res.predictions()['ntk'], mul(ks, gaussJordan(k, y))) <= 1e-10

        and: 'accuracy is the confusion matrix diagonal over the test labels'
        def cm = res.confusion()['ntk']
        int[] pred = FitPipeline.argmax(res.predictions()['ntk'])
        res.metrics()['accuracy_ntk'] == (0..<4).count { pred[it] == [0, 1, 2, 0][it] } / 4d
        (0..<4).every { cm[[0, 1, 2, 0][it]][pred[it]] >= 1 }
    }

    def "bad requests: length mismatch, NaN, unknown kernel, negative time"() {
        when:
        build()
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(words)

        where:
        build                                                                                                                                                  || words
        ({ -> FitRequest.regression(NET, Tensor.randn(0, 5, 2), Tensor.randn(1, 4), Tensor.randn(2, 3, 2), null, ['ntk'], [Double.POSITIVE_INFINITY], 0) }) || 'training targets have 4 rows but the training inputs 5'
        ({ -> FitRequest.regression(NET, Tensor.of([1, Double.NaN] as double[], 1, 2), Tensor.randn(1, 1), Tensor.randn(2, 3, 2), null, ['ntk'], [1d], 0) })  || 'non-finite'
        ({ -> FitRequest.regression(NET, Tensor.randn(0, 5, 2), Tensor.randn(1, 5), Tensor.randn(2, 3, 2), null, ['cntk'], [1d], 0) })                        || "get 'cntk'"
        ({ -> FitRequest.regression(NET, Tensor.randn(0, 5, 2), Tensor.randn(1, 5), Tensor.randn(2, 3, 2), null, ['ntk'], [-1d], 0) })                        || 'times must be >= 0'
    }

    def "names: ntk at t = inf, ntk_t1000 at 1e3, ntk_t0.5 at 0.5"() {
        expect:
        FitRequest.predictionName('ntk', Double.POSITIVE_INFINITY) == 'ntk'
        FitRequest.predictionName('ntk', 1e3) == 'ntk_t1000'
        FitRequest.predictionName('nngp', 0.5) == 'nngp_t0.5'
    }
}
