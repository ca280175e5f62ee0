package org.ntkworkbench.nn

import static org.ntkworkbench.nn.Layers.*

import java.util.function.Function
import org.ntkworkbench.autodiff.Var
import org.ntkworkbench.autodiff.Vjp
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/** Trace: recorded activations h and back-propagated pre-activation gradients δ of linear layers. */
class TraceSpec extends Specification {

    def "dense MLP: h, δ follow the backprop recursion and a·hᵀδ, c·Σδ are the parameter gradients"() {
        given:
        def model = serial(dense(5, 1.4, 0.5), tanh(), dense(4, 0.9, 0.2), relu(), dense(3, 1.1, 0.0))
        def p = model.init(1, 3)
        def x = Tensor.randn(2, 6, 3)
        def u = Tensor.randn(3, 6, 3)

        when:
        def trace = model.trace(p, x)
        def deltas = trace.deltas(u)
        def e0 = trace.entry('0'), e2 = trace.entry('2'), e4 = trace.entry('4')

        then: 'entries in forward order with the NTK scales'
        trace.entries()*.path() == ['0', '2', '4']
        Math.abs(e0.weightScale() - 1.4 / Math.sqrt(3)) < 1e-15 && e0.biasScale() == 0.5d && e0.hasBias()
        Math.abs(e4.weightScale() - 1.1 / 2) < 1e-15 && !e4.hasBias()
        e0.rowsPerExample() == 1

        and: 'h is the input of each dense layer'
        e0.h().bitwiseEquals(x)
        e2.h().sub(e0.preActivation().value().map(Math::tanh)).maxAbs() == 0d
        e4.h().sub(e2.preActivation().value().map { v -> Math.max(v, 0d) }).maxAbs() == 0d

        and: 'δ by the recursion written out: δ_L = u, δ_l = (a_{l+1} δ_{l+1} W_{l+1}ᵀ) ⊙ φ′(z_l)'
        deltas['4'].bitwiseEquals(u)
        def d2 = u.matmul(p['4/W'].transpose()).mul(e4.weightScale()).mul(e2.preActivation().value().map { v -> v > 0 ? 1d : 0d })
        deltas['2'].sub(d2).maxAbs() < 1e-13
        def d0 = d2.matmul(p['2/W'].transpose()).mul(e2.weightScale()).mul(e0.preActivation().value().map { v -> 1 - Math.tanh(v) ** 2 })
        deltas['0'].sub(d0).maxAbs() < 1e-13

        and: 'the structured gradients equal reverse-mode gradients of <u, f>'
        def structured = trace.parameterGradients(u, p)
        def reverse = Vjp.of({ Map<String, Var> m -> model.apply(m, Var.of(x)) } as Function, p, u)
        structured.keySet() == reverse.keySet()
        structured.every { k, g -> g.sub(reverse[k]).maxAbs() <= 1e-12 * reverse[k].maxAbs() }

        and: 'the trace output is the model output'
        trace.output().value().bitwiseEquals(model.apply(p, x))
    }

    def "per-example structured NTK from h and δ equals the Jacobian contraction for a dense MLP"() {
        given: 'a one-output MLP, so Θ(e, e′) = Σ_θ ∂f_e/∂θ ∂f_e′/∂θ'
        def model = serial(dense(6, 1.2, 0.3), erf(), dense(1, 1.0, 0.4))
        def p = model.init(4, 2)
        def x = Tensor.randn(5, 3, 2)
        def trace = model.trace(p, x)
        def ones = Tensor.full(1.0, 3, 1)
        def deltas = trace.deltas(ones)  // with one output per example, row e of δ is ∂f_e/∂z_e

        when: 'Θ from the trace: Σ_layers a² (h_e·h_e′)(δ_e·δ_e′) + c² (δ_e·δ_e′)'
        def theta = Tensor.zeros(3, 3)
        trace.entries().each { en ->
            def h = en.h(), d = deltas[en.path()]
            def hh = h.matmul(h.transpose()), dd = d.matmul(d.transpose())
            theta = theta.add(hh.mul(dd).mul(en.weightScale() ** 2))
            if (en.hasBias()) theta = theta.add(dd.mul(en.biasScale() ** 2))
        }
        and: 'Θ from per-example gradients (one-hot cotangents)'
        def grads = (0..<3).collect { e ->
            def c = Tensor.zeros(3, 1); c.set(1.0, e, 0)
            Vjp.of({ Map<String, Var> m -> model.apply(m, Var.of(x)) } as Function, p, c)
        }
        def direct = Tensor.zeros(3, 3)
        for (i in 0..<3) for (j in 0..<3) direct.set(grads[i].collect { k, g -> g.dot(grads[j][k]) }.sum() as double, i, j)

        then:
        theta.sub(direct).maxAbs() <= 1e-12 * direct.maxAbs()
    }

