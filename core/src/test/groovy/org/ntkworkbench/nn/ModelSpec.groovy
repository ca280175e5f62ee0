package org.ntkworkbench.nn

import static org.ntkworkbench.nn.Layers.*

import java.util.function.Function
import org.ntkworkbench.autodiff.Grad
import org.ntkworkbench.autodiff.Ops
import org.ntkworkbench.autodiff.Var
import org.ntkworkbench.kernel.Kernel
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/** Models as values: parameter keys and shapes (DESIGN.md), seeded init, parameterizations, errors, dropout. */
class ModelSpec extends Specification {

    static Map<String, List<Integer>> shapes(Map<String, Tensor> p) {
        p.collectEntries { k, v -> [k, v.shape() as List] }
    }

    def "serial(dense(8), relu(), dense(1)) has keys 0/W (d, 8) and 2/W (8, 1), and biases only when bStd != 0"() {
        expect:
        shapes(serial(dense(8), relu(), dense(1)).init(0, 3)) == ['0/W': [3, 8], '2/W': [8, 1]]
        shapes(serial(dense(8, 1.0, 0.1), relu(), dense(1, 1.0, 0.1)).init(0, 3)) ==
                ['0/W': [3, 8], '0/b': [8], '2/W': [8, 1], '2/b': [1]]
        serial(dense(8), relu(), dense(1)).modelOutputShape(3) == [1] as int[]
    }

    def "parallel branches are keyed <parallel index>.<branch>...: the first branch of a parallel at index 1 is 1.0"() {
        given:
        def model = serial(fanOut(2), parallel(dense(4), serial(dense(5, 1.0, 0.2), relu(), dense(4))), fanInSum(), dense(1))
        expect:
        shapes(model.init(0, 3)) == ['1.0/W': [3, 4], '1.1.0/W': [3, 5], '1.1.0/b': [5], '1.1.2/W': [5, 4], '3/W': [4, 1]]
    }

    def "conv weights are (filter..., inC, outC), repeat copies are keyed like serial, a root layer uses bare names"() {
        expect:
        shapes(serial(conv(5, 3), relu(), conv(2, [2] as int[], null, Padding.SAME, 1, 0.5)).init(0, 10, 2)) ==
                ['0/W': [3, 2, 5], '2/W': [2, 5, 2], '2/b': [2]]
        shapes(conv(4, 2, 3).init(0, 6, 6, 3)) == ['W': [2, 3, 3, 4]]
        shapes(repeat(dense(3), 2).init(0, 3)) == ['0/W': [3, 3], '1/W': [3, 3]]
    }

    def "seeded init: same bits twice, different seeds differ, adding a layer leaves existing draws unchanged"() {
        given:
        def model = serial(dense(6, 1.0, 0.3), tanh(), dense(2))
        def longer = serial(dense(6, 1.0, 0.3), tanh(), dense(2), relu(), dense(7))
        when:
        def a = model.init(11, 4)
        def b = model.init(11, 4)
        def c = model.init(12, 4)
        def d = longer.init(11, 4)
        then:
        a.keySet() == b.keySet()
        a.every { k, v -> v.bitwiseEquals(b[k]) }
        a.every { k, v -> v.sub(c[k]).maxAbs() > 0.1 }
        a.every { k, v -> v.bitwiseEquals(d[k]) }
        d.containsKey('4/W')
    }

    def "NTK-parameterization draws are N(0, 1); standard ones are N(0, wStd^2/fanIn) and N(0, bStd^2) (4 sigma)"() {
        given:
        def ntk = dense(400, 2.0, 0.5).init(3, 100)
        def std = dense(400, 2.0, 0.5, Parameterization.STANDARD).init(3, 100)
        expect:
        moments(ntk.W, 0, 1)
        moments(std.W, 0, 4.0 / 100)
        moments(ntk.b, 0, 1)
        moments(std.b, 0, 0.25)
    }

    /** Sample mean and variance within 4 standard errors of the Gaussian values. */
    static boolean moments(Tensor t, double mean, double variance) {
        int n = t.size()
        double m = t.mean()
        double v = t.sub(m).mul(t.sub(m)).sum() / (n - 1)
        return Math.abs(m - mean) < 4 * Math.sqrt(variance / n) && Math.abs(v - variance) < 4 * variance * Math.sqrt(2.0 / n)
    }

