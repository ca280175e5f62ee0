package org.ntkworkbench.cli

import groovy.json.JsonSlurper
import java.nio.file.Path
import org.ntkworkbench.io.NpyWriter
import org.ntkworkbench.io.Npz
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * {@code ntk train} in a child JVM on a tiny problem, checked against the network
 * z = (1/√d) x W0 + 0.5 b0, h = relu(z), f = (1/√m) h W2 (DESIGN.md's NTK parameterization),
 * loss (1/2n) Σ‖f − y‖², written out below with plain loops.
 */
class TrainCommandSpec extends Specification {
    static final String MODEL = 'serial(dense(%d, bStd: 0.5), relu(), dense(2))'

    @Shared
    @TempDir
    Path dir

    @Shared
    Tensor x = Tensor.randn(21, 6, 3)

    @Shared
    Tensor y = Tensor.randn(22, 6, 2)

    def setupSpec() {
        NpyWriter.write(dir.resolve('X.npy'), x)
        NpyWriter.write(dir.resolve('Y.npy'), y)
        NpyWriter.write(dir.resolve('Y5.npy'), Tensor.randn(23, 5, 2))
    }

    Map train(String... args) {
        NtkProcess.run('', (['train', '--x', dir.resolve('X.npy').toString()] + args.toList()) as String[])
    }

    /** Forward pass with plain loops: [z (n×m), h (n×m), f (n×k)]. */
    static List<double[][]> forward(Map<String, Tensor> p, Tensor x) {
        int n = x.dim(0), d = x.dim(1), m = p['0/W'].dim(1), k = p['2/W'].dim(1)
        double[][] z = new double[n][m], h = new double[n][m], f = new double[n][k]
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0
                for (int a = 0; a < d; a++) s += x.get(i, a) * p['0/W'].get(a, j)
                z[i][j] = s / Math.sqrt(d) + 0.5d * p['0/b'].get(j)
                h[i][j] = Math.max(z[i][j], 0d)
            }
            for (int c = 0; c < k; c++) {
                double s = 0
                for (int j = 0; j < m; j++) s += h[i][j] * p['2/W'].get(j, c)
                f[i][c] = s / Math.sqrt(m)
            }
        }
        [z, h, f]
    }

    static double loss(Map<String, Tensor> p, Tensor x, Tensor y) {
        double[][] f = forward(p, x)[2]
        double s = 0
        for (int i = 0; i < f.length; i++) for (int c = 0; c < f[i].length; c++) s += (f[i][c] - y.get(i, c)) ** 2
        s / (2 * f.length)
    }

    /** ∂loss/∂θ by the chain rule, in loops. */
    static Map<String, double[]> gradient(Map<String, Tensor> p, Tensor x, Tensor y) {
        def (double[][] z, double[][] h, double[][] f) = forward(p, x)
        int n = x.dim(0), d = x.dim(1), m = p['0/W'].dim(1), k = p['2/W'].dim(1)
        double[] gW0 = new double[d * m], gb0 = new double[m], gW2 = new double[m * k]
        for (int i = 0; i < n; i++) {
            double[] r = (0..<k).collect { c -> (f[i][c] - y.get(i, c)) / n } as double[]
            for (int j = 0; j < m; j++) {
                double back = 0
                for (int c = 0; c < k; c++) {
                    gW2[j * k + c] += h[i][j] * r[c] / Math.sqrt(m)
                    back += r[c] * p['2/W'].get(j, c) / Math.sqrt(m)
                }
                double delta = z[i][j] > 0 ? back : 0d
                gb0[j] += 0.5d * delta
                for (int a = 0; a < d; a++) gW0[a * m + j] += x.get(i, a) * delta / Math.sqrt(d)
            }
        }
        ['0/W': gW0, '0/b': gb0, '2/W': gW2]
    }

    static List<double[]> csv(Path file) {
        file.readLines().drop(1).collect { it.split(',').collect { it as double } as double[] }
    }

    def "one gd step from --init: step 0 is the loss of P, params.npz is P − η∇L, the last row its loss"() {
        given:
        def p = ['0/W': Tensor.randn(1, 3, 4), '0/b': Tensor.randn(2, 4), '2/W': Tensor.randn(3, 4, 2)]
        Npz.write(dir.resolve('P.npz'), p)
        def out = dir.resolve('gd1')

        when:
        def r = train('--model', String.format(MODEL, 4), '--y', dir.resolve('Y.npy').toString(), '--lr', '0.3',
                '--steps', '1', '--init', dir.resolve('P.npz').toString(), '--out', out.toString())
        def rows = csv(out.resolve('loss.csv'))
        def trained = Npz.read(out.resolve('params.npz'))
        def g = gradient(p, x, y)
        def manifest = new JsonSlurper().parse(out.resolve('manifest.json').toFile())

        then:
        r.exit == 0
        out.resolve('loss.csv').readLines()[0] == 'step,loss'
        rows*.getAt(0) == [0d, 1d]
        Math.abs(rows[0][1] - loss(p, x, y)) < 1e-12 * loss(p, x, y)
        trained.keySet().toList() == ['0/W', '0/b', '2/W']
        trained.every { k, v -> (0..<v.size()).every { Math.abs(v.data()[it] - (p[k].data()[it] - 0.3d * g[k][it])) < 1e-13 } }
        Math.abs(rows[1][1] - loss(trained, x, y)) < 1e-12 * loss(trained, x, y)
        rows[1][1] < rows[0][1]
        manifest.status == 'ok'
        manifest.parameters.model == String.format(MODEL, 4)
        manifest.results.final_loss == rows[1][1]
        manifest.files.containsAll(['loss.csv', 'params.npz'])
    }

    def "with the default init and no steps, params.npz holds net.init's raw N(0, 1) draws and step 0 is their loss"() {
        given:
        def out = dir.resolve('init0')

        when:
        def r = train('--model', String.format(MODEL, 64), '--y', dir.resolve('Y.npy').toString(), '--steps', '0',
                '--seed', '7', '--out', out.toString())
        def rows = csv(out.resolve('loss.csv'))
        def p = Npz.read(out.resolve('params.npz'))
        double[] all = p.values().collectMany { it.data() as List } as double[]
        double mean = all.sum() / all.length
        double var = all.collect { (it - mean) ** 2 }.sum() / (all.length - 1)

        then:
        r.exit == 0
        p.keySet().toList() == ['0/W', '0/b', '2/W']
        p['0/W'].shape() == [3, 64] as int[]
        p['2/W'].shape() == [64, 2] as int[]
        rows.size() == 1 && rows[0][0] == 0d
        Math.abs(rows[0][1] - loss(p, x, y)) < 1e-12 * loss(p, x, y)

        and: 'standard normal: 384 draws, mean within 4/√384 of 0, variance within 4·√(2/384) of 1'
        Math.abs(mean) < 4 / Math.sqrt(384)
        Math.abs(var - 1) < 4 * Math.sqrt(2 / 384d)
    }

    def "--init without a key the model needs is refused naming the key (exit 2)"() {
        given:
        Npz.write(dir.resolve('partial.npz'), ['0/W': Tensor.randn(1, 3, 4), '2/W': Tensor.randn(3, 4, 2)])

        when:
        def r = train('--model', String.format(MODEL, 4), '--y', dir.resolve('Y.npy').toString(),
                '--init', dir.resolve('partial.npz').toString(), '--out', dir.resolve('partial').toString())

        then:
        r.exit == 2
        r.err.readLines().size() == 1
        r.err.contains("partial.npz: parameter '0/b' is missing")
    }

    def "a learning rate that blows the loss up exits 1 with the step and a smaller rate"() {
        given:
        def out = dir.resolve('diverge')

        when:
        def r = train('--model', String.format(MODEL, 4), '--y', dir.resolve('Y.npy').toString(), '--lr', '1e9',
                '--steps', '50', '--out', out.toString())

        then:
        r.exit == 1
        r.err.readLines().size() == 1
        r.err =~ /training diverged at step \d+: the loss is (Infinity|NaN|[0-9.]+E[0-9]+, more than 1\.0E10 times the initial loss [0-9.E-]+); try a smaller learning rate than 1\.0E9/
        new JsonSlurper().parse(out.resolve('manifest.json').toFile()).status == 'failed'
    }

    def "bad input files are named in one line with exit 2"() {
        when:
        def missing = train('--model', 'dense(2)', '--y', dir.resolve('nope.npy').toString(), '--out', dir.resolve('bad1').toString())
        def short5 = train('--model', 'dense(2)', '--y', dir.resolve('Y5.npy').toString(), '--out', dir.resolve('bad2').toString())

        then:
        missing.exit == 2
        missing.err.readLines() == ["ntk train: ${dir.resolve('nope.npy')}: no such file".toString()]
        short5.exit == 2
        short5.err.readLines().size() == 1
        short5.err.contains('Y5.npy: targets [5, 2] need one row per input')
    }
}
