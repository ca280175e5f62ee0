package org.ntkworkbench.kernel

import groovy.transform.CompileStatic
import java.util.function.DoubleUnaryOperator
import org.ntkworkbench.nn.Conv
import org.ntkworkbench.nn.Dense
import org.ntkworkbench.tensor.SeededRandom
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.Unroll

/**
 * The quadrature dual (Hermite/Mehler series with Gauss–Hermite coefficients) against closed forms
 * for smooth activations written as closures, against independent tensor-product Gauss–Hermite for
 * tanh and sigmoid, and against Monte Carlo for tanh; its kernel-wide application against the
 * entrywise definition, for dense and spatial kernels.
 */
class QuadratureDualSpec extends Specification {

    static final double[] VARS = [0.2, 1.0, 3.0]
    static final double[] RHOS = [-1.0, -0.999999, -0.5, 0.0, 0.4, 0.95, 0.999999, 1.0]

    @Unroll
    def "a closure for #closed.name() reproduces the closed form to #tol (derivative #how)"() {
        expect:
        double worst = 0
        for (double a : VARS) for (double b : VARS) for (double r : RHOS) {
            double c = r * Math.sqrt(a * b)
            worst = Math.max(worst, Math.abs(quad.t(a, b, c) - closed.t(a, b, c)) / Math.max(1, Math.abs(closed.t(a, b, c))))
            worst = Math.max(worst, Math.abs(quad.tDot(a, b, c) - closed.tDot(a, b, c)) / Math.max(1, Math.abs(closed.tDot(a, b, c))))
        }
        println "${closed.name()} by quadrature, derivative $how: worst relative error $worst"
        worst < tol

        where:
        closed        | how                  | tol   | quad
        Dual.sin()    | 'given'              | 1e-12 | Dual.elementwise('sin', { double x -> return Math.sin(x) } as DoubleUnaryOperator, { double x -> return Math.cos(x) } as DoubleUnaryOperator)
        Dual.cos()    | 'central differences'| 1e-9  | Dual.elementwise('cos', { double x -> return Math.cos(x) } as DoubleUnaryOperator)
        Dual.gelu()   | 'central differences'| 1e-9  | Dual.elementwise('gelu', { double x -> return x * ClosedForms.normalCdf(x) } as DoubleUnaryOperator)
        Dual.rbf(0.5) | 'given'              | 1e-12 | Dual.elementwise('rbf', { double x -> return Math.exp(-0.5 * x * x) } as DoubleUnaryOperator, { double x -> return -x * Math.exp(-0.5 * x * x) } as DoubleUnaryOperator)
        Dual.monomial(3) | 'given'           | 1e-12 | Dual.elementwise('cube', { double x -> return x * x * x } as DoubleUnaryOperator, { double x -> return x * x * 3 } as DoubleUnaryOperator)
    }

    @Unroll
    def "#dual.name() by quadrature agrees with independent 2-D Gauss-Hermite (300 nodes) to 1e-10"() {
        given:
        def gh = GaussHermite.of(300)

        def gh1 = GaussHermite.of(300)

        expect: 'variances up to 2, where the 300-node tensor rule itself is accurate to ~1e-13'
        double worst = 0
        for (double a : [0.2, 1.0, 2.0]) for (double b : [0.2, 1.0, 2.0]) for (double r : RHOS) {
            double c = r * Math.sqrt(a * b)
            worst = Math.max(worst, Math.abs(dual.t(a, b, c) - gh.expect2d(phi, phi, a, b, c)))
            worst = Math.max(worst, Math.abs(dual.tDot(a, b, c) - gh.expect2d(phiDot, phiDot, a, b, c)))
        }
        println "${dual.name()}: worst absolute difference to 2-D Gauss-Hermite $worst"
        worst < 1e-10

        and: 'variance 3 at ρ = ±1 against 300-node one-dimensional Gauss-Hermite'
        double v = 3
        double sq = gh1.expect { double z -> double f = phi.applyAsDouble(Math.sqrt(v) * z); return f * f }
        double sqDot = gh1.expect { double z -> double f = phiDot.applyAsDouble(Math.sqrt(v) * z); return f * f }
        double anti = gh1.expect { double z -> return phi.applyAsDouble(Math.sqrt(v) * z) * phi.applyAsDouble(-Math.sqrt(v) * z) }
        Math.abs(dual.t(v, v, v) - sq) < 1e-10
        Math.abs(dual.tDot(v, v, v) - sqDot) < 1e-10
        Math.abs(dual.t(v, v, -v) - anti) < 1e-10

        where:
        dual           | phi                                                          | phiDot
        Dual.tanh()    | Oracles.TANH    | Oracles.TANH_DOT
        Dual.sigmoid() | Oracles.SIGMOID | Oracles.SIGMOID_DOT
    }