    def "conv: h holds the im2col patches (rows = example x position) and a·hᵀδ is the conv weight gradient"() {
        given:
        def model = serial(conv(3, [2, 2] as int[], [1, 2] as int[], Padding.SAME, 1.3, 0.2), relu(), flatten(), dense(2))
        def p = model.init(6, 4, 5, 2)
        def x = Tensor.randn(7, 2, 4, 5, 2)
        def u = Tensor.randn(8, 2, 2)
        when:
        def trace = model.trace(p, x)
        def en = trace.entry('0')
        def structured = trace.parameterGradients(u, p)
        def reverse = Vjp.of({ Map<String, Var> m -> model.apply(m, Var.of(x)) } as Function, p, u)
        then:
        en.h().shape() == [2 * 4 * 3, 2 * 2 * 2] as int[]
        en.rowsPerExample() == 12
        // patch row of example 1, output position (1, 2) -> input rows 1..2, columns 4..5 (SAME: pad before 0 and 0)
        en.h().get(12 + 1 * 3 + 2, (1 * 2 + 0) * 2 + 1) == x.get(1, 2, 4, 1)
        structured.every { k, g -> g.sub(reverse[k]).maxAbs() <= 1e-12 * reverse[k].maxAbs() }
    }

    def "NTK-vector products Θu = J(Jᵀu) by Vjp then Jvp equal the explicit Θ from the trace times u"() {
        given: 'a two-output MLP; Θ is (n·k, n·k) over (example, output) pairs'
        def model = serial(dense(5, 1.1, 0.3), gelu(), dense(2, 0.9, 0.2))
        def p = model.init(8, 3)
        def x = Tensor.randn(9, 4, 3)
        Function<Map<String, Var>, Var> f = { Map<String, Var> m -> model.apply(m, Var.of(x)) } as Function
        def u = Tensor.randn(10, 4, 2)

        when: 'implicit: never forms J'
        def jtu = Vjp.of(f, p, u)
        def thetaU = org.ntkworkbench.autodiff.Jvp.of(f, p, jtu).tangent()

        and: 'explicit: rows of J from one-hot cotangents, Θ = J Jᵀ'
        def rows = []
        for (e in 0..<4) for (o in 0..<2) {
            def c = Tensor.zeros(4, 2); c.set(1.0, e, o)
            rows << Vjp.of(f, p, c)
        }
        def expected = Tensor.zeros(4, 2)
        for (i in 0..<8) {
            double s = 0
            for (j in 0..<8) s += (rows[i].collect { k, g -> g.dot(rows[j][k]) }.sum() as double) * u.data()[j]
            expected.data()[i] = s
        }

        then:
        thetaU.sub(expected).maxAbs() <= 1e-12 * expected.maxAbs()
    }

    def "a root parallel takes a list of inputs"() {
        given:
        def model = parallel(dense(2), serial(dense(3), relu()))
        def p = model.init(1, [[4] as int[], [5] as int[]])
        when:
        def out = model.applyAll(p, [Tensor.randn(2, 3, 4), Tensor.randn(3, 3, 5)])
        then:
        p.keySet() == ['0/W', '1.0/W'] as Set
        out*.shape() == [[3, 2] as int[], [3, 3] as int[]]
    }
}
