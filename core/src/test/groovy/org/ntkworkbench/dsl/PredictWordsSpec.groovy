package org.ntkworkbench.dsl

import static org.ntkworkbench.nn.Layers.*

import groovy.transform.CompileStatic
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.data.IdxFixtures
import org.ntkworkbench.data.LabeledData
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The words {@code predict}, {@code maxLearningRate} and {@code dataset} inside the DSL, each against a
 * derivation that shares no code with the word: Gauss-Jordan elimination (t = ∞, GP posterior, ensemble at
 * t = ∞), Runge-Kutta integration of the gradient-flow ODEs (finite t, ensemble at finite t), power iteration
 * (λ_max), gradient descent in parameter space on an explicit feature map (cross-entropy with momentum),
 * pixel values written by the fixture (data sets). Kernels come from {@code net.kernel} here, the kernel
 * service inside the words.
 */
class PredictWordsSpec extends Specification {
    @Shared
    Workbench wb = Workbench.start([])

    @TempDir
    Path dir

    static final Layer NET = serial(dense(64, 1.0, 0.1), relu(), dense(1))
    static final int N = 9, M = 4

    @Shared Tensor xTrain = Tensor.randn(11, N, 3)
    @Shared Tensor xTest = Tensor.randn(12, M, 3)
    @Shared Tensor yTrain = Tensor.randn(13, N, 2)

    /** Evaluates DSL text with the given variables; returns its value. */
    Object eval(String text, Map<String, Object> vars = [:]) {
        Map<String, Object> all = [net: NET, xTrain: xTrain, xTest: xTest, yTrain: yTrain] + vars
        new GroovyShell(getClass().classLoader, ScriptRunner.binding(wb, all), ScriptRunner.compilerConfiguration()).evaluate(text)
    }

