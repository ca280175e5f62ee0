package org.ntkworkbench.train

import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/**
 * First updates on L(θ) = ½ · 2 · (θ − 1)² from θ₀ = 0 with η = 0.1, so g = 2(θ − 1), worked by hand:
 * gd: θ = 0.2, 0.36, 0.488 (θ_t − 1 = −0.8^t).
 * momentum μ = 0.9: v₁ = −2, θ₁ = 0.2; g₁ = −1.6, v₂ = −3.4, θ₂ = 0.54; g₂ = −0.92, v₃ = −3.98, θ₃ = 0.938.
 * adam (0.9, 0.999, 1e-8): θ₁ = 0.2/(2 + 1e-8); then the recursion of Kingma–Ba Algorithm 1,
 * evaluated on a calculator: θ₂ = 0.19958777130820715, θ₃ = 0.29841372705396974.
 */
class OptimizerSpec extends Specification {

    static double[] run(Optimizer opt, int steps) {
        def q = new Quadratic([2d], [1d])
        def p = q.start([0d])
        def g = [theta: Tensor.zeros(1)]
        double[] out = new double[steps]
        for (int t = 0; t < steps; t++) {
            q.lossAndGradient(p, [0] as int[], g)
            opt.step(p, g, 0.1d)
            out[t] = p.theta.item()
        }
        out
    }

    def "#name takes the hand-computed first steps"() {
        when:
        double[] th = run(opt, 3)

        then:
        (0..<3).every { Math.abs(th[it] - expected[it]) < 1e-15 }

        where:
        name       | opt                                 | expected
        'gd'       | Optimizer.gd()                      | [0.2d, 0.36d, 0.488d]
        'sgd'      | Optimizer.sgd()                     | [0.2d, 0.36d, 0.488d]
        'momentum' | Optimizer.momentum(0.9d)            | [0.2d, 0.54d, 0.938d]
        'adam'     | Optimizer.adam(0.9d, 0.999d, 1e-8d) | [0.2d / (2d + 1e-8d), 0.19958777130820715d, 0.29841372705396974d]
    }

    def "updates are elementwise over every tensor of the map"() {
        given: 'two parameters; gd with η = 0.5 subtracts half the gradient'
        def p = new LinkedHashMap<String, Tensor>([a: Tensor.vector(1, 2), b: Tensor.of([[3d, 4d]] as double[][])])
        def g = [a: Tensor.vector(2, -2), b: Tensor.of([[1d, 0d]] as double[][])]

        when:
        Optimizer.gd().step(p, g, 0.5d)

        then:
        p.a.data() == [0d, 3d] as double[]
        p.b.data() == [2.5d, 4d] as double[]
    }

    def "exported state lets a fresh #name continue identically"() {
        given:
        def q = new Quadratic([2d, 0.5d], [1d, -3d])
        def p1 = q.start([0d, 0d])
        def g = [theta: Tensor.zeros(2)]
        def first = Optimizer.byName(name)
        2.times { q.lossAndGradient(p1, [0] as int[], g); first.step(p1, g, 0.05d) }
        def p2 = Optimizer.copyOf(p1)
        def second = Optimizer.byName(name)
        second.restore(first.state())

        when:
        3.times {
            q.lossAndGradient(p1, [0] as int[], g); first.step(p1, g, 0.05d)
            q.lossAndGradient(p2, [0] as int[], g); second.step(p2, g, 0.05d)
        }

        then:
        p1.theta.data() == p2.theta.data()

        where:
        name << ['sgd', 'momentum', 'adam']
    }

    def "unknown names and mismatched gradients are rejected"() {
        when:
        Optimizer.byName('lbfgs')
        then:
        thrown(IllegalArgumentException)

        when:
        Optimizer.sgd().step([w: Tensor.zeros(2, 2)], [w: Tensor.zeros(4)], 0.1d)
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains("'w'") && e.message.contains('[4]')
    }
}
