package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import java.util.function.Function
import org.ntkworkbench.autodiff.GradCheck
import org.ntkworkbench.autodiff.Ops
import org.ntkworkbench.autodiff.Var
import org.ntkworkbench.model.ModelExtensions
import org.ntkworkbench.nn.ApplyContext
import org.ntkworkbench.nn.Graphs
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification

/**
 * {@code aggregate()} with a graph per example (neural-tangents' {@code Aggregate} with {@code pattern}, session 5):
 * Monte Carlo against seed-averaged finite networks (16 seeds, 5 SE + 8/channels, as LinearMapLayersSpec); the rule
 * on input kernels = the input kernel of the aggregated inputs; {@code A1[a]ᵀ K[a, b] A2[b]} written out on a deep
 * prefix; equal graphs = the one-graph layer; padded graphs with masked padding nodes = the trimmed graphs (exact);
 * gradients against central differences; the structured empirical NTK = the Jacobian contraction; the DSL words
 * (apply, kernel, empiricalNtk/Nngp, monteCarloKernel) agree with each other; one-line refusals.
 */
class GraphAggregateSpec extends Specification {
    static final int C = 256, M = 64

    @Shared Tensor x = Tensor.randn(31, 5, 5, 2)
    @Shared Tensor y = Tensor.randn(32, 3, 5, 2)
    /** Per-example weighted graphs with self-loops: A[e, i, j] = weight of the edge i -> j of example e. */
    @Shared Tensor ax = graphs(33, 5, 5)
    @Shared Tensor ay = graphs(34, 3, 5)

    static Tensor graphs(long seed, int n, int v) {
        def u = new Random(seed)
        double[] a = new double[n * v * v]
        for (int e = 0; e < n; e++) for (int i = 0; i < v; i++) for (int j = 0; j < v; j++) {
            double r = u.nextDouble()
            a[(e * v + i) * v + j] = i == j ? 1 : r < 0.45 ? 0.5 + r : 0
        }
        Tensor.of(a, n, v, v)
    }

    static double relDiff(Tensor a, Tensor b) {
        assert a.sameShape(b): "${a.shapeString()} vs ${b.shapeString()}"
        a.sub(b).maxAbs() / Math.max(b.maxAbs(), 1e-300)
    }

    def "Monte Carlo: two per-example aggregations in a GNTK-style net, analytic within 5 SE + 8/channels of 16 finite nets"() {
        given:
        Layer net = serial(dense(C, bStd: 0.1), relu(), aggregate(), dense(C, wStd: 1.2), erf(), aggregate(), globalAvgPool(), dense(M))
        Kernel k = net.kernel([pattern: ax], x)
        Graphs.Bound b = Graphs.bind(net, null, x, ax, null, null)

        when:
        def (double rN, double rT) = MonteCarloKernels.worstRatios(b.net(), b.x1(), k, C)
        println "MC per-example aggregate: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1
        // the graphs matter: the same net with the first example's graph for all examples is far off
        relDiff(net.kernel([pattern: Tensor.of(((0..<5).collectMany { ax.rowRange(0, 1).data() as List }) as double[], 5, 5, 5)], x).ntk(),
                k.ntk()) > 0.05
    }

    def "the rule on input kernels = the input kernel of the aggregated inputs (1e-14): x2 = x1, x2 given, (n, X, X) graphs on images"() {
        given:
        def agg = aggregate()
        Kernel same = agg.kernel(Kernel.fromInputs(x, null).withPatterns(ax, null))
        Kernel sameIn = Kernel.fromInputs(agg.apply([pattern: ax], [:], x), null)
        Kernel cross = agg.kernel(Kernel.fromInputs(x, y).withPatterns(ax, ay))
        Kernel crossIn = Kernel.fromInputs(agg.apply([pattern: ax], [:], x), agg.apply([pattern: ay], [:], y))
        Tensor images = Tensor.randn(35, 4, 3, 2, 2)
        Tensor p2d = Tensor.randn(36, 4, 3, 2, 3, 2)
        Kernel img = agg.kernel(Kernel.fromInputs(images, null).withPatterns(p2d, null))
        Kernel imgIn = Kernel.fromInputs(agg.apply([pattern: p2d], [:], images), null)

        expect:
        relDiff(same.nngp(), sameIn.nngp()) <= 1e-14
        relDiff(same.cov1(), sameIn.cov1()) <= 1e-14
        relDiff(cross.nngp(), crossIn.nngp()) <= 1e-14
        relDiff(cross.cov1(), crossIn.cov1()) <= 1e-14
        relDiff(cross.cov2(), crossIn.cov2()) <= 1e-14
        relDiff(img.nngp(), imgIn.nngp()) <= 1e-14
        img.spatial() == [3, 2] as int[]
    }

