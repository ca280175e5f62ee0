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

    static double rowDot(Tensor x, int i, int j) {
        double s = 0
        for (int c = 0; c < x.dim(1); c++) {
            s += x.get(i, c) * x.get(j, c)
        }
        return s
    }

    def "the ccp preset computes the paper's recursion y_n = (relu(W_n x) + 1) * y_(n-1), f = sqrt(2/m) w.y"() {
        given:
        int d = 5
        int m = 7
        def net = PolynomialNets.ccp(3, m, d)
        def p = net.init(3, d)
        def x = unitRows(1, 4, d)
        // Keys of the nested fanOut/parallel/fanInProd structure: W_3 outermost (0.1.0.0), W_1 innermost.

        when:
        def f = net.apply(p, x)

        then: 'equal to the hand-written recursion to 1e-12'
        p.keySet() == ['0.1.0.0/W', '0.1.1.1.0.0/W', '0.1.1.1.1.0/W', '1/W'] as Set
        (0..<4).every { i ->
            double expected = handCcp(x.row(i), [p['0.1.1.1.1.0/W'], p['0.1.1.1.0.0/W'], p['0.1.0.0/W']], p['1/W'])
            Math.abs(f.get(i, 0) - expected) < 1e-12 * Math.max(1, Math.abs(expected))
        }
    }

    /** y_1 = relu(x W_1), y_n = (relu(x W_n) + 1) y_(n-1), f = sqrt(2/m) y.w, with plain loops. */
    static double handCcp(double[] x, List<Tensor> hidden, Tensor readout) {
        int d = x.length
        int m = readout.dim(0)
        double[] y = new double[m]
        for (int n = 0; n < hidden.size(); n++) {
            for (int k = 0; k < m; k++) {
                double z = 0
                for (int j = 0; j < d; j++) {
                    z += x[j] * hidden[n].get(j, k)
                }
                y[k] = n == 0 ? relu(z) : (relu(z) + 1) * y[k]
            }
        }
        double f = 0
        for (int k = 0; k < m; k++) {
            f += y[k] * readout.get(k, 0)
        }
        return Math.sqrt(2d / m) * f
    }

    def "reluPlusOne's dual is E[(relu(u)+1)(relu(v)+1)] by 2-D Gauss-Hermite quadrature away from the kink"() {
        given: 'a smooth check of the additive terms: T - T_relu = sqrt(v1/2pi) + sqrt(v2/2pi) + 1 exactly'
        def dual = new ReluPlusOne().dual()
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

    def "the analytic NTK and NNGP of the ccp preset (kernel rules through fanInProd) equal the closed form of Wu et al."() {
        given:
        int d = 6
        def x = unitRows(7, 5, d)
        def net = PolynomialNets.ccp(degree, 64, d)
        def closed = new CcpKernel(degree)

        when:
        def k = net.kernel(x, null)

        then: 'every pair to 1e-12 relative'
        (0..<5).every { i ->
            (0..<5).every { j ->
                double rho = i == j ? 1d : Math.max(-1d, Math.min(1d, rowDot(x, i, j)))   // unit rows: <x, x> = 1
                Math.abs(k.ntk().get(i, j) - closed.ntk(rho)) < 1e-12 * closed.ntk(1) &&
                        Math.abs(k.nngp().get(i, j) - closed.nngp(rho)) < 1e-12 * closed.nngp(1)
            }
        }

        where:
        degree << [1, 2, 3, 6]
    }
}
