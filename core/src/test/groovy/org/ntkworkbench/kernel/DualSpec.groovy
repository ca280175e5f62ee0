package org.ntkworkbench.kernel

import java.util.function.DoubleUnaryOperator
import spock.lang.Specification
import spock.lang.Unroll

/**
 * Every closed-form dual against an independent integral: the polar-angle Gauss–Legendre oracle for
 * positively homogeneous activations (kinks allowed), tensor-product Gauss–Hermite with 120 nodes
 * per axis for smooth ones; on a grid of variances and correlations including ρ = ±1 and ±(1 − 1e−6).
 */
class DualSpec extends Specification {

    static final double[] VARS = [0.3, 1.0, 2.5]
    static final double[] RHOS = [-1.0, -0.999999, -0.7, 0.0, 0.3, 0.9, 0.999999, 1.0]

    static List<double[]> grid() {
        def out = []
        for (double a : VARS) for (double b : VARS) for (double r : RHOS) out << ([a, b, r * Math.sqrt(a * b), r] as double[])
        out
    }

    static double leaky(double alpha, double x) { x > 0 ? x : alpha * x }

    static double pow(double x, int n) { n == 0 ? 1d : Math.pow(x, n) }

    @Unroll
    def "#dual.name() matches the polar-angle integral (kinks included)"() {
        expect:
        grid().every { double[] s ->
            double a = s[0], b = s[1], c = s[2]
            double t = Oracles.polar(phi, phi, 2 * degree, a, b, s[3])
            double td = degree == 0 ? 0 : Oracles.polar(phiDot, phiDot, 2 * degree - 2, a, b, s[3])
            double scale = Math.max(1, Math.abs(t))
            boolean ok = Math.abs(dual.t(a, b, c) - t) < 1e-9 * scale &&
                    Math.abs(dual.tDot(a, b, c) - td) < 1e-9 * Math.max(1, Math.abs(td))
            if (!ok) println "${dual.name()} at $a $b $c: T ${dual.t(a, b, c)} vs $t, T' ${dual.tDot(a, b, c)} vs $td"
            ok
        }

        where:
        dual                          | degree | phi                                                   | phiDot
        Dual.relu()                   | 1      | { double x -> return Oracles.relu(x) } as DoubleUnaryOperator | { double x -> return Oracles.step(x) } as DoubleUnaryOperator
        Dual.leakyRelu(0.1)           | 1      | { double x -> return leaky(0.1, x) } as DoubleUnaryOperator   | { double x -> return x > 0 ? 1d : 0.1d } as DoubleUnaryOperator
        Dual.leakyRelu(-0.4)          | 1      | { double x -> return leaky(-0.4, x) } as DoubleUnaryOperator  | { double x -> return x > 0 ? 1d : -0.4d } as DoubleUnaryOperator
        Dual.abs()                    | 1      | { double x -> return Math.abs(x) } as DoubleUnaryOperator     | { double x -> return Math.signum(x) } as DoubleUnaryOperator
        Dual.sign()                   | 0      | { double x -> return Math.signum(x) } as DoubleUnaryOperator  | null
        Dual.rectifiedMonomial(0)     | 0      | { double x -> return Oracles.step(x) } as DoubleUnaryOperator | null
        Dual.rectifiedMonomial(1)     | 1      | { double x -> return Oracles.relu(x) } as DoubleUnaryOperator | { double x -> return Oracles.step(x) } as DoubleUnaryOperator
        Dual.rectifiedMonomial(2)     | 2      | { double x -> return pow(Oracles.relu(x), 2) } as DoubleUnaryOperator | { double x -> return Oracles.relu(x) * 2 } as DoubleUnaryOperator
        Dual.rectifiedMonomial(3)     | 3      | { double x -> return pow(Oracles.relu(x), 3) } as DoubleUnaryOperator | { double x -> return pow(Oracles.relu(x), 2) * 3 } as DoubleUnaryOperator
        Dual.rectifiedMonomial(5)     | 5      | { double x -> return pow(Oracles.relu(x), 5) } as DoubleUnaryOperator | { double x -> return pow(Oracles.relu(x), 4) * 5 } as DoubleUnaryOperator
        Dual.monomial(3)              | 3      | { double x -> return x * x * x } as DoubleUnaryOperator       | { double x -> return x * x * 3 } as DoubleUnaryOperator
        Dual.monomial(4)              | 4      | { double x -> return pow(x, 4) } as DoubleUnaryOperator       | { double x -> return x * x * x * 4 } as DoubleUnaryOperator
    }