    def "A1[a]^T K[a, b] A2[b] written out on a deep prefix (nngp and ntk, 1e-14); equal graphs = aggregate(pattern: A) (1e-15)"() {
        given:
        def first = serial(conv(3, filter: [2], padding: 'SAME', bStd: 0.1), tanh(), dense(3, bStd: 0.3))
        def kin = first.kernel(x, y)
        def k = serial(first, aggregate()).kernel([pattern: [ax, ay]], x, y)
        double worst = 0
        for (int a = 0; a < 5; a++) for (int b = 0; b < 3; b++) for (int j = 0; j < 5; j++) for (int j2 = 0; j2 < 5; j2++) {
            double sn = 0, st = 0
            for (int i = 0; i < 5; i++) for (int i2 = 0; i2 < 5; i2++) {
                double w = ax.get(a, i, j) * ay.get(b, i2, j2)
                sn += w * kin.nngp().get(a, b, i, i2)
                st += w * kin.ntk().get(a, b, i, i2)
            }
            worst = Math.max(worst, Math.abs(k.nngp().get(a, b, j, j2) - sn) + Math.abs(k.ntk().get(a, b, j, j2) - st))
        }
        Tensor one = ax.rowRange(2, 3)
        Tensor tiled = Tensor.of(((0..<5).collectMany { one.data() as List }) as double[], 5, 5, 5)
        Tensor tiledY = Tensor.of(((0..<3).collectMany { one.data() as List }) as double[], 3, 5, 5)
        def net = serial(first, relu(), aggregate(), dense(2), erf(), globalAvgPool())
        def fixed = serial(first, relu(), aggregate(pattern: one.reshape(5, 5)), dense(2), erf(), globalAvgPool())

        expect:
        worst <= 1e-14 * k.ntk().maxAbs()
        relDiff(net.kernel([pattern: [tiled, tiledY]], x, y).ntk(), fixed.kernel(x, y).ntk()) <= 1e-15
        relDiff(net.kernel([pattern: tiled], x).nngp(), fixed.kernel(x).nngp()) <= 1e-15
    }

    def "forward pass written out (exact) and gradients w.r.t. parameters and inputs against central differences (1e-6)"() {
        given:
        def out = aggregate().apply([pattern: ax], [:], x)
        double worst = 0
        for (int e = 0; e < 5; e++) for (int j = 0; j < 5; j++) for (int c = 0; c < 2; c++) {
            double s = 0
            for (int i = 0; i < 5; i++) s += ax.get(e, i, j) * x.get(e, i, c)
            worst = Math.max(worst, Math.abs(out.get(e, j, c) - s))
        }
        Layer net = serial(dense(3), tanh(), aggregate(), sin(), aggregate(), flatten(), dense(2))
        Map<String, Tensor> p = net.init(3, 5, 2)
        Tensor c = Tensor.randn(5, 5, 2)
        Map<String, Tensor> all = new LinkedHashMap<>(p)
        all.x = x
        def loss = { Map<String, Var> m ->
            def params = m.findAll { k, v -> k != 'x' }
            Ops.dot(net.apply(ApplyContext.eval(params).withPattern(ax), m.x), c)
        } as Function

        expect:
        worst <= 1e-15
        GradCheck.check(loss, all) <= 1e-6
    }

    def "empirical kernels with pattern: structured = Jacobian = vector products (1e-12); = the independent per-example vjp; apply(pattern:) = bound inputs"() {
        given:
        Layer net = serial(conv(8, filter: [2], padding: 'SAME'), relu(), aggregate(), dense(6), erf(), aggregate(), globalAvgPool(), dense(3))
        Map<String, Tensor> p = net.init(7, 5, 2)
        Tensor s = ModelExtensions.empiricalNtk(net, [method: 'structured', pattern: [ax, ay]], p, x, y)
        Tensor j = ModelExtensions.empiricalNtk(net, [method: 'jacobian', pattern: [ax, ay]], p, x, y)
        Tensor v = ModelExtensions.empiricalNtk(net, [method: 'vp', pattern: [ax, ay]], p, x, y)
        Tensor sym = ModelExtensions.empiricalNtk(net, [method: 'structured', pattern: ax], p, x)
        Graphs.Bound b = Graphs.bind(net, null, x, ax, null, null)
        double[][] ref = MonteCarloKernels.ntk(b.net(), p, b.x1(), 3, 3)
        Tensor f = net.apply([pattern: ax], p, x)
        Tensor fb = b.net().apply(p, b.x1())
        Tensor nngp = ModelExtensions.empiricalNngp(net, [pattern: [ax, ay]], p, x, y)
        Tensor fy = net.apply([pattern: ay], p, y)
        double worstRef = 0, worstNngp = 0
        for (int a = 0; a < 5; a++) for (int c = 0; c < 5; c++) worstRef = Math.max(worstRef, Math.abs(sym.get(a, c) - ref[a][c]))
        for (int a = 0; a < 5; a++) for (int c = 0; c < 3; c++) {
            double d = 0
            for (int u = 0; u < 3; u++) d += f.get(a, u) * fy.get(c, u) / 3
            worstNngp = Math.max(worstNngp, Math.abs(nngp.get(a, c) - d))
        }

        expect:
        relDiff(s, j) <= 1e-12
        relDiff(v, j) <= 1e-12
        worstRef <= 1e-12 * sym.maxAbs()
        relDiff(fb, f) == 0
        worstNngp <= 1e-12 * nngp.maxAbs()
        // the graphs matter
        relDiff(ModelExtensions.empiricalNtk(net, [method: 'structured', pattern: [ay.rowRange(0, 1).reshape(5, 5).with {
            Tensor.of(((0..<5).collectMany { ay.rowRange(0, 1).data() as List }) as double[], 5, 5, 5) }, ay]], p, x, y), s) > 1e-3
    }

