package org.ntkworkbench.model.empirical

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/** Empirical NNGP: one draw f fᵀ/k, and the Monte Carlo mean against the arc-cosine closed form. */
class EmpiricalNngpSpec extends Specification {

    def "one draw is f(x1) f(x2)ᵀ / k written out, symmetric to the last bit with x2 omitted"() {
        given:
        def net = serial(dense(5, 1.0, 0.2), relu(), dense(3))
        def p = net.init(1, 2)
        def x1 = Tensor.randn(2, 4, 2), x2 = Tensor.randn(3, 5, 2)
        def f1 = net.apply(p, x1), f2 = net.apply(p, x2)
        when:
        def k = EmpiricalNngp.of(net, p, x1, x2)
        def s = EmpiricalNngp.of(net, p, x1, null)
        then:
        k.shape() == [4, 5] as int[]
        (0..<4).every { int e -> (0..<5).every { int c ->
            double expected = 0
            for (int o = 0; o < 3; o++) expected += f1.get(e, o) * f2.get(c, o)
            expected /= 3d
            Math.abs(k.get(e, c) - expected) <= 1e-14 * Math.max(1d, Math.abs(expected))
        } }
        (0..<4).every { int e -> (0..<4).every { int c -> Double.doubleToRawLongBits(s.get(e, c)) == Double.doubleToRawLongBits(s.get(c, e)) } }
    }

    def "Monte Carlo NNGP of a one-hidden-layer ReLU net matches the arc-cosine kernel within 4.5 standard errors"() {
        given: 'f = m^{-1/2} Σ_i v_i relu(u_i), u ~ N(0, σ²|x|²/d): E[f f′] = σ²(|x||x′|/2πd)(sin θ + (π − θ) cos θ)'
        double sigma = 1.3
        int d = 3
        def net = serial(dense(16, sigma, 0.0), relu(), dense(2))
        def x = Tensor.randn(4, 3, d)
        long[] seeds = (1L..300L) as long[]
        when:
        def est = EmpiricalNngp.monteCarlo(net, x, null, seeds)
        def exact = Tensor.zeros(3, 3)
        for (int e = 0; e < 3; e++) {
            for (int f = 0; f < 3; f++) {
                double xx = 0, ee = 0, ff = 0
                for (int j = 0; j < d; j++) {
                    xx += x.get(e, j) * x.get(f, j); ee += x.get(e, j) ** 2; ff += x.get(f, j) ** 2
                }
                double norms = Math.sqrt(ee * ff)
                double theta = Math.acos(Math.max(-1d, Math.min(1d, xx / norms)))
                exact.set(sigma * sigma * norms / (2 * Math.PI * d) * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta)), e, f)
            }
        }
        then:
        est.samples() == 300
        (0..<3).every { int e -> (0..<3).every { int c ->
            Math.abs(est.mean().get(e, c) - exact.get(e, c)) <= 4.5 * est.standardError().get(e, c)
        } }
        and: 'the standard error is that of 300 draws: small against the kernel itself'
        est.standardError().maxAbs() < 0.15 * exact.maxAbs()
    }

    def "the standard error is the two-pass sample standard deviation over √S"() {
        given:
        def net = serial(dense(4), erf(), dense(1))
        def x1 = Tensor.randn(5, 2, 3), x2 = Tensor.randn(6, 3, 3)
        long[] seeds = [3L, 4L, 5L, 6L, 7L]
        when:
        def est = EmpiricalNngp.monteCarlo(net, x1, x2, seeds)
        def draws = seeds.collect { EmpiricalNngp.of(net, net.init(it, 3), x1, x2) }
        def mean = draws.inject(Tensor.zeros(2, 3)) { a, b -> a.add(b) }.mul(1 / 5d)
        def se = draws.inject(Tensor.zeros(2, 3)) { a, b -> a.add(b.sub(mean).mul(b.sub(mean))) }.mul(1 / 4d / 5d).map(Math::sqrt)
        then:
        est.mean().sub(mean).maxAbs() <= 1e-13 * mean.maxAbs()
        est.standardError().sub(se).maxAbs() <= 1e-10 * se.maxAbs()
    }
}