    @CompileStatic
    static double[] monteCarloTanh(double a, double b, double c, int samples, long seed) {
        double[] z = new double[2 * samples]
        new SeededRandom(seed).fillGaussian(z)
        double su = Math.sqrt(a), beta = c / su, sc = Math.sqrt(Math.max(0, b - beta * beta))
        double s = 0, s2 = 0, d = 0, d2 = 0
        for (int k = 0; k < samples; k++) {
            double u = su * z[2 * k], v = beta * z[2 * k] + sc * z[2 * k + 1]
            double tu = Math.tanh(u), tv = Math.tanh(v)
            double p = tu * tv, q = (1 - tu * tu) * (1 - tv * tv)
            s += p; s2 += p * p; d += q; d2 += q * q
        }
        double m = s / samples, md = d / samples
        [m, Math.sqrt((s2 / samples - m * m) / samples), md, Math.sqrt((d2 / samples - md * md) / samples)] as double[]
    }

    def "tanh by quadrature lies within 5 standard errors of Monte Carlo with 10^6 samples"() {
        expect:
        [[1.0, 1.0, 0.3], [0.5, 2.0, -0.8], [3.0, 3.0, 2.9]].every { List<Double> s ->
            double[] mc = monteCarloTanh(s[0], s[1], s[2], 1_000_000, 11)
            Math.abs(Dual.tanh().t(s[0], s[1], s[2]) - mc[0]) < 5 * mc[1] &&
                    Math.abs(Dual.tanh().tDot(s[0], s[1], s[2]) - mc[2]) < 5 * mc[3]
        }
    }

    def "applied to a whole kernel, quadrature and closed-form duals equal their entrywise definitions"() {
        given: 'a 1-D conv kernel of signals (spatial pairs) and a dense kernel of x1 vs x2'
        def x = Tensor.randn(41, 4, 5, 3)
        def y = Tensor.randn(42, 3, 5, 3)
        def k = Conv.rule(Kernel.fromInputs(x, y), [3] as int[], [1] as int[], org.ntkworkbench.kernel.Padding.CIRCULAR, 1.3, 0.2)
        def kd = Dense.rule(Kernel.fromInputs(x.copy().reshape(4, 15), y.copy().reshape(3, 15)), 1.1, 0.5)

        expect:
        [Dual.tanh(), Dual.relu(), Dual.erf()].every { Dual d ->
            def out = d.apply(k)
            def outD = d.apply(kd)
            boolean ok = true
            for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) {
                for (int p = 0; p < 5; p++) for (int q = 0; q < 5; q++) {
                    double a = k.cov1().get(i, p, p), b = k.cov2().get(j, q, q), c = k.nngp().get(i, j, p, q)
                    ok &= Math.abs(out.nngp().get(i, j, p, q) - d.t(a, b, c)) < 1e-12
                    ok &= Math.abs(out.ntk().get(i, j, p, q) - d.tDot(a, b, c) * k.ntk().get(i, j, p, q)) < 1e-12
                    ok &= Math.abs(out.cov1().get(i, p, q) - d.t(a, k.cov1().get(i, q, q), k.cov1().get(i, p, q))) < 1e-12
                }
                double a = kd.cov1().get(i), b = kd.cov2().get(j)
                ok &= Math.abs(outD.nngp().get(i, j) - d.t(a, b, kd.nngp().get(i, j))) < 1e-12
                ok &= Math.abs(outD.ntk().get(i, j) - d.tDot(a, b, kd.nngp().get(i, j)) * kd.ntk().get(i, j)) < 1e-12
            }
            ok
        }
    }

    def "a kernel without NTK keeps ntk null through activations and layers"() {
        given:
        def k0 = Kernel.fromInputs(Tensor.randn(43, 6, 4), null)
        def k = k0.withNtk(null)

        when:
        def out = Dense.rule(Dual.tanh().apply(Dense.rule(k, 1, 0.1)), 1, 0)

        then:
        out.ntk() == null
        Math.abs(out.nngp().get(1, 2) - Dual.tanh().t(k.cov1().get(1) + 0.01, k.cov1().get(2) + 0.01, k.nngp().get(1, 2) + 0.01)) < 1e-12
    }
}
