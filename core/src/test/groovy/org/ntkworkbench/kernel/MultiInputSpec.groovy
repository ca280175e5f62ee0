package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.autodiff.Var
import org.ntkworkbench.nn.ApplyContext
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification

/**
 * Several inputs per example (neural-tangents' lists of inputs): a model whose input flow has several items
 * (a root {@code parallel}) takes a list of arrays, one per item, in {@code kernel} and {@code apply}.
 * Proved three ways: exactly against the concatenated input (a dense layer on [xa, xb] is the sum of two dense
 * layers with the weight variance split by fan-in, forward pass and kernel), exactly against the branches computed
 * separately (fanInSum adds their kernels), and by Monte Carlo against finite networks that really receive the
 * inputs split (16 seeds, 5 SE + 8/width, as {@link LayerKernelMonteCarloSpec}).
 */
class MultiInputSpec extends Specification {
    static final int W = 512, C = 256, M = 64, SEEDS = 16

    @Shared Tensor xa = Tensor.randn(21, 7, 5)
    @Shared Tensor xb = Tensor.randn(22, 7, 3)
    @Shared Tensor seq = Tensor.randn(23, 7, 6, 2)

    /**
     * A finite network with one flat input per example that it cuts into the given per-example shapes and feeds,
     * as a list, to {@code inner}: the forward pass of a several-input model, drivable by the one-input Monte Carlo.
     */
    static class Split implements Layer {
        final Layer inner
        final List<int[]> shapes
        Split(Layer inner, List<int[]> shapes) { this.inner = inner; this.shapes = shapes }
        String word() { 'split' }
        List<int[]> outputShapes(List<int[]> s) { inner.outputShapes(shapes) }
        List<int[]> init(String path, List<int[]> s, long sd, Map<String, Tensor> p) { inner.init(path, shapes, sd, p) }
        List<Var> apply(ApplyContext ctx, String path, List<Var> in) {
            Tensor x = in[0].value()
            int n = x.dim(0), off = 0
            int per = x.size().intdiv(n)
            List<Var> items = []
            for (int[] s : shapes) {
                int size = s.inject(1) { a, b -> a * b } as int
                double[] d = new double[n * size]
                for (int i = 0; i < n; i++) System.arraycopy(x.data(), i * per + off, d, i * size, size)
                items << Var.of(Tensor.of(d, ([n] + (s as List)) as int[]))
                off += size
            }
            inner.apply(ctx, path, items)
        }
    }

    /** Each example's items flattened and concatenated: the Split network's input. */
    static Tensor flatConcat(List<Tensor> xs) {
        int n = xs[0].dim(0)
        int per = (int) xs.sum { it.size().intdiv(n) }
        double[] d = new double[n * per]
        int off = 0
        for (Tensor t : xs) {
            int size = t.size().intdiv(n)
            for (int i = 0; i < n; i++) System.arraycopy(t.data(), i * size, d, i * per + off, size)
            off += size
        }
        Tensor.of(d, n, per)
    }

    static double rel(Tensor a, Tensor b) { a.sub(b).maxAbs() / b.maxAbs() }

