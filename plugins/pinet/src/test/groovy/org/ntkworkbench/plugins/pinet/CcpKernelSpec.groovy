package org.ntkworkbench.plugins.pinet

import org.ntkworkbench.tensor.SeededRandom
import spock.lang.Specification

/**
 * The CCP closed form against finite CCP networks: real weight matrices, a hand-written backward
 * pass (itself checked by finite differences), the empirical NTK as the sum of gradient products,
 * averaged over seeds.
 */
class CcpKernelSpec extends Specification {

    /** A finite CCP net of width m on inputs of dimension d. */
    static class FiniteCcp {
        int degree, m, d
        double[][][] hidden   // W[n][i] = row i of W_n
        double[] readout

        FiniteCcp(int degree, int m, int d, long seed) {
            this.degree = degree; this.m = m; this.d = d
            def rng = new SeededRandom(seed)
            hidden = new double[degree][m][d]
            for (n in 0..<degree) for (i in 0..<m) rng.fillGaussian(hidden[n][i])
            readout = new double[m]
            rng.fillGaussian(readout)
        }

        static double dot(double[] a, double[] b) { double s = 0; for (int k = 0; k < a.length; k++) s += a[k] * b[k]; s }

        double apply(double[] x) {
            double f = 0
            for (i in 0..<m) {
                double y = Math.max(0, dot(hidden[0][i], x))
                for (n in 1..<degree) y = (Math.max(0, dot(hidden[n][i], x)) + 1) * y
                f += readout[i] * y
            }
            Math.sqrt(2 / m) * f
        }

        /** Gradient of f w.r.t. (w, W_1 .. W_N), flattened. */
        double[] gradient(double[] x) {
            double[] g = new double[m + degree * m * d]
            double s = Math.sqrt(2 / m)
            for (i in 0..<m) {
                double[] pre = (0..<degree).collect { n -> dot(hidden[n][i], x) } as double[]
                double[] a = (0..<degree).collect { n -> n == 0 ? Math.max(0, pre[0]) : Math.max(0, pre[n]) + 1 } as double[]
                double y = a.inject(1d) { p, v -> p * v }
                g[i] = s * y
                for (n in 0..<degree) {
                    double others = 1
                    for (k in 0..<degree) if (k != n) others *= a[k]
                    double dAct = pre[n] > 0 ? 1 : 0
                    for (c in 0..<d) g[m + (n * m + i) * d + c] = s * readout[i] * others * dAct * x[c]
                }
            }
            g
        }
    }

    static double outputProduct(FiniteCcp net, double[] a, double[] b) {
        double fa = net.apply(a)
        return fa * net.apply(b)
    }

    static double[] unit(double[] v) { double n = Math.sqrt(FiniteCcp.dot(v, v)); v.collect { it / n } as double[] }

    def "the hand-written gradient of the finite CCP net matches central finite differences"() {
        given:
        def net = new FiniteCcp(3, 5, 4, 11)
        def x = unit([0.3, -0.5, 0.7, 0.2] as double[])
        def g = net.gradient(x)
        expect: 'readout entries and one entry of W_2 (row 1, column 2)'
        [0, 3].every { i -> fdMatches(net, x, g, { v -> net.readout[i] = v }, net.readout[i], i) }
        fdMatches(net, x, g, { v -> net.hidden[1][1][2] = v }, net.hidden[1][1][2], net.m + (1 * net.m + 1) * net.d + 2)
    }

    /** Central difference of f along one parameter (set through {@code setter}) against gradient entry {@code index}. */
    static boolean fdMatches(FiniteCcp net, double[] x, double[] g, Closure setter, double old, int index) {
        double h = 1e-6
        setter(old + h); double fp = net.apply(x)
        setter(old - h); double fm = net.apply(x)
        setter(old)
        Math.abs((fp - fm) / (2 * h) - g[index]) <= 1e-6 * Math.max(1, Math.abs(g[index]))
    }

    def "the analytic NTK matches the seed average of finite CCP networks (degree #degree)"() {
        given: 'two unit inputs in R^6 with correlation rho'
        int d = 6
        int m = 1500
        int seeds = 8
        def x = unit([1, 0.2, -0.3, 0.1, 0.4, -0.2] as double[])
        def x2 = unit([0.6, 0.8, 0.1, -0.1, 0.5, 0.3] as double[])
        double rho = FiniteCcp.dot(x, x2)
        def k = new CcpKernel(degree)

        when: 'empirical NTK <grad f(x), grad f(x2)> averaged over seeds'
        List<Double> ntks = []
        for (s in 0..<seeds) {
            def net = new FiniteCcp(degree, m, d, 1000 + s)
            ntks << FiniteCcp.dot(net.gradient(x), net.gradient(x2))
        }
        double ntkMean = ntks.sum() / seeds
        double ntkSe = Math.sqrt(ntks.collect { (it - ntkMean)**2 }.sum() / (seeds - 1) / seeds)

        then: 'within 4 standard errors of the Monte Carlo mean, and within 8% of the kernel scale Θ(1)'
        // At m = 1500 and 8 seeds, 20 repetitions in NumPy deviated by at most 4% of Θ(1).
        rho > 0.3
        Math.abs(ntkMean - k.ntk(rho)) < 4 * ntkSe
        Math.abs(ntkMean - k.ntk(rho)) < 0.08 * k.ntk(1)

        where:
        degree << [1, 2, 3]
    }

    def "degree 1 is the bias-free two-layer ReLU NTK kappa1 + rho kappa0"() {
        expect:
        [-0.9, -0.3, 0.0, 0.5, 0.99].every { r ->
            Math.abs(new CcpKernel(1).ntk(r) - (CcpKernel.kappa1(r) + r * CcpKernel.kappa0(r))) < 1e-15
        }
    }

    def "the NNGP is E[f(x) f(x')], checked by Monte Carlo over many narrow networks"() {
        given:
        int d = 5
        int m = 50
        int seeds = 400
        def x = unit([1, 0.5, -0.2, 0.3, 0.1] as double[])
        def x2 = unit([0.2, 0.9, 0.4, -0.5, 0.3] as double[])
        double rho = FiniteCcp.dot(x, x2)
        List<Double> prods = (0..<seeds).collect { s -> outputProduct(new FiniteCcp(2, m, d, 5000 + s), x, x2) }
        double mean = prods.sum() / seeds
        double se = Math.sqrt(prods.collect { (it - mean)**2 }.sum() / (seeds - 1) / seeds)

        expect: 'within 4 standard errors'
        Math.abs(mean - new CcpKernel(2).nngp(rho)) < 4 * se
    }

    def "inputs off the sphere are refused with a clear message"() {
        when:
        new CcpKernel(2).ntk(1.5)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('outside [-1, 1]')
    }
}
