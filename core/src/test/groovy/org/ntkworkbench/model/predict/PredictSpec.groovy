package org.ntkworkbench.model.predict

import groovy.transform.CompileStatic
import org.ntkworkbench.kernel.Dual
import org.ntkworkbench.kernel.Kernel
import org.ntkworkbench.nn.Dense
import org.ntkworkbench.tensor.Lapack
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification

/**
 * Predictors against independent derivations: t = 0 and t → ∞ limits, explicit Euler integration of
 * df/dt = −(η/n) Θ (f − y), explicit discrete GD iterations, a naive Gauss–Jordan solve, stability of
 * GD around 2n/λ_max, Monte Carlo over initialisations for the ensemble covariance; and the error
 * reporting (jitter, NaN, indefinite kernels).
 */
class PredictSpec extends Specification {

    static final int N = 30, M = 7

    @Shared Tensor ntk, nngp, y, f0

    def setupSpec() {
        // A depth-2 ReLU network with bias on 37 random points: train = first 30, test = last 7.
        def x = Tensor.randn(21, N + M, 5)
        def k = Dense.rule(Kernel.fromInputs(x, null), 1.2, 0.3)
        k = Dense.rule(Dual.relu().apply(k), 1.5, 0.2)
        ntk = k.ntk()
        nngp = k.nngp()
        y = Tensor.randn(22, N, 2)
        f0 = Tensor.randn(23, N + M, 2)
    }

    static Tensor block(Tensor k, int r0, int r1, int c0, int c1) {
        int cols = k.dim(1)
        double[] o = new double[(r1 - r0) * (c1 - c0)]
        for (int i = r0; i < r1; i++) for (int j = c0; j < c1; j++) o[(i - r0) * (c1 - c0) + j - c0] = k.data()[i * cols + j]
        Tensor.of(o, r1 - r0, c1 - c0)
    }

    static Tensor rows(Tensor f, int r0, int r1) { block(f, r0, r1, 0, f.dim(1)) }

