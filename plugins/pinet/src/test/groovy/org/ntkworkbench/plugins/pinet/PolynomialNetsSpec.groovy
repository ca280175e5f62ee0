package org.ntkworkbench.plugins.pinet

import org.ntkworkbench.kernel.Dual
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

class PolynomialNetsSpec extends Specification {

    /** Unit rows. */
    static Tensor unitRows(long seed, int n, int d) {
        def x = Tensor.randn(seed, n, d)
        for (i in 0..<n) {
            double s = Math.sqrt((0..<d).sum { j -> x.get(i, j)**2 } as double)
            for (j in 0..<d) x.set(x.get(i, j) / s, i, j)
        }
        x
    }

    static double relu(double v) { Math.max(v, 0d) }

    def "the ccp preset computes the paper's recursion y_n = (relu(W_n x) + 1) * y_(n-1), f = sqrt(2/m) w.y"() {
        given:
        int d = 5
        int m = 7
        def net = PolynomialNets.ccp(3, m, d)
        def p = net.init(3, d)
        def x = unitRows(1, 4, d)
        // Keys of the nested fanOut/parallel/fanInProd structure: W_3 outermost (0.1.0.0), W_1 innermost.
        def w = p['1/W']

        when:
        def f = net.apply(p, x)

        then: 'equal to the hand-written recursion to 1e-12'
        p.keySet() == ['0.1.0.0/W', '0.1.1.1.0.0/W', '0.1.1.1.1.0/W', '1/W'] as Set
        (0..<4).every { i ->
            double[] y = new double[m]
            for (k in 0..<m) y[k] = relu((0..<d).sum { j -> x.get(i, j) * p['0.1.1.1.1.0/W'].get(j, k) } as double)
            for (key in ['0.1.1.1.0.0/W', '0.1.0.0/W']) {
                for (k in 0..<m) y[k] *= relu((0..<d).sum { j -> x.get(i, j) * p[key].get(j, k) } as double) + 1
            }
            double expected = Math.sqrt(2d / m) * (0..<m).sum { k -> y[k] * w.get(k, 0) }
            Math.abs(f.get(i, 0) - expected) < 1e-12 * Math.max(1, Math.abs(expected))
        }
    }

    def "reluPlusOne's dual is E[(relu(u)+1)(relu(v)+1)] by 2-D Gauss-Hermite quadrature away from the kink"() {
        given: 'a smooth check of the additive terms: T - T_relu = sqrt(v1/2pi) + sqrt(v2/2pi) + 1 exactly'
        def dual = ReluPlusOne.dual()
        def relu = Dual.relu()

        expect:
        [[1.0, 1.0, 0.3], [2.0, 0.5, -0.4], [0.7, 1.3, 0.9]].every { v1, v2, c ->
            double extra = dual.t(v1, v2, c) - relu.t(v1, v2, c)
            Math.abs(extra - (Math.sqrt(v1 / (2 * Math.PI)) + Math.sqrt(v2 / (2 * Math.PI)) + 1)) < 1e-15 &&
                    dual.tDot(v1, v2, c) == relu.tDot(v1, v2, c)
        }
    }

    def "E[relu(u)] = sqrt(v/2pi) by Monte Carlo (the fact the reluPlusOne dual rests on)"() {
        given:
        def z = Tensor.randn(5, 400000)
        double v = 2.0
        double mean = z.data().collect { relu(Math.sqrt(v) * it) }.sum() / z.size()

        expect: 'within 5 standard errors (sd of relu(N(0,2)) < 1.2)'
        Math.abs(mean - Math.sqrt(v / (2 * Math.PI))) < 5 * 1.2 / Math.sqrt(z.size())
    }
}