    @Unroll
    def "#dual.name() matches 2-D Gauss-Hermite quadrature"() {
        given:
        def gh = GaussHermite.of(120)

        expect:
        grid().every { double[] s ->
            double a = s[0], b = s[1], c = s[2]
            double t = gh.expect2d(phi, phi, a, b, c)
            double td = gh.expect2d(phiDot, phiDot, a, b, c)
            boolean ok = Math.abs(dual.t(a, b, c) - t) < 1e-9 * Math.max(1, Math.abs(t)) &&
                    Math.abs(dual.tDot(a, b, c) - td) < 1e-9 * Math.max(1, Math.abs(td))
            if (!ok) println "${dual.name()} at $a $b $c: T ${dual.t(a, b, c)} vs $t, T' ${dual.tDot(a, b, c)} vs $td"
            ok
        }

        where:
        dual            | phi                                                                    | phiDot
        Dual.erf()      | { double x -> return 2 * ClosedForms.normalCdf(x * Math.sqrt(2)) - 1 } as DoubleUnaryOperator | { double x -> return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) } as DoubleUnaryOperator
        Dual.gelu()     | { double x -> return x * ClosedForms.normalCdf(x) } as DoubleUnaryOperator  | { double x -> return ClosedForms.normalCdf(x) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI) } as DoubleUnaryOperator
        Dual.sin()      | { double x -> return Math.sin(x) } as DoubleUnaryOperator                   | { double x -> return Math.cos(x) } as DoubleUnaryOperator
        Dual.cos()      | { double x -> return Math.cos(x) } as DoubleUnaryOperator                   | { double x -> return -Math.sin(x) } as DoubleUnaryOperator
        Dual.rbf(0.7)   | { double x -> return Math.exp(-0.7 * x * x) } as DoubleUnaryOperator        | { double x -> return -1.4 * x * Math.exp(-0.7 * x * x) } as DoubleUnaryOperator
        Dual.monomial(2)| { double x -> return x * x } as DoubleUnaryOperator                         | { double x -> return x * 2 } as DoubleUnaryOperator
        Dual.monomial(5)| { double x -> return pow(x, 5) } as DoubleUnaryOperator                     | { double x -> return pow(x, 4) * 5 } as DoubleUnaryOperator
    }

    def "the normal CDF series matches known values"() {
        expect: 'Φ(1) and Φ(−2) to 15 digits (tabulated: 0.841344746068543, 0.022750131948179)'
        Math.abs(ClosedForms.normalCdf(1.0) - 0.841344746068543) < 1e-15
        Math.abs(ClosedForms.normalCdf(-2.0) - 0.022750131948179) < 1e-15
    }

    def "the Gauss-Hermite rule integrates Gaussian moments exactly"() {
        given:
        def gh = GaussHermite.of(n)

        expect: 'E[z^{2k}] = (2k − 1)!! for 2k < 2n'
        (0..<n).every { int k ->
            double df = 1
            for (int i = 2 * k - 1; i > 1; i -= 2) df *= i
            double m = gh.expect { double z -> Math.pow(z, 2 * k) } as double
            Math.abs(m - df) < 1e-12 * df
        }

        where:
        n << [5, 20, 60]
    }
}