    def "dense on the concatenated input = parallel dense layers on the list, weight variance split by fan-in: kernel and forward pass"() {
        given:
        double w = 1.3
        double bias = 0.2
        int da = 5
        int db = 3
        def both = serial(dense(16, w, bias), relu(), dense(1, 1.1, 0.1))
        def split = serial(parallel(dense(16, w * Math.sqrt(da / 8d), bias), dense(16, w * Math.sqrt(db / 8d), 0)), fanInSum(), relu(), dense(1, 1.1, 0.1))
        def x = flatConcat([xa, xb])
        // x2 examples distinct from x1's: at correlation 1 the relu dual's arccos amplifies rounding to ~1e-8.
        def ya = Tensor.randn(24, 3, 5)
        def yb = Tensor.randn(25, 3, 3)

        when:
        def kc = both.kernel(x)
        def ks = split.kernel([xa, xb])
        def kc2 = both.kernel(x, flatConcat([ya, yb]))
        def ks2 = split.kernel([xa, xb], [ya, yb])
        def kn = split.kernel([get: 'nngp'], [xa, xb])
        def pc = both.init(5, 8)
        def ps = split.init(5, [[5], [3]])
        // The concatenated layer's W is the branches' W stacked (same scale w/sqrt(8) per entry); its bias is branch 0's.
        def wStack = Tensor.of(((ps['0.0/W'].data() as List) + (ps['0.1/W'].data() as List)) as double[], 8, 16)
        def mapped = ['0/W': wStack, '0/b': ps['0.0/b'], '2/W': ps['3/W'], '2/b': ps['3/b']]
        def yc = both.apply(mapped, x)
        def ys = split.apply(ps, [xa, xb])
        println "several inputs vs concatenation: nngp ${rel(ks.nngp(), kc.nngp())} ntk ${rel(ks.ntk(), kc.ntk())} " +
                "x2 ${rel(ks2.ntk(), kc2.ntk())} forward ${ys.sub(yc).maxAbs()}"

        then:
        pc.keySet() == mapped.keySet()
        ps.keySet() == split.init(5, [[5] as int[], [3] as int[]]).keySet()
        rel(ks.nngp(), kc.nngp()) <= 1e-14
        rel(ks.ntk(), kc.ntk()) <= 1e-14
        rel(ks2.nngp(), kc2.nngp()) <= 1e-14
        rel(ks2.ntk(), kc2.ntk()) <= 1e-14
        (0..<7).every { i -> (0..<7).every { j -> ks.ntk().get(i, j) == ks.ntk().get(j, i) } }
        kn.ntk() == null
        kn.nngp().bitwiseEquals(ks.nngp())
        ys.sub(yc).maxAbs() <= 1e-13 * yc.maxAbs()
    }

    def "fanInSum of branches on their own inputs = the branch kernels computed separately, added"() {
        given:
        def a = serial(conv(4, [3] as int[], null, Padding.CIRCULAR, 1.3, 0.2), relu(), globalAvgPool(), dense(3, 1.0, 0.1))
        def b = serial(dense(5, 1.2, 0.3), erf(), dense(3, 0.9, 0.0))
        def net = serial(parallel(a, b), fanInSum())

        when:
        def k = net.kernel([seq, xa])
        def ka = a.kernel(seq)
        def kb = b.kernel(xa)

        then:
        rel(k.nngp(), ka.nngp().add(kb.nngp())) <= 1e-15
        rel(k.ntk(), ka.ntk().add(kb.ntk())) <= 1e-15
    }

    def "Monte Carlo: finite networks fed a sequence and a vector per example, within 5 SE + 8/width of the analytic kernel"() {
        given:
        def net = serial(parallel(serial(conv(C, [3] as int[], null, Padding.CIRCULAR, 1.3, 0.2), relu(), globalAvgPool()),
                serial(dense(C, 1.2, 0.3), erf())), fanInConcat(), dense(M, 1.0, 0.1))
        def inputs = [seq.rowRange(0, 5), xa.rowRange(0, 5)]
        def finite = new Split(net, [[6, 2] as int[], [5] as int[]])

        when:
        def k = net.kernel(inputs)
        def (double rN, double rT) = MonteCarloKernels.worstRatios(finite, flatConcat(inputs), k, C, SEEDS)
        println "MC several inputs: worst |emp - analytic| / tol: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1
    }

    def "bad input lists are refused in one line"() {
        given:
        def net = serial(parallel(dense(3), dense(3)), fanInSum())

        when:
        net.kernel(xs)

        then:
        IllegalArgumentException e = thrown()
        !e.message.contains('\n')
        e.message.contains(says)

        where:
        xs                                   | says
        []                                   | 'empty'
        [Tensor.randn(1, 7, 5)]              | '2 branches but the flow has 1 items'
        [Tensor.randn(1, 7, 5), Tensor.randn(2, 6, 3)] | 'same examples'
    }

    def "x1 and x2 lists of different lengths, and engines, are refused in one line"() {
        given:
        def net = serial(parallel(dense(3), dense(3)), fanInSum())

        when:
        net.kernel([xa, xb], [xa])

        then:
        IllegalArgumentException e = thrown()
        e.message == 'kernel: x1 has 2 input arrays but x2 has 1'

        when:
        net.kernel([engine: 'spark'], [xa, xb])

        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('one input array per example')
    }
}