    def "monteCarloKernel(pattern:) = the mean of the per-seed empirical kernels (1e-12)"() {
        given:
        Layer net = serial(dense(16), relu(), aggregate(), dense(16), erf(), globalAvgPool(), dense(2))
        def mc = ModelExtensions.monteCarloKernel(net, [seeds: [3, 4], pattern: [ax, ay]], x, y)
        Tensor mean = ModelExtensions.empiricalNtk(net, [pattern: [ax, ay]], net.init(3, 5, 2), x, y)
                .add(ModelExtensions.empiricalNtk(net, [pattern: [ax, ay]], net.init(4, 5, 2), x, y)).mul(0.5)
        Tensor nngp = ModelExtensions.empiricalNngp(net, [pattern: [ax, ay]], net.init(3, 5, 2), x, y)
                .add(ModelExtensions.empiricalNngp(net, [pattern: [ax, ay]], net.init(4, 5, 2), x, y)).mul(0.5)

        expect:
        relDiff(mc.ntk().mean(), mean) <= 1e-12
        relDiff(mc.nngp().mean(), nngp) <= 1e-12
    }

    def "graphs of different sizes in one batch: padded nodes masked (maskConstant) = each graph trimmed (1e-14), kernel and forward"() {
        given: 'example 0 has 5 nodes, example 1 has 3 (padded to 5 with NaN nodes and zero edges)'
        Layer net = serial(dense(4, bStd: 0.2), relu(), aggregate(), dense(3), erf(), aggregate(), globalAvgPool(), dense(1))
        Tensor full = x.rowRange(0, 1)
        Tensor small = x.rowRange(1, 2).reshape(5, 2).rowRange(0, 3).reshape(1, 3, 2)
        double[] padded = x.rowRange(0, 2).data().clone()
        for (int i = 3; i < 5; i++) for (int c = 0; c < 2; c++) padded[10 + i * 2 + c] = Double.NaN
        Tensor batch = Tensor.of(padded, 2, 5, 2)
        Tensor gSmall = ax.rowRange(1, 2).reshape(5, 5).rowRange(0, 3).data().with { d ->
            double[] out = new double[9]
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) out[i * 3 + j] = ax.get(1, i, j)
            Tensor.of(out, 1, 3, 3)
        }
        double[] gp = new double[50]
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) gp[i * 5 + j] = ax.get(0, i, j)
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) gp[25 + i * 5 + j] = ax.get(1, i, j)
        Tensor gBatch = Tensor.of(gp, 2, 5, 5)
        Kernel k = net.kernel([pattern: gBatch, maskConstant: Double.NaN], batch)
        Kernel k00 = net.kernel([pattern: ax.rowRange(0, 1)], full)
        Kernel k11 = net.kernel([pattern: gSmall], small)
        Map<String, Tensor> p = net.init(5, 5, 2)
        Tensor fb = net.apply([pattern: gBatch, maskConstant: Double.NaN], p, batch)
        Tensor fs = net.apply([pattern: gSmall], p, small)

        expect:
        Math.abs(k.ntk().get(0, 0) - k00.ntk().get(0, 0)) <= 1e-14 * k.ntk().maxAbs()
        Math.abs(k.nngp().get(1, 1) - k11.nngp().get(0, 0)) <= 1e-14 * k.nngp().maxAbs()
        Math.abs(k.ntk().get(1, 1) - k11.ntk().get(0, 0)) <= 1e-14 * k.ntk().maxAbs()
        Math.abs(k.ntk().get(0, 1)) > 1e-3 * k.ntk().maxAbs()
        Math.abs(fb.get(1, 0) - fs.get(0, 0)) <= 1e-14 * Math.abs(fs.get(0, 0))
    }

    def "one-line refusals: no graph, wrong shape, one graph for two batches, engine other than local"() {
        when:
        serial(dense(2), aggregate()).kernel(x)
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains("aggregate() takes its graphs from the examples") && !e.message.contains('\n')

        when:
        aggregate().apply([:], x)
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains("aggregate() takes its graphs from the examples")

        when:
        aggregate().apply([pattern: ay], [:], x)
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains("has shape [3, 5, 5] but 5 examples")

        when:
        serial(dense(2), aggregate()).kernel([pattern: ax], x, y)
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('pattern: needs the graphs of both batches, [A1, A2]')

        when:
        serial(dense(2), aggregate(), flatten()).kernel([pattern: ax, engine: 'spark'], x)
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('pattern with engine')

        expect:
        aggregate().toString() == 'aggregate()'
    }
}
