package org.ntkworkbench.autodiff

import java.util.function.Function
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/** The primitives added for fast training: scaled matmul, the ReLU primitive, fused scalar nodes. */
class TrainingOpsSpec extends Specification {

    static Var project(Var v) {
        Ops.dot(v, Tensor.randn(99, v.shape()))
    }

    def "scaled matmul: α a b forward, and reverse mode against central differences (rel. error <= 1e-6)"() {
        given:
        def x = [a: Tensor.randn(1, aShape as int[]), b: Tensor.randn(2, bShape as int[])]
        def av = x.a
        def bv = x.b

        expect: 'value = α · (a b) to rounding'
        Ops.matmul(Var.of(av), Var.of(bv), -0.37d).value().sub(av.matmul(bv).mul(-0.37d)).maxAbs() < 1e-14
        GradCheck.check({ Map<String, Var> m -> project(Ops.matmul(m.a, m.b, -0.37d)) } as Function, x) < 1e-6

        where:
        aShape    | bShape
        [3, 4]    | [4, 2]
        [2, 3, 4] | [4, 5]
        [2, 3, 4] | [2, 4, 2]
    }

    def "scaled matmul tangent is α (ȧ b + a ḃ), checked against a central difference along the tangents"() {
        given:
        def a = Tensor.randn(1, 3, 4)
        def b = Tensor.randn(2, 4, 2)
        def ta = Tensor.randn(3, 3, 4)
        def tb = Tensor.randn(4, 4, 2)
        double h = 1e-6d
        def f = { Tensor x, Tensor y -> x.matmul(y).mul(0.5d) }

        when:
        def out = Ops.matmul(Var.of(a, ta), Var.of(b, tb), 0.5d)
        def fd = f(a.add(ta.mul(h)), b.add(tb.mul(h))).sub(f(a.sub(ta.mul(h)), b.sub(tb.mul(h)))).mul(1 / (2 * h))

        then:
        out.tangent().sub(fd).maxAbs() < 1e-8
    }

    def "relu: max(a, 0) forward; pullback and tangent are exactly g where a > 0 and +0.0 elsewhere, including ±0"() {
        given:
        double[] a = [2.5d, -1d, 0d, -0d, 1e-300d, -1e-300d, Double.MIN_VALUE, 7d]
        double[] g = [-3d, 4d, 5d, -6d, 7d, 8d, -9d, 10d]
        def av = Tensor.of(a, 8)
        def gv = Tensor.of(g, 8)

        when:
        def out = Ops.relu(Var.of(av, gv))
        def back = Backprop.vjp(out, gv, [out.parents[0]]).values().first()
        double[] expected = (0..<8).collect { a[it] > 0 ? g[it] : 0d } as double[]

        then:
        (0..<8).every { out.value().data()[it] == Math.max(a[it], 0d) }
        (0..<8).every { Double.doubleToRawLongBits(back.data()[it]) == Double.doubleToRawLongBits(expected[it]) }
        (0..<8).every { Double.doubleToRawLongBits(out.tangent().data()[it]) == Double.doubleToRawLongBits(expected[it]) }
    }

    def "relu in a small net: reverse mode against central differences"() {
        given: 'inputs away from the kink by construction of a smooth product'
        def x = [a: Tensor.randn(5, 6, 3), b: Tensor.randn(6, 3, 4)]

        expect:
        GradCheck.check({ Map<String, Var> m -> project(Ops.relu(Ops.matmul(m.a, m.b))) } as Function, x) < 1e-6
    }

    def "map's fused pullback equals f'(a) ⊙ g computed separately"() {
        given:
        def a = Tensor.randn(7, 4, 5)
        def g = Tensor.randn(8, 4, 5)

        when:
        def out = Ops.map(Var.of(a), 'tanh', Math::tanh, { v -> 1 - Math.tanh(v) ** 2 })
        def back = Backprop.vjp(out, g, [out.parents[0]]).values().first()

        then:
        (0..<20).every { back.data()[it] == g.data()[it] * (1 - Math.tanh(a.data()[it]) ** 2) }
    }

    def "scalarWithGradient: value as given, pullback g·∇, tangent ⟨ȧ, ∇⟩"() {
        given: 'the fused node of ½‖a‖², whose gradient is a'
        def a = Tensor.randn(1, 3, 2)
        def t = Tensor.randn(2, 3, 2)
        double half = 0.5d * a.dot(a)

        when:
        def out = Ops.scalarWithGradient(Var.of(a, t), 'halfNorm', half, a)
        def back = Backprop.vjp(out, Tensor.scalar(3d), [out.parents[0]]).values().first()

        then:
        out.value().item() == half
        back.sub(a.mul(3d)).maxAbs() == 0d
        Math.abs(out.tangent().item() - a.dot(t)) < 1e-15
    }
}