    def "standard parameterization: same function as NTK with scaled parameters, gradients scaled by the same factors"() {
        given:
        def ntk = serial(dense(5, 1.7, 0.3), tanh(), dense(2, 1.2, 0.6))
        def std = serial(dense(5, 1.7, 0.3, Parameterization.STANDARD), tanh(), dense(2, 1.2, 0.6, Parameterization.STANDARD))
        def p = ntk.init(2, 3)
        Map<String, Double> factor = ['0/W': 1.7 / Math.sqrt(3), '0/b': 0.3, '2/W': 1.2 / Math.sqrt(5), '2/b': 0.6]
        def ps = p.collectEntries { k, v -> [k, v.mul(factor[k])] } as Map<String, Tensor>
        def x = Tensor.randn(3, 4, 3)
        def c = Tensor.randn(4, 4, 2)
        def gN = Grad.of({ Map<String, Var> m -> Ops.dot(ntk.apply(m, Var.of(x)), c) } as Function, p)
        def gS = Grad.of({ Map<String, Var> m -> Ops.dot(std.apply(m, Var.of(x)), c) } as Function, ps)
        expect:
        ntk.apply(p, x).sub(std.apply(ps, x)).maxAbs() < 1e-12
        std.init(2, 3).every { k, v -> v.sub(p[k].mul(factor[k])).maxAbs() < 1e-15 }
        gN.every { k, g -> g.sub(gS[k].mul(factor[k])).maxAbs() < 1e-12 * Math.max(1, g.maxAbs()) }
    }

    def "a dense MLP forward pass equals the formula written out"() {
        given:
        def model = serial(dense(4, 1.5, 0.2), relu(), dense(2, 0.7, 0.0))
        def p = model.init(9, 3)
        def x = Tensor.randn(10, 5, 3)
        when:
        def z = model.apply(p, x)
        then:
        (0..<5).every { e -> (0..<2).every { o ->
            double s = 0
            for (j in 0..<4) {
                double pre = 0
                for (i in 0..<3) pre += x.get(e, i) * p['0/W'].get(i, j)
                pre = 1.5 / Math.sqrt(3) * pre + 0.2 * p['0/b'].get(j)
                s += Math.max(pre, 0) * p['2/W'].get(j, o)
            }
            Math.abs(z.get(e, o) - 0.7 / 2 * s) < 1e-12
        } }
    }

    def "fanInProd, fanInConcat and layerNorm compute what they say"() {
        given:
        def x = Tensor.randn(5, 3, 4)
        def p = serial(fanOut(2), parallel(dense(4), dense(4)), fanInProd()).init(1, 4)
        def pc = serial(fanOut(2), parallel(dense(2), dense(3)), fanInConcat()).init(1, 4)
        when:
        def prod = serial(fanOut(2), parallel(dense(4), dense(4)), fanInProd()).apply(p, x)
        def a = dense(4).apply(['W': p['1.0/W']], x), b = dense(4).apply(['W': p['1.1/W']], x)
        def cat = serial(fanOut(2), parallel(dense(2), dense(3)), fanInConcat()).apply(pc, x)
        def ln = layerNorm().apply([:], x)
        then:
        prod.sub(a.mul(b)).maxAbs() < 1e-14
        cat.shape() == [3, 5] as int[]
        cat.slice(1, 0, 2).bitwiseEquals(dense(2).apply(['W': pc['1.0/W']], x))
        cat.slice(1, 2, 5).bitwiseEquals(dense(3).apply(['W': pc['1.1/W']], x))
        (0..<3).every { e -> (0..<4).every { j ->
            double mu = 0, s2 = 0
            for (k in 0..<4) mu += x.get(e, k) / 4
            for (k in 0..<4) s2 += (x.get(e, k) - mu) * (x.get(e, k) - mu) / 4
            Math.abs(ln.get(e, j) - (x.get(e, j) - mu) / Math.sqrt(s2 + 1e-12)) < 1e-13
        } }
    }

    def "dropout: identity in eval; in training a seeded mask keeps about 1 - rate, scaled by 1/(1 - rate)"() {
        given:
        def model = dropout(0.3)
        def x = Tensor.full(1.0, 100, 50)
        when:
        def eval = model.apply([:], x)
        def t1 = model.apply(ApplyContext.train([:], 5), Var.of(x)).value()
        def t2 = model.apply(ApplyContext.train([:], 5), Var.of(x)).value()
        def t3 = model.apply(ApplyContext.train([:], 6), Var.of(x)).value()
        double kept = (t1.data() as List<Double>).findAll { it != 0d }.size() / 5000d
        then:
        eval.bitwiseEquals(x)
        t1.bitwiseEquals(t2)
        !t1.bitwiseEquals(t3)
        t1.data().every { double v -> v == 0d || Math.abs(v - 1d / (1d - 0.3d)) < 1e-15 }
        Math.abs(kept - 0.7) < 4 * Math.sqrt(0.7 * 0.3 / 5000)
    }

    def "error: input shape mismatch names both shapes, the parameter key and the layer path"() {
        given:
        def model = serial(dense(8), relu(), dense(1))
        def p = model.init(0, 3)
        when:
        model.apply(p, Tensor.zeros(2, 5))
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('layer 0 (dense)') && e.message.contains("'0/W'") && e.message.contains('[3, 8]') && e.message.contains('[5, 8]')
    }