    static double maxDiff(Tensor a, Tensor b) {
        double m = 0
        for (int i = 0; i < a.size(); i++) m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]))
        m
    }

    /** Naive Gauss–Jordan solve of A X = B (test oracle, no LAPACK). */
    @CompileStatic
    static double[] gaussJordan(double[] a0, double[] b0, int n, int k) {
        double[] a = a0.clone(), b = b0.clone()
        for (int c = 0; c < n; c++) {
            int p = c
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r
            for (int j = 0; j < n; j++) { double t = a[c * n + j]; a[c * n + j] = a[p * n + j]; a[p * n + j] = t }
            for (int j = 0; j < k; j++) { double t = b[c * k + j]; b[c * k + j] = b[p * k + j]; b[p * k + j] = t }
            for (int r = 0; r < n; r++) {
                if (r == c) continue
                double f = a[r * n + c] / a[c * n + c]
                for (int j = 0; j < n; j++) a[r * n + j] -= f * a[c * n + j]
                for (int j = 0; j < k; j++) b[r * k + j] -= f * b[c * k + j]
            }
        }
        for (int r = 0; r < n; r++) for (int j = 0; j < k; j++) b[r * k + j] /= a[r * n + r]
        b
    }

    /** Explicit Euler for df/dt = −(η/n) Θ (f − y), d(f*)/dt = −(η/n) Θ_{*X} (f − y). Returns [f_T; f*_T]. */
    @CompileStatic
    static double[] euler(double[] theta, int nAll, int n, double[] yv, double[] f0v, int k, double eta, double time, int steps) {
        double[] f = f0v.clone()
        double h = time / steps
        double[] r = new double[n * k]
        for (int s = 0; s < steps; s++) {
            for (int e = 0; e < n * k; e++) r[e] = f[e] - yv[e]
            for (int i = 0; i < nAll; i++) for (int c = 0; c < k; c++) {
                double d = 0
                for (int j = 0; j < n; j++) d += theta[i * nAll + j] * r[j * k + c]
                f[i * k + c] -= h * eta / n * d
            }
        }
        f
    }

    def "the GD predictor starts at f0 and ends at kernel regression"() {
        given:
        def gd = new GradientDescentMse(block(ntk, 0, N, 0, N), y, 0.5)
        def f0Train = rows(f0, 0, N)
        def f0Test = rows(f0, N, N + M)
        def ntkTestTrain = block(ntk, N, N + M, 0, N)
        double lamMin = gd.eigenvalues()[0]
        double tLong = 60 * N / (0.5 * lamMin)
        // Kernel regression of the residual by a naive solve: f*_∞ = f*_0 + Θ_{*X} Θ⁻¹ (y − f_0).
        double[] resid = (0..<N * 2).collect { y.data()[it] - f0Train.data()[it] } as double[]
        double[] alpha = gaussJordan(block(ntk, 0, N, 0, N).data(), resid, N, 2)
        def regression = Tensor.of(alpha, N, 2)
        def expected = ntkTestTrain.matmul(regression)
        for (int e = 0; e < expected.size(); e++) expected.data()[e] += f0Test.data()[e]

        expect:
        maxDiff(gd.train(0, f0Train), f0Train) < 1e-12
        maxDiff(gd.test(0, f0Train, f0Test, ntkTestTrain), f0Test) < 1e-12
        maxDiff(gd.train(tLong, f0Train), y) < 1e-9
        maxDiff(gd.train(Double.POSITIVE_INFINITY, f0Train), y) == 0
        maxDiff(gd.test(tLong, f0Train, f0Test, ntkTestTrain), expected) < 1e-7
        maxDiff(gd.test(Double.POSITIVE_INFINITY, f0Train, f0Test, ntkTestTrain), expected) < 1e-8
    }

    def "the GD predictor follows explicit Euler integration of the gradient-flow ODE"() {
        given:
        double eta = 0.7
        def gd = new GradientDescentMse(block(ntk, 0, N, 0, N), y, eta)
        double[] lam = gd.eigenvalues()
        double time = 3 * N / (eta * lam[N - 5])   // a few time constants of the upper spectrum
        double[] fine = euler(ntk.data(), N + M, N, y.data(), f0.data(), 2, eta, time, 20000)
        double[] coarse = euler(ntk.data(), N + M, N, y.data(), f0.data(), 2, eta, time, 10000)
        // Euler is first order: fine − exact ≈ coarse − fine; Richardson 2·fine − coarse is O(h²).
        double[] rich = (0..<fine.length).collect { 2 * fine[it] - coarse[it] } as double[]
        def pred = gd.train(time, rows(f0, 0, N))
        def predTest = gd.test(time, rows(f0, 0, N), rows(f0, N, N + M), block(ntk, N, N + M, 0, N))
        double errEuler = 0, errRich = 0, scale = 0
        for (int e = 0; e < N * 2; e++) {
            errEuler = Math.max(errEuler, Math.abs(fine[e] - pred.data()[e]))
            errRich = Math.max(errRich, Math.abs(rich[e] - pred.data()[e]))
            scale = Math.max(scale, Math.abs(fine[e] - coarse[e]))
        }
        for (int e = 0; e < M * 2; e++) errRich = Math.max(errRich, Math.abs(rich[N * 2 + e] - predTest.data()[e]))

        expect: 'Euler error within twice its own step-halving estimate; Richardson-extrapolated to 1e-6'
        errEuler < 2 * scale + 1e-12
        errRich < 1e-6
    }

    def "the discrete predictor equals N explicit GD steps of the linearised model"() {
        given:
        double eta = 0.9 * GradientDescentMse.maxStableLearningRate(block(ntk, 0, N, 0, N))
        def gd = new GradientDescentMse(block(ntk, 0, N, 0, N), y, eta)
        // Explicit Euler with step 1 in units of steps is exactly discrete GD.
        double[] iter = euler(ntk.data(), N + M, N, y.data(), f0.data(), 2, eta, 37, 37)

        expect:
        maxDiff(gd.trainDiscrete(37, rows(f0, 0, N)), Tensor.of(Arrays.copyOfRange(iter, 0, N * 2), N, 2)) < 1e-10
        maxDiff(gd.testDiscrete(37, rows(f0, 0, N), rows(f0, N, N + M), block(ntk, N, N + M, 0, N)),
                Tensor.of(Arrays.copyOfRange(iter, N * 2, (N + M) * 2), M, 2)) < 1e-10
    }

    def "GD converges below 2n/lambda_max and diverges above it"() {
        given:
        def theta = block(ntk, 0, N, 0, N)
        double etaMax = GradientDescentMse.maxStableLearningRate(theta)
        double lamMax = Lapack.syevd(theta.data(), N, false).values()[N - 1]
        def run = { double eta ->
            double[] f = euler(theta.data(), N, N, y.data(), rows(f0, 0, N).data(), 2, eta, 3000, 3000)
            double s = 0
            for (int e = 0; e < f.length; e++) s += (f[e] - y.data()[e]) ** 2
            Math.sqrt(s)
        }
        double start = Math.sqrt((0..<N * 2).sum { (f0.data()[it] - y.data()[it]) ** 2 } as double)

        expect:
        Math.abs(etaMax - 2 * N / lamMax) < 1e-12 * etaMax
        run(0.98 * etaMax) < start
        run(1.02 * etaMax) > 1e3 * start
    }

    def "the GP posterior matches a naive solve and interpolates its training data"() {
        given:
        def kxx = block(nngp, 0, N, 0, N)
        def ksx = block(nngp, N, N + M, 0, N)
        def kss = block(nngp, N, N + M, N, N + M)
        def post = GaussianProcess.posterior(kxx, ksx, kss, y, 0)
        def atTrain = GaussianProcess.posterior(kxx, kxx, kxx, y, 0)
        double[] w = gaussJordan(kxx.data(), ksx.transpose().data(), N, M)
        def covRef = kss.copy()
        def red = ksx.matmul(Tensor.of(w, N, M))
        for (int e = 0; e < covRef.size(); e++) covRef.data()[e] -= red.data()[e]
        def meanRef = ksx.matmul(Tensor.of(gaussJordan(kxx.data(), y.data(), N, 2), N, 2))

        expect:
        post.cholesky().jitter() == 0
        maxDiff(post.mean(), meanRef) < 1e-9
        maxDiff(post.covariance(), covRef) < 1e-9
        maxDiff(atTrain.mean(), y) < 1e-8
        atTrain.covariance().maxAbs() < 1e-8
    }

    def "the ensemble is the prior at t = 0 and the GP posterior at t = inf in NNGP mode"() {
        given:
        def kxx = block(nngp, 0, N, 0, N)
        def ksx = block(nngp, N, N + M, 0, N)
        def kss = block(nngp, N, N + M, N, N + M)
        def ens = new EnsembleGdMse(null, kxx, y, 1.0, EnsembleGdMse.Mode.NNGP)
        def prior = ens.test(0, ksx, ksx, kss)
        def inf = ens.test(Double.POSITIVE_INFINITY, ksx, ksx, kss)
        def post = GaussianProcess.posterior(kxx, ksx, kss, y, 0)
        def trainPrior = ens.train(0)

        expect:
        prior.mean().maxAbs() < 1e-14
        maxDiff(prior.covariance(), kss) < 1e-12
        maxDiff(trainPrior.covariance(), kxx) < 1e-10
        maxDiff(inf.mean(), post.mean()) < 1e-8
        maxDiff(inf.covariance(), post.covariance()) < 1e-8
    }

    def "the NTK ensemble's mean and covariance match Monte Carlo over initialisations"() {
        given: 'S draws f_0 ~ N(0, K) jointly on train and test (columns), mapped through the GD predictor at time t'
        int samples = 4000
        double eta = 1.0, t = 2.0 * N / eta
        def y0 = rows(y, 0, N).reshape(N * 2).copy()
        double[] y1 = new double[N]
        for (int i = 0; i < N; i++) y1[i] = y0.data()[i * 2]
        def ens = new EnsembleGdMse(block(ntk, 0, N, 0, N), block(nngp, 0, N, 0, N), Tensor.of(y1, N), eta, EnsembleGdMse.Mode.NTK)
        def pred = ens.test(t, block(ntk, N, N + M, 0, N), block(nngp, N, N + M, 0, N), block(nngp, N, N + M, N, N + M))
        // One predictor for all samples: targets repeated in every column.
        double[] yRep = new double[N * samples]
        for (int i = 0; i < N; i++) Arrays.fill(yRep, i * samples, (i + 1) * samples, y1[i])
        def gd = new GradientDescentMse(block(ntk, 0, N, 0, N), Tensor.of(yRep, N, samples), eta)
        def l = Tensor.of(Lapack.potrf(nngp.data(), N + M), N + M, N + M)
        def f0s = l.matmul(Tensor.randn(5, N + M, samples))
        def ft = gd.test(t, rows(f0s, 0, N), rows(f0s, N, N + M), block(ntk, N, N + M, 0, N))
        def stats = meanAndCov(ft.data(), M, samples)
        def cov = pred.covariance()
        boolean meanOk = (0..<M).every { i ->
            Math.abs(stats[0][i] - pred.mean().data()[i]) < 5 * Math.sqrt(cov.get(i, i) / samples)
        }
        boolean covOk = (0..<M).every { i -> (0..<M).every { j ->
            double se = Math.sqrt((cov.get(i, i) * cov.get(j, j) + cov.get(i, j) ** 2) / samples)
            Math.abs(stats[1][i * M + j] - cov.get(i, j)) < 5 * se
        } }

        expect: '5 standard errors per entry'
        meanOk
        covOk
    }

    @CompileStatic
    static List<double[]> meanAndCov(double[] f, int m, int s) {
        double[] mean = new double[m], cov = new double[m * m]
        for (int i = 0; i < m; i++) { for (int k = 0; k < s; k++) mean[i] += f[i * s + k]; mean[i] /= s }
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) {
            double c = 0
            for (int k = 0; k < s; k++) c += (f[i * s + k] - mean[i]) * (f[j * s + k] - mean[j])
            cov[i * m + j] = c / (s - 1)
        }
        [mean, cov]
    }

    def "Cholesky adds growing jitter to a singular kernel and reports it"() {
        given: 'the input kernel of 12 points in R³ has rank 3 (singular, PSD)'
        def x = Tensor.randn(31, 12, 3)
        def k = Kernel.fromInputs(x, null).nngp()
        def chol = Cholesky.of("nngp train-train", k)
        double mean = (0..<12).sum { k.get(it, it) } / 12

        expect:
        chol.jitter() > 0
        chol.attempts() >= 2
        Math.abs(Math.log10(chol.jitter() / (1e-12 * mean)) - (chol.attempts() - 2)) < 1e-9
        chol.report().contains('jitter') && chol.report().contains('nngp train-train')
    }

    def "non-finite, asymmetric and indefinite kernels are reported with the offending index"() {
        given:
        def bad = block(nngp, 0, 6, 0, 6).copy()
        bad.set(Double.NaN, 2, 3)
        def asym = block(nngp, 0, 6, 0, 6).copy()
        asym.set(asym.get(0, 4) + 0.1, 0, 4)
        def indefinite = Tensor.of([[1, 0, 0], [0, 1, 2], [0, 2, 1]] as double[][])

        when:
        Cholesky.of("ntk train-train", bad)
        then:
        def e1 = thrown(IllegalArgumentException)
        e1.message.contains('ntk train-train entry (2, 3) is NaN')

        when:
        new GradientDescentMse(asym, Tensor.zeros(6), 1.0)
        then:
        def e2 = thrown(IllegalArgumentException)
        e2.message.contains('not symmetric') && e2.message.contains('(0, 4)')

        when:
        Cholesky.of("nngp train-train", indefinite)
        then: 'eigenvalue −1 with eigenvector (0, 1, −1)/√2: largest at example 1 (ties keep the first)'
        def e3 = thrown(IllegalArgumentException)
        e3.message.contains('not positive semi-definite') && e3.message.contains('= -1.0') && e3.message.contains('example 1')

        when:
        GaussianProcess.posterior(block(nngp, 0, 6, 0, 6), block(nngp, 6, 8, 0, 6), null, Tensor.full(Double.POSITIVE_INFINITY, 6), 0)
        then:
        def e4 = thrown(IllegalArgumentException)
        e4.message.contains('targets y entry (0, 0) is Infinity')
    }
}
