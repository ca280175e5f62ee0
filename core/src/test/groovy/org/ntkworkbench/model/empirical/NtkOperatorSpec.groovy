package org.ntkworkbench.model.empirical

import static org.ntkworkbench.model.empirical.NtkMethod.*
import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/** Θv by a VJP and a JVP against the explicit kernel (Jacobian contraction) times v. */
class NtkOperatorSpec extends Specification {

    static double relErr(Tensor a, Tensor b) {
        assert a.sameShape(b)
        a.sub(b).maxAbs() / b.maxAbs()
    }

    def "full product: (n2, k) vectors give Θ_full v with Θ_full from the Jacobian"() {
        given:
        def net = serial(conv([filter: [2], padding: 'SAME', bStd: 0.2], 3), tanh(), flatten(), dense(3, 1.0, 0.1))
        def p = net.init(2, 4, 2)
        def x1 = Tensor.randn(3, 5, 4, 2), x2 = Tensor.randn(4, 6, 4, 2)
        def op = NtkOperator.of(net, p, x1, x2)
        def v = Tensor.randn(5, 6, 3)
        when:
        def full = EmpiricalNtk.ntk(net, p, x1, x2, JACOBIAN_CONTRACTION, false)  // (15, 18)
        def expected = full.matmul(v.reshape(18, 1)).reshape(5, 3)
        then:
        op.rows() == 5 && op.columns() == 6 && op.outputsPerExample() == 3
        relErr(op.apply(v), expected) <= 1e-12
    }

    def "traced product: (n2) vectors give the mean over output units, Θ_trace v"() {
        given:
        def net = serial(dense(5, 1.2, 0.3), relu(), dense(2, 0.8, 0.1))
        def p = net.init(3, 3)
        def x = Tensor.randn(4, 7, 3)
        def op = NtkOperator.of(net, p, x)
        def v = Tensor.randn(5, 7)
        expect:
        relErr(op.apply(v), EmpiricalNtk.ntk(net, p, x, null, STRUCTURED_DERIVATIVES, true).matmul(v.reshape(7, 1)).reshape(7)) <= 1e-12
    }

    def "the operator is linear: Θ(αu + βw) = αΘu + βΘw (one graph reused across calls)"() {
        given:
        def net = serial(dense(4, 1.0, 0.2), erf(), dense(2))
        def p = net.init(5, 2)
        def op = NtkOperator.of(net, p, Tensor.randn(6, 3, 2), Tensor.randn(7, 4, 2))
        def u = Tensor.randn(8, 4, 2), w = Tensor.randn(9, 4, 2)
        expect:
        relErr(op.apply(u.mul(2.0).add(w.mul(-0.5))), op.apply(u).mul(2.0).add(op.apply(w).mul(-0.5))) <= 1e-12
    }

    def "a vector of the wrong shape is an IllegalArgumentException naming both shapes"() {
        given:
        def net = serial(dense(3), relu(), dense(2))
        def op = NtkOperator.of(net, net.init(0, 2), Tensor.randn(1, 4, 2))
        when:
        op.apply(Tensor.randn(2, 4, 3))
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('[4, 3]') && e.message.contains('(4, 2)')
    }
}