    /** Runs DSL text as a script the way {@code ntk run} does: exit code, standard error, the run's status and results. */
    Map run(String text) {
        Path script = dir.resolve('words.groovy')
        Files.writeString(script, text)
        def err = new ByteArrayOutputStream()
        def o = new ScriptRunner(wb, new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true))
                .run(script, [:], dir.resolve('runs'), false, false)
        def manifest = o.runDir() == null ? null : new groovy.json.JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile())
        [exit: o.exitCode(), err: err.toString().trim(), status: manifest?.status, results: manifest?.results ?: [:]]
    }

    // ---- independent linear algebra in plain doubles -------------------------------------------------------

    static double[][] mat(Tensor t) { t.toArray2d() }

    /** A X = B by Gauss-Jordan with partial pivoting. */
    @CompileStatic
    static double[][] solve(double[][] a0, double[][] b0) {
        int n = a0.length, k = b0[0].length
        double[][] a = new double[n][], b = new double[n][]
        for (int i = 0; i < n; i++) { a[i] = Arrays.copyOf(a0[i], a0[i].length); b[i] = Arrays.copyOf(b0[i], b0[i].length) }
        for (int c = 0; c < n; c++) {
            int p = c
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r
            double[] t = a[c]; a[c] = a[p]; a[p] = t
            t = b[c]; b[c] = b[p]; b[p] = t
            for (int r = 0; r < n; r++) {
                if (r == c) continue
                double f = a[r][c] / a[c][c]
                for (int j = c; j < n; j++) a[r][j] -= f * a[c][j]
                for (int j = 0; j < k; j++) b[r][j] -= f * b[c][j]
            }
        }
        double[][] x = new double[n][k]
        for (int r = 0; r < n; r++) for (int j = 0; j < k; j++) x[r][j] = b[r][j] / a[r][r]
        x
    }

    @CompileStatic
    static double[][] mul(double[][] a, double[][] b) {
        int n = a.length, l = b.length, k = b[0].length
        double[][] c = new double[n][k]
        for (int i = 0; i < n; i++) for (int p = 0; p < l; p++) { double v = a[i][p]; for (int j = 0; j < k; j++) c[i][j] += v * b[p][j] }
        c
    }

    @CompileStatic
    static double[][] tr(double[][] a) {
        double[][] t = new double[a[0].length][a.length]
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j]
        t
    }

    @CompileStatic
    static double[][] lin(double sa, double[][] a, double sb, double[][] b) {
        double[][] c = new double[a.length][a[0].length]
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) c[i][j] = sa * a[i][j] + sb * b[i][j]
        c
    }

    @CompileStatic
    static double[][] eye(int n) {
        double[][] e = new double[n][n]
        for (int i = 0; i < n; i++) e[i][i] = 1
        e
    }

    @CompileStatic
    static double[][] plusDiag(double[][] a, double d) {
        double[][] c = new double[a.length][]
        for (int i = 0; i < c.length; i++) { c[i] = Arrays.copyOf(a[i], a[i].length); c[i][i] += d }
        c
    }

    /** max |got − want| / max |want|. */
    static double relErr(Object got, double[][] want) {
        double[][] g = got instanceof Tensor ? ((Tensor) got).reshape(want.length, want[0].length).toArray2d() : (double[][]) got
        double num = 0, den = 0
        for (int i = 0; i < want.length; i++) for (int j = 0; j < want[0].length; j++) {
            num = Math.max(num, Math.abs(g[i][j] - want[i][j])); den = Math.max(den, Math.abs(want[i][j]))
        }
        num / den
    }

    /** Classic RK4 on a list of matrices: {@code d/dt state = f(state)} from 0 to T. */
    static List<double[][]> rk4(List<double[][]> y0, double T, int steps, Closure<List<double[][]>> f) {
        double h = T / steps
        List<double[][]> y = y0
        def axpy = { List<double[][]> a, double s, List<double[][]> b -> (0..<a.size()).collect { lin(1, a[it], s, b[it]) } }
        for (int s = 0; s < steps; s++) {
            def k1 = f(y), k2 = f(axpy(y, h / 2, k1)), k3 = f(axpy(y, h / 2, k2)), k4 = f(axpy(y, h, k3))
            y = (0..<y.size()).collect { i -> lin(1, y[i], h / 6, lin(1, lin(1, k1[i], 2, k2[i]), 1, lin(2, k3[i], 1, k4[i]))) }
        }
        y
    }

    static double[][] oneHot(int[] labels, int k) {
        double[][] y = new double[labels.length][k]
        labels.eachWithIndex { int l, int i -> y[i][l] = 1 }
        y
    }

    // ---- predict: GD-MSE -----------------------------------------------------------------------------------

    def "t = inf: predict equals K*X (K + r mean(diag K) I)^-1 Y by Gauss-Jordan to 1e-10, for nngp and ntk"() {
        when:
        Map out = eval("predict(net, xTrain, yTrain, xTest, get: ['nngp', 'ntk'], diagReg: 1e-3)")

        then:
        out.keySet() == ['nngp', 'ntk'] as Set
        ['nngp', 'ntk'].every { g ->
            def k = mat(NET.kernel(xTrain)."$g"())
            def ks = mat(NET.kernel(xTest, xTrain)."$g"())
            double add = 1e-3 * (0..<N).sum { k[it][it] } / N
            relErr(out[g], mul(ks, solve(plusDiag(k, add), mat(yTrain)))) <= 1e-10
        }
    }

    def "maskConstant: NaN-padded sequences predict as the masked kernels given to predict(kernel:)"() {
        given:
        Layer conv = serial(conv(16, [3] as int[], null, org.ntkworkbench.kernel.Padding.SAME, 1.0, 0.1), relu(), globalAvgPool(), dense(1))
        def pad = { Tensor x, List<Integer> lengths ->
            lengths.eachWithIndex { int len, int i -> (len..<6).each { p -> (0..<2).each { c -> x.set(Double.NaN, i, p, c) } } }
            x
        }
        def a = pad(Tensor.randn(31, 5, 6, 2), [6, 3, 4, 2, 5])
        def b = pad(Tensor.randn(32, 3, 6, 2), [2, 6, 4])
        def y = Tensor.randn(33, 5, 1)
        def k = conv.kernel([maskConstant: Double.NaN], a).ntk()
        def ks = conv.kernel([maskConstant: Double.NaN], b, a).ntk()

        when:
        Map out = eval("predict(cnn, a, y, b, get: 'ntk', maskConstant: Double.NaN)", [cnn: conv, a: a, b: b, y: y])
        Map ref = eval("predict(kernel: [train: k, test: ks], y)", [k: k, ks: ks, y: y])

        then:
        relErr(out.ntk, (ref.kernel as Tensor).reshape(3, 1).toArray2d()) <= 1e-12
        (out.ntk as Tensor).maxAbs() > 0
    }

    def "finite t with lr: predict equals RK4 of df/dt = -(lr/n) K (f - y), df*/dt = -(lr/n) K*X (f - y) to 1e-8, all t from one call"() {
        given:
        double lr = 0.5
        def k = mat(NET.kernel(xTrain).ntk())
        def ks = mat(NET.kernel(xTest, xTrain).ntk())
        def y = mat(yTrain)
        def flow = { List<double[][]> s ->
            def r = lin(1, s[0], -1, y)
            [lin(-lr / N, mul(k, r), 0, r), lin(-lr / N, mul(ks, r), 0, mul(ks, r))]
        }

        when:
        Map out = eval("predict(net, xTrain, yTrain, xTest, get: 'ntk', t: [3, 25, Double.POSITIVE_INFINITY], lr: 0.5)")
        def at3 = rk4([new double[N][2], new double[M][2]], 3, 600, flow)
        def at25 = rk4(at3, 22, 3000, flow)

        then:
        out.keySet().toList() == ['ntk_t3', 'ntk_t25', 'ntk']
        relErr(out.ntk_t3, at3[1]) <= 1e-8
        relErr(out.ntk_t25, at25[1]) <= 1e-8
        relErr(out.ntk, mul(ks, solve(k, y))) <= 1e-10
    }

    // ---- predict: GP posterior -----------------------------------------------------------------------------

    def "noise: the GP posterior mean and covariance equal K*X (K + s2 I)^-1 Y and K** - K*X (K + s2 I)^-1 KX* to 1e-10"() {
        when:
        Map out = eval("predict(net, xTrain, yTrain, xTest, get: ['nngp'], noise: 0.05, variance: true)")
        def k = plusDiag(mat(NET.kernel(xTrain).nngp()), 0.05)
        def ks = mat(NET.kernel(xTest, xTrain).nngp())
        def kss = mat(NET.kernel(xTest).nngp())

        then:
        out.keySet() == ['nngp', 'cov_nngp'] as Set
        relErr(out.nngp, mul(ks, solve(k, mat(yTrain)))) <= 1e-10
        relErr(out.cov_nngp, lin(1, kss, -1, mul(ks, solve(k, tr(ks))))) <= 1e-9
    }

    // ---- predict: ensemble over initialisations ------------------------------------------------------------

    def "ensemble: t = 0 is the NNGP prior; finite t and t = inf equal RK4 / Gauss-Jordan of f*_t = f*_0 + A_t (y - f_0)"() {
        given:
        double lr = 1
        def th = mat(NET.kernel(xTrain).ntk()), ths = mat(NET.kernel(xTest, xTrain).ntk())
        def kk = mat(NET.kernel(xTrain).nngp()), ks = mat(NET.kernel(xTest, xTrain).nngp()), kss = mat(NET.kernel(xTest).nngp())
        def y = mat(yTrain)
        // Linearised training of all layers: B_t on train (dB/dt = (lr/n) Θ (I − B)), A_t on test (dA/dt = (lr/n) Θ*X (I − B)).
        def flow = { List<double[][]> s ->
            def rest = lin(1, eye(N), -1, s[0])
            [lin(lr / N, mul(th, rest), 0, rest), lin(lr / N, mul(ths, rest), 0, mul(ths, rest))]
        }
        def cov = { double[][] a -> lin(1, lin(1, kss, -1, mul(a, tr(ks))), 1, lin(-1, mul(ks, tr(a)), 1, mul(mul(a, kk), tr(a)))) }

        when:
        Map out = eval("predict(net, xTrain, yTrain, xTest, get: 'ntk', ensemble: true, t: [0, 7, Double.POSITIVE_INFINITY])")
        def a7 = rk4([new double[N][N], new double[M][N]], 7, 1500, flow)[1]
        def aInf = mul(ths, solve(th, eye(N)))

        then:
        out.keySet() == ['ntk_t0', 'cov_ntk_t0', 'ntk_t7', 'cov_ntk_t7', 'ntk', 'cov_ntk'] as Set
        ((Tensor) out.ntk_t0).maxAbs() == 0
        relErr(out.cov_ntk_t0, kss) <= 1e-12
        relErr(out.ntk_t7, mul(a7, y)) <= 1e-8
        relErr(out.cov_ntk_t7, cov(a7)) <= 1e-8
        relErr(out.ntk, mul(aInf, y)) <= 1e-9
        relErr(out.cov_ntk, cov(aInf)) <= 1e-8
    }

    // ---- predict: cross-entropy in function space ----------------------------------------------------------

    def "loss xent with momentum: predict equals gradient descent with momentum in parameter space on an explicit feature map to 1e-10"() {
        given: 'K = Phi Phi^T, so function-space descent with K is parameter-space descent of the linear model Phi W'
        int n = 8, m = 3, p = 5, k = 3
        double lr = 0.7, mu = 0.9
        double[][] phi = mat(Tensor.randn(21, n, p)), phiS = mat(Tensor.randn(22, m, p))
        int[] labels = (0..<n).collect { it % k } as int[]
        double[][] y = oneHot(labels, k)
        def descend = { int steps ->
            double[][] w = new double[p][k], v = new double[p][k]
            for (int s = 0; s < steps; s++) {
                double[][] f = mul(phi, w)
                double[][] r = new double[n][k]
                for (int i = 0; i < n; i++) {
                    double z = (0..<k).sum { Math.exp(f[i][it]) } as double
                    for (int c = 0; c < k; c++) r[i][c] = Math.exp(f[i][c]) / z - y[i][c]
                }
                double[][] g = mul(tr(phi), r)
                v = lin(mu, v, -1.0 / n, g)
                w = lin(1, w, lr, v)
            }
            mul(phiS, w)
        }

        when:
        Map out = eval("predict(kernel: [train: K, test: Ks], labels, loss: 'xent', lr: 0.7, momentum: 0.9, t: [0, 5, 40])",
                [K: Tensor.of(mul(phi, tr(phi))), Ks: Tensor.of(mul(phiS, tr(phi))), labels: labels])

        then:
        out.keySet() == ['kernel_t0', 'kernel_t5', 'kernel_t40'] as Set
        ((Tensor) out.kernel_t0).maxAbs() == 0
        relErr(out.kernel_t5, descend(5)) <= 1e-10
        relErr(out.kernel_t40, descend(40)) <= 1e-10
    }

    // ---- metrics ---------------------------------------------------------------------------------------------

    def "integer labels give accuracy_* (argmax against yTest); float targets give rmse_*; the kernel: form does not change K"() {
        given:
        int[] labels = (0..<N).collect { (it * 5) % 3 } as int[]
        int[] testLabels = [0, 2, 1, 1] as int[]
        def yTest = Tensor.randn(14, M, 2)
        def kTrain = NET.kernel(xTrain).ntk(), kTest = NET.kernel(xTest, xTrain).ntk()
        double[] before = kTrain.data().clone()

        when:
        Map c = eval("predict(net, xTrain, labels, xTest, yTest: testLabels, get: 'ntk', t: [Double.POSITIVE_INFINITY, 10])",
                [labels: labels, testLabels: testLabels])
        Map r = eval("predict(net, xTrain, yTrain, xTest, yTest: yTest, get: 'ntk')", [yTest: yTest])
        Map byKernel = eval("predict(kernel: [train: K, test: Ks], labels, yTest: testLabels, diagReg: 1e-2)",
                [K: kTrain, Ks: kTest, labels: labels, testLabels: testLabels])

        then: 'accuracy = share of test rows whose largest output is the label'
        ['ntk', 'ntk_t10'].every { name ->
            def f = mat(c[name])
            int right = (0..<M).count { i -> (0..<3).max { f[i][it] } == testLabels[i] }
            c['accuracy_' + name] == right / (double) M
        }
        relErr(c.ntk, mul(mat(kTest), solve(mat(kTrain), oneHot(labels, 3)))) <= 1e-10

        and: 'rmse over all entries'
        def f = mat(r.ntk), yt = mat(yTest)
        Math.abs(r.rmse_ntk - Math.sqrt((0..<M).sum { i -> (0..<2).sum { j -> (f[i][j] - yt[i][j]) ** 2 } } / (2 * M))) <= 1e-14

        and: 'the caller\'s kernel is not regularised in place'
        kTrain.data() == before
        byKernel.containsKey('accuracy_kernel')
    }

    // ---- maxLearningRate -----------------------------------------------------------------------------------

    def "maxLearningRate = 2n / lambda_max(NTK) with lambda_max by power iteration (1e-9); GD on mse converges just below it and diverges above"() {
        given:
        def k = mat(NET.kernel(xTrain).ntk())
        double[] v = new double[N]
        Arrays.fill(v, 1.0)
        double lam = 0
        for (int it = 0; it < 5000; it++) {
            double[] w = new double[N]
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) w[i] += k[i][j] * v[j]
            lam = Math.sqrt((0..<N).sum { w[it] * w[it] } as double)
            for (int i = 0; i < N; i++) v[i] = w[i] / lam
        }
        def gd = { double lr ->
            // Discrete GD of the linearised network on mse = (1/2n) sum |f - y|^2: f <- f - (lr/n) K (f - y).
            double[][] f = new double[N][2]
            def y = mat(yTrain)
            for (int s = 0; s < 2000; s++) f = lin(1, f, -lr / N, mul(k, lin(1, f, -1, y)))
            Math.sqrt((0..<N).sum { i -> (0..<2).sum { j -> (f[i][j] - y[i][j]) ** 2 } } as double)
        }
        double start = Math.sqrt((0..<N).sum { i -> (0..<2).sum { j -> yTrain.get(i, j) ** 2 } } as double)

        when:
        double byNet = eval('maxLearningRate(net, xTrain)') as double
        double byKernel = eval('maxLearningRate(kernel: K)', [K: NET.kernel(xTrain).ntk()]) as double

        then:
        Math.abs(byNet - 2 * N / lam) <= 1e-9 * byNet
        Math.abs(byKernel - 2 * N / lam) <= 1e-9 * byKernel
        gd(0.98 * byNet) < start
        gd(1.02 * byNet) > 1e3 * start
    }

    // ---- dataset -------------------------------------------------------------------------------------------

    def "dataset: the file's pixels and labels, first n or stratified with a seed, NHWC or flat, classes renumbered, test from t10k"() {
        given:
        IdxFixtures.write(dir.resolve('toy'), 'train', 30, 4, 5, 3, true)
        IdxFixtures.write(dir.resolve('toy'), 't10k', 7, 4, 5, 3, false)
        String d = dir.toString()

        when:
        LabeledData first = eval("dataset('toy', n: 6, sample: 'first', normalize: 'unit', flatten: false, data: D)", [D: d])
        def pair = eval("def (x, y) = dataset('toy', split: 'test', normalize: 'none', data: D); [x, y]", [D: d])
        LabeledData a = eval("dataset('toy', n: 12, seed: 5, data: D)", [D: d])
        LabeledData b = eval("dataset('toy', n: 12, seed: 5, data: D)", [D: d])
        LabeledData c = eval("dataset('toy', n: 12, seed: 6, data: D)", [D: d])
        LabeledData sub = eval("dataset('toy', classes: [2, 0], data: D)", [D: d])

        then: 'first n: pixel / 255 in NHWC, labels as written'
        first.x().shape() == [6, 4, 5, 1] as int[]
        (0..<6).every { i -> (0..<4).every { r -> (0..<5).every { cc -> first.x().get(i, r, cc, 0) == IdxFixtures.pixel(i, r, cc) / 255d } } }
        first.labels() == (0..<6).collect { IdxFixtures.label(it, 3) } as int[]

        and: 'the test split reads t10k; destructuring gives (x, labels)'
        pair[0].shape() == [7, 20] as int[]
        pair[0].get(3, 7) == IdxFixtures.pixel(3, 1, 2)
        pair[1] == (0..<7).collect { IdxFixtures.label(it, 3) } as int[]

        and: 'stratified: the seed decides, per-class counts follow the file, standardised rows'
        a.indices() == b.indices() && a.indices() != c.indices()
        (0..<3).every { k -> Math.abs(a.labels().toList().count { it == k } - 12 * (0..<30).count { IdxFixtures.label(it, 3) == k } / 30d) < 1 }
        (0..<12).every { i -> Math.abs((0..<20).sum { a.x().get(i, it) } as double) < 1e-9 }

        and: 'classes: [2, 0] keeps those, renumbered 2 -> 0, 0 -> 1'
        sub.labels().length == (0..<30).count { IdxFixtures.label(it, 3) != 1 }
        (0..<sub.size()).every { sub.labels()[it] == (IdxFixtures.label(sub.indices()[it], 3) == 2 ? 0 : 1) }
    }

    // ---- bad input -----------------------------------------------------------------------------------------

    def "bad input to #word: one line naming the word, exit 2, the run marked failed with no results"() {
        given:
        IdxFixtures.write(dir.resolve('toy'), 'train', 10, 2, 2, 2, true)
        IdxFixtures.write(dir.resolve('half'), 'train', 10, 2, 2, 2, true)
        Files.delete(dir.resolve('half/train-labels-idx1-ubyte.gz'))
        String prelude = """
            def net = serial(dense(8), relu(), dense(1))
            def x = Tensor.randn(0, 6, 3)
            def xs = Tensor.randn(1, 2, 3)
            def y = Tensor.randn(2, 6, 1)
            def D = '${dir}'
        """.stripIndent()

        when:
        def r = run(prelude + call)

        then:
        r.exit == 2
        r.err.readLines().size() == 1
        r.err.contains(word + ':')
        r.err.contains(words)
        r.status != 'ok'
        r.results.isEmpty()

        where:
        word              | call                                                                              || words
        'predict'         | 'predict(net, x, Tensor.randn(3, 5, 1), xs)'                                              || 'do not fit together'
        'predict'         | 'predict(net, x, y, xs, get: "cntk")'                                              || "get 'cntk'"
        'predict'         | 'predict(net, x, y, xs, t: -1)'                                                    || 'times must be >= 0'
        'predict'         | 'predict(net, x, y, xs, loss: "hinge")'                                            || "loss 'hinge'"
        'predict'         | 'predict(net, x, [0, 1, 0, 1, 0, 1], xs, loss: "xent")'                             || 'whole finite step counts'
        'predict'         | 'predict(net, x, y, xs, ensemble: true, noise: 0.1)'                               || 'ensemble'
        'predict'         | 'predict(kernel: [train: Tensor.randn(0, 6, 6)], y)'                                      || 'kernel: expects'
        'predict'         | 'predict(kernel: [train: Tensor.randn(0, 6, 6), test: Tensor.randn(0, 2, 6)], y, ensemble: true)' || 'ensemble'
        'predict'         | 'predict(net, x, y)'                                                               || 'expected predict(net'
        'predict'         | 'predict(net, x, y, xs, lr: 1, foo: 2)'                                             || 'foo'
        'predict'         | 'predict(net, x, y, xs, yTest: [0, 1, 1])'                                          || 'yTest'
        'predict'         | 'predict(net, x, [0, 1, -1, 1, 0, 1], xs)'                                          || 'label'
        'predict'         | 'x.data()[4] = Double.NaN; predict(net, x, y, xs)'                                 || 'non-finite'
        'maxLearningRate' | 'maxLearningRate(net)'                                                              || 'expected maxLearningRate'
        'maxLearningRate' | 'maxLearningRate(kernel: Tensor.randn(0, 3, 4))'                                          || 'maxLearningRate:'
        'dataset'         | "dataset('no-such-set', data: D)"                                                  || "unknown data set 'no-such-set'"
        'dataset'         | "dataset('toy', sample: 'random', data: D)"                                        || "sample 'random'"
        'dataset'         | "dataset('toy', split: 'valid', data: D)"                                          || 'valid'
        'dataset'         | "dataset('toy', normalize: 'zca', data: D)"                                        || 'zca'
        'dataset'         | "dataset('toy', n: 11, data: D)"                                                   || '11'
        'dataset'         | "dataset('half', data: D)"                                                         || 'no such file'
    }
}