    def "error: a missing key or a wrong shape names the key"() {
        given:
        def model = serial(dense(8, 1.0, 0.1), relu(), dense(1))
        def p = model.init(0, 3)
        when:
        def missing = new LinkedHashMap(p)
        missing.remove('0/b')
        model.apply(missing, Tensor.zeros(2, 3))
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains("parameter '0/b' is missing")

        when:
        def wrong = new LinkedHashMap(p)
        wrong['2/W'] = Tensor.zeros(8, 2)
        model.apply(wrong, Tensor.zeros(2, 3))
        then:
        def e2 = thrown(IllegalArgumentException)
        e2.message.contains("parameter '2/W' has shape [8, 2]") && e2.message.contains('[8, 1]') && e2.message.contains('layer 2 (dense)')
    }

    def "error: combinator shape mismatches name both shapes and the layer path"() {
        when:
        serial(fanOut(2), parallel(dense(4), serial(relu(), dense(5))), fanInSum()).init(0, 3)
        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith('layer 2 (fanInSum)') && e.message.contains('[4]') && e.message.contains('[5]')

        when:
        serial(dense(3), parallel(dense(2), dense(2))).init(0, 3)
        then:
        def e2 = thrown(IllegalArgumentException)
        e2.message.startsWith('layer 1 (parallel)') && e2.message.contains('2 branches')

        when:
        serial(dense(3), serial(identity(), conv(2, 3))).init(0, 4)
        then:
        def e3 = thrown(IllegalArgumentException)
        e3.message.startsWith('layer 1.1 (conv)') && e3.message.contains('[3]')

        when: 'shape inference alone locates nested errors at their full path'
        serial(dense(3), serial(identity(), parallel(conv(2, 3)))).modelOutputShape(4)
        then:
        def e5 = thrown(IllegalArgumentException)
        e5.message.startsWith('layer 1.1.0 (conv)')

        when:
        serial(dense(3), serial(identity(), serial(conv(2, 3)))).modelOutputShape(4)
        then:
        def e6 = thrown(IllegalArgumentException)
        e6.message.startsWith('layer 1.1.0 (conv)') && e6.message.contains('[3]')

        when: 'a VALID window larger than the input'
        serial(conv(2, 5)).apply(['0/W': Tensor.zeros(5, 1, 2)], Tensor.zeros(1, 4, 1))
        then:
        def e4 = thrown(IllegalArgumentException)
        e4.message.startsWith('layer 0 (conv)') && e4.message.contains('[4, 1]') && e4.message.contains('[5]')
    }

    def "a layer without a kernel rule says so by name"() {
        given: 'a layer that has a forward pass but neither kernel(Kernel) nor an entrywise rule (every shipped layer has one now)'
        def x = Tensor.of([1, 2, 3, 4, 5, 6, 7, 8] as double[], 2, 2, 2)
        Layer ruleless = new Layer() {
            String word() { 'myLayer(2)' }
            List<int[]> outputShapes(List<int[]> inputShapes) { inputShapes }
            List<org.ntkworkbench.autodiff.Var> apply(ApplyContext ctx, String path, List<org.ntkworkbench.autodiff.Var> inputs) { inputs }
        }

        when:
        serial(dense(3), relu(), ruleless).kernel(x)
        then:
        def e = thrown(NoKernelRuleException)
        e.word() == 'myLayer(2)'
        e.message.contains("'myLayer(2)' has no kernel rule")
    }

    def "models print as DSL expressions and words are the DSL words"() {
        expect:
        serial(dense(8), relu(), dense(1)).toString() ==
                "serial(dense(8, wStd: 1.0, bStd: 0.0, parameterization: 'ntk'), relu(), dense(1, wStd: 1.0, bStd: 0.0, parameterization: 'ntk'))"
        [serial(), parallel(), fanOut(1), fanInSum(), fanInProd(), fanInConcat(), repeat(relu(), 1), dense(1), conv(1, 1),
         avgPool(1), sumPool(1), globalAvgPool(), globalSumPool(), flatten(), layerNorm(), dropout(0.1), identity(),
         relu(), leakyRelu(0.1), abs(), erf(), gelu(), sin(), cos(), rbf(1), sign(), monomial(2), rectifiedMonomial(2),
         tanh(), sigmoid(), elementwise({ double t -> t } as java.util.function.DoubleUnaryOperator)]*.word() ==
                ['serial', 'parallel', 'fanOut', 'fanInSum', 'fanInProd', 'fanInConcat', 'repeat', 'dense', 'conv',
                 'avgPool', 'sumPool', 'globalAvgPool', 'globalSumPool', 'flatten', 'layerNorm', 'dropout', 'identity',
                 'relu', 'leakyRelu', 'abs', 'erf', 'gelu', 'sin', 'cos', 'rbf', 'sign', 'monomial', 'rectifiedMonomial',
                 'tanh', 'sigmoid', 'elementwise']
    }
}
