package org.ntkworkbench.autodiff

import java.util.function.Function
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/** Every primitive against central finite differences; forward mode against reverse mode and differences. */
class AutodiffSpec extends Specification {

    static Map<String, Tensor> inputs(int[] aShape, int[] bShape) {
        [a: Tensor.randn(21, aShape), b: Tensor.uniform(22, 0.5, 1.5, bShape)]
    }

    /** Random-cotangent scalarisation so every output entry matters. */
    static Var project(Var v) {
        Ops.dot(v, Tensor.randn(99, v.shape()))
    }

    def "reverse mode of #name matches central differences (rel. error <= 1e-6)"() {
        given:
        def x = inputs(aShape as int[], bShape as int[])

        expect:
        GradCheck.check({ Map<String, Var> m -> project(op(m.a, m.b)) } as Function, x) < 1e-6

        where:
        name               | aShape    | bShape    | op
        'add broadcast'    | [3, 4]    | [4]       | { a, b -> Ops.add(a, b) }
        'sub broadcast'    | [2, 1, 3] | [4, 1]    | { a, b -> Ops.sub(a, b) }
        'mul broadcast'    | [3, 4]    | [3, 1]    | { a, b -> Ops.mul(a, b) }
        'div broadcast'    | [3, 4]    | [4]       | { a, b -> Ops.div(a, b) }
        'scale/addScalar'  | [3]       | [3]       | { a, b -> Ops.addScalar(Ops.scale(a, -2.5), 3).mul(b) }
        'matmul'           | [3, 4]    | [4, 2]    | { a, b -> Ops.matmul(a, b) }
        'matmul folded'    | [2, 3, 4] | [4, 2]    | { a, b -> Ops.matmul(a, b) }
        'matmul batched'   | [2, 3, 4] | [2, 4, 2] | { a, b -> Ops.matmul(a, b) }
        'reshape/permute'  | [2, 3, 4] | [4, 2, 3] | { a, b -> Ops.permute(a, 2, 0, 1).mul(b) }
        'sum keepDims'     | [2, 3, 4] | [2, 1, 4] | { a, b -> Ops.sum(a, [1] as int[], true).mul(b) }
        'sum drop axes'    | [2, 3, 4] | [3]       | { a, b -> Ops.sum(a, [0, 2] as int[], false).mul(b) }
        'mean'             | [2, 3, 4] | [2, 4]    | { a, b -> Ops.mean(a, [-2] as int[], false).mul(b) }
        'map (sin)'        | [3, 3]    | [3, 3]    | { a, b -> Ops.map(a.mul(b), 'sin', Math::sin, Math::cos) }
        'concat'           | [2, 3]    | [2, 2]    | { a, b -> Ops.concat(1, [a, b, a]) }
        'gather (im2col)'  | [2, 5]    | [8, 3]    | { a, b -> Ops.gather(a, [0, 1, 2, -1, 2, 3, 4, 4] as int[], 4, 2).reshape(2, 8).matmul(b) }
        'sumAll'           | [2, 3]    | [3]       | { a, b -> Ops.sumAll(a.mul(b)).reshape(1) }
    }

    def "a graph can be pulled back twice with different cotangents (linearity)"() {
        given:
        def a = Var.of(Tensor.randn(1, 3, 4))
        def w = Var.of(Tensor.randn(2, 4, 2))
        def out = Ops.map(Ops.matmul(a, w), 'tanh', Math::tanh, { x -> 1 - Math.tanh(x) ** 2 })
        def u1 = Tensor.randn(3, 3, 2), u2 = Tensor.randn(4, 3, 2)

        when:
        def g1 = Backprop.vjp(out, u1, [w])[w]
        def g2 = Backprop.vjp(out, u2, [w])[w]
        def g12 = Backprop.vjp(out, u1.add(u2), [w])[w]

        then:
        g12.sub(g1.add(g2)).norm() < 1e-12 * g12.norm()
    }

    def "forward mode (Jvp) agrees with reverse mode and with finite differences"() {
        given: 'a function using every primitive'
        Map<String, Tensor> p = [w: Tensor.randn(5, 4, 3), b: Tensor.randn(6, 3), x: Tensor.randn(7, 2, 5, 2)]
        Function<Map<String, Var>, Var> f = { Map<String, Var> m ->
            def patches = Ops.gather(m.x, [0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7] as int[], 3, 4)  // (2, 3, 4)
            def z = Ops.add(Ops.matmul(patches, m.w), m.b)                                       // (2, 3, 3)
            def h = Ops.map(z, 'tanh', Math::tanh, { t -> 1 - Math.tanh(t) ** 2 })
            def c = Ops.concat(-1, [h, Ops.div(h, Ops.addScalar(Ops.mul(z, z), 1.0))])             // (2, 3, 6)
            Ops.permute(Ops.mean(c, [1] as int[], true), 0, 2, 1).sub(Ops.scale(Ops.sum(z, [1, 2] as int[], false).reshape(2, 1, 1), 0.1))
        } as Function
        Map<String, Tensor> v = [w: Tensor.randn(8, 4, 3), b: Tensor.randn(9, 3), x: Tensor.randn(10, 2, 5, 2)]

        when:
        def jvp = Jvp.of(f, p, v)
        def u = Tensor.randn(11, jvp.value().shape())
        def vjp = Vjp.of(f, p, u)
        double lhs = u.dot(jvp.tangent())
        double rhs = vjp.collect { k, g -> g.dot(v[k]) }.sum() as double
        double h = 1e-5
        def plus = f.apply(p.collectEntries { k, t -> [k, Var.of(t.add(v[k].mul(h)))] } as Map).value()
        def minus = f.apply(p.collectEntries { k, t -> [k, Var.of(t.sub(v[k].mul(h)))] } as Map).value()
        def fd = plus.sub(minus).div(2 * h)

        then: '<u, Jv> = <J^T u, v>'
        Math.abs(lhs - rhs) <= 1e-12 * Math.abs(lhs)
        and: 'Jv against central differences'
        jvp.tangent().sub(fd).norm() <= 1e-6 * fd.norm()
        and: 'the primal value is f(p)'
        jvp.value().bitwiseEquals(f.apply(p.collectEntries { k, t -> [k, Var.of(t)] } as Map).value())
    }

    def "Grad.of rejects non-scalar losses and Jvp rejects unknown tangents"() {
        when:
        Grad.of({ Map<String, Var> m -> m.a } as Function, [a: Tensor.zeros(2)])
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('[2]')

        when:
        Jvp.of({ Map<String, Var> m -> m.a } as Function, [a: Tensor.zeros(2)], [q: Tensor.zeros(2)])
        then:
        def e2 = thrown(IllegalArgumentException)
        e2.message.contains("'q'")
    }

    def "gradients of unused parameters are zeros of their shape"() {
        expect:
        Grad.of({ Map<String, Var> m -> Ops.sumAll(m.a) } as Function, [a: Tensor.randn(1, 2), b: Tensor.randn(2, 3, 2)]).b.bitwiseEquals(Tensor.zeros(3, 2))
    }
}
