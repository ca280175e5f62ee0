package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import java.util.function.DoubleUnaryOperator
import org.ntkworkbench.nn.Activation
import org.ntkworkbench.nn.Elementwise
import org.ntkworkbench.nn.Erf
import org.ntkworkbench.nn.Hermite
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * The parameterised activations of neural-tangents' stax (erf/sin/cos with a, b, c; abRelu; gelu with
 * the tanh approximation; exp; gaussianBump; expNormalized; polynomial; hermite; elementwise with a
 * closed-form NNGP function): each layer's kernel rule (its {@code dual()}) against an independent
 * integral of its own forward function, on DualSpec's grid of variances and correlations (ρ = ±1 and
 * ±(1 − 1e−6) included), to DualSpec's tolerance 1e−9·max(1, |T|); then against finite networks.
 * Oracles: 200-node tensor-product Gauss–Hermite for smooth φ, the polar-angle Gauss–Legendre integral
 * for the kinked (positively homogeneous) abRelu.
 */
class ParameterisedActivationSpec extends Specification {

    @Shared GaussHermite gh = GaussHermite.of(200)

    static double relDiff(Tensor a, Tensor b) {
        double num = 0, den = 0
        for (int i = 0; i < a.size(); i++) {
            num = Math.max(num, Math.abs(a.data()[i] - b.data()[i]))
            den = Math.max(den, Math.abs(b.data()[i]))
        }
        num / den
    }

    static DoubleUnaryOperator fn(Activation act) { { double x -> act.value(x) } as DoubleUnaryOperator }

    static DoubleUnaryOperator dfn(Activation act) { { double x -> act.derivative(x) } as DoubleUnaryOperator }

    /** Worst |closed − oracle| / max(1, |oracle|) of T and T' over the grid, by 2-D Gauss–Hermite of φ, φ′. */
    double worstVsQuadrature(Activation act, List<double[]> grid = DualSpec.grid()) {
        Dual d = act.dual()
        double worst = 0
        for (double[] s : grid) {
            double a = s[0], b = s[1], c = s[2]
            double t = gh.expect2d(fn(act), fn(act), a, b, c)
            double td = gh.expect2d(dfn(act), dfn(act), a, b, c)
            double e = Math.max(Math.abs(d.t(a, b, c) - t) / Math.max(1, Math.abs(t)),
                    Math.abs(d.tDot(a, b, c) - td) / Math.max(1, Math.abs(td)))
            if (e > 1e-9) println "${d.name()} at $a $b $c: T ${d.t(a, b, c)} vs $t, T' ${d.tDot(a, b, c)} vs $td"
            worst = Math.max(worst, e)
        }
        worst
    }

    @Unroll
    def "#act matches 2-D Gauss-Hermite quadrature of its own forward function (T and T')"() {
        expect:
        worstVsQuadrature(act) < 1e-9

        where:
        act << [erf(a: 2.0, b: 0.5, c: 0.3), erf(a: -1.0, b: 0.9, c: 0), erf(c: -0.5),
                sin(a: 1.5, b: 0.8, c: 0.4), sin(b: 1.3), sin(a: 0.7, c: -2.0),
                cos(a: 1.2, b: 0.6, c: 0.25),
                exp(), exp(a: 0.5, b: 0.4), exp(a: -2.0, b: -0.7),
                gaussianBump(), gaussianBump(a: 1.3, b: -0.25), gaussianBump(a: 0.8, b: 0.05),
                polynomial([0.1, 1.0, 0.3]), polynomial([-0.2, 0.0, 0.0, 0.5, -0.1]), polynomial([2.0]),
                hermite(0), hermite(1), hermite(2), hermite(3), hermite(4), hermite(6), hermite(9),
                gelu(approximate: true)]
    }

    @Unroll
    def "abRelu(#a, #b) matches the polar-angle integral (kinked) and reduces to leakyRelu/abs/relu"() {
        given:
        def act = abRelu(a, b)
        Dual d = act.dual()
        DoubleUnaryOperator phi = fn(act), phiDot = dfn(act)

        expect:
        DualSpec.grid().every { double[] s ->
            double t = Oracles.polar(phi, phi, 2, s[0], s[1], s[3])
            double td = Oracles.polar(phiDot, phiDot, 0, s[0], s[1], s[3])
            Math.abs(d.t(s[0], s[1], s[2]) - t) < 1e-9 * Math.max(1, Math.abs(t)) &&
                    Math.abs(d.tDot(s[0], s[1], s[2]) - td) < 1e-9 * Math.max(1, Math.abs(td))
        }
        DualSpec.grid().every { double[] s ->
            Dual ref = b == 1 ? Dual.leakyRelu(a) : null
            ref == null || (Math.abs(d.t(s[0], s[1], s[2]) - ref.t(s[0], s[1], s[2])) < 1e-14 * Math.max(1, Math.abs(ref.t(s[0], s[1], s[2])))
                    && Math.abs(d.tDot(s[0], s[1], s[2]) - ref.tDot(s[0], s[1], s[2])) < 1e-14)
        }

        where:
        a    | b
        -0.3 | 1.2
        0.0  | 1.0
        -1.0 | 1.0
        0.2  | 1.0
        1.5  | -0.5
    }

    def "hermite on unit variances is neural-tangents' rule T = rho^n, T' = n rho^(n-1)"() {
        expect:
        (1..6).every { int n ->
            Dual d = hermite(n).dual()
            [-1.0, -0.6, 0.0, 0.45, 0.9, 1.0].every { double rho ->
                Math.abs(d.t(1, 1, rho) - Math.pow(rho, n)) < 1e-13 &&
                        Math.abs(d.tDot(1, 1, rho) - n * Math.pow(rho, n - 1)) < 1e-12
            }
        }
    }

    def "hermite coefficients: He_4 / sqrt(24) = (x^4 - 6x^2 + 3) / sqrt(24)"() {
        expect:
        Math.abs(hermite(4).value(1.3) - (Math.pow(1.3, 4) - 6 * 1.69 + 3) / Math.sqrt(24)) < 1e-14
        Math.abs(hermite(5).value(-0.7) - (Math.pow(-0.7, 5) - 10 * Math.pow(-0.7, 3) + 15 * -0.7) / Math.sqrt(120)) < 1e-14
    }

    static final double G = 0.8, SHIFT = -0.6
    static final DoubleUnaryOperator EXP_PHI = (double x) -> Math.exp(Math.sqrt(G) * x + G * (SHIFT - 1) / 2)
    static final DoubleUnaryOperator EXP_PHI_DOT = (double x) -> Math.sqrt(G) * Math.exp(Math.sqrt(G) * x + G * (SHIFT - 1) / 2)

    def "expNormalized: on unit variances the dual of exp(sqrt(g) x + g (shift - 1)/2); positively homogeneous; clip"() {
        given:
        Dual d = expNormalized(gamma: G, shift: SHIFT).dual()

        expect:
        [-1.0, -0.5, 0.0, 0.3, 0.99, 1.0].every { double rho ->
            double t = gh.expect2d(EXP_PHI, EXP_PHI, 1, 1, rho)
            double td = gh.expect2d(EXP_PHI_DOT, EXP_PHI_DOT, 1, 1, rho)
            Math.abs(d.t(1, 1, rho) - t) < 1e-12 * t && Math.abs(d.tDot(1, 1, rho) - td) < 1e-12 * td
        }
        DualSpec.grid().every { double[] s ->
            Math.abs(d.t(3 * s[0], 3 * s[1], 3 * s[2]) - 3 * d.t(s[0], s[1], s[2])) < 1e-12 * Math.abs(d.t(s[0], s[1], s[2])) &&
                    Math.abs(d.tDot(3 * s[0], 3 * s[1], 3 * s[2]) - d.tDot(s[0], s[1], s[2])) < 1e-12 * d.tDot(s[0], s[1], s[2])
        }
        expNormalized(gamma: 2, clip: true).dual().t(1, 1, 1.2) == Math.exp(0)
        expNormalized(gamma: 2).dual().t(1, 1, 1.2) > 1.4
    }

    def "expNormalized refuses a forward pass"() {
        given:
        def layer = expNormalized()

        when:
        layer.apply(layer.init(0L, [3] as int[]), Tensor.randn(2, 2, 3))

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('kernel-only')
    }

    /** The arcsine kernel of erf written as a user would (neural-tangents argument order: cov12, var1, var2). */
    static final Elementwise.NngpFunction ERF_NNGP = (double c, double v1, double v2) ->
            2 / Math.PI * Math.asin(2 * c / Math.sqrt((1 + 2 * v1) * (1 + 2 * v2)))
    static final Elementwise.NngpFunction ERF_DNNGP = (double c, double v1, double v2) ->
            4 / Math.PI / Math.sqrt((1 + 2 * v1) * (1 + 2 * v2) - 4 * c * c)

    def "elementwise with a closed-form nngp: T from it; T' from dNngp, or from d nngp / d cov12 (Price) numerically"() {
        given:
        def withBoth = elementwise(fn: { double x -> Erf.erf(x) }, nngp: ERF_NNGP, dNngp: ERF_DNNGP)
        def withNngp = elementwise(nngp: { double c, double v1, double v2 -> ERF_NNGP.apply(c, v1, v2) }) { double x -> Erf.erf(x) }
        def ref = Dual.erf()

        expect: 'T exactly the given function; T′ numeric to 1e-7 relative, including the boundary |cov12| = sqrt(var1 var2)'
        withBoth.hasClosedFormKernel() && withNngp.hasClosedFormKernel()
        DualSpec.grid().every { double[] s ->
            double a = s[0], b = s[1], c = s[2]
            withBoth.dual().t(a, b, c) == ERF_NNGP.apply(c, a, b) && withBoth.dual().tDot(a, b, c) == ERF_DNNGP.apply(c, a, b) &&
                    Math.abs(withNngp.dual().t(a, b, c) - ref.t(a, b, c)) < 1e-15 &&
                    Math.abs(withNngp.dual().tDot(a, b, c) - ref.tDot(a, b, c)) < 1e-7 * ref.tDot(a, b, c)
        }
    }

    def "a kernel-only elementwise (nngp, no fn) gives erf's kernels through a network and refuses a forward pass"() {
        given:
        Tensor x = Tensor.randn(3, 3, 4)
        def net = serial(dense(5), elementwise(nngp: ERF_NNGP, dNngp: ERF_DNNGP), dense(1))
        def k = net.kernel(x)
        def k2 = serial(dense(5), erf(), dense(1)).kernel(x)

        expect:
        relDiff(k.ntk(), k2.ntk()) < 1e-13
        relDiff(k.nngp(), k2.nngp()) < 1e-13

        when:
        net.apply(net.init(0L, [4] as int[]), x)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('kernel-only')
    }

    def "elementwise option errors are one clear line"() {
        when:
        elementwise(nngp: { x -> x })
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('cov12, var1, var2')

        when:
        elementwise(dNngp: { a, b, c -> 0 }) { double x -> x }
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('needs nngp')

        when:
        erf(d: 1)
        then:
        e = thrown(IllegalArgumentException)
        e.message == "erf has no option 'd' (options: a, b, c)"
    }

    @Unroll
    def "#act: derivative matches central differences"() {
        expect:
        [-2.3, -1.1, -0.4, 0.35, 0.9, 1.7, 2.6].every { double x ->
            double h = 1e-6
            double fd = (act.value(x + h) - act.value(x - h)) / (2 * h)
            Math.abs(act.derivative(x) - fd) < 1e-8 * Math.max(1, Math.abs(fd))
        }

        where:
        act << [erf(a: 2.0, b: 0.5, c: 0.3), sin(a: 1.5, b: 0.8, c: 0.4), cos(a: 1.2, b: 0.6, c: 0.25), abRelu(-0.3, 1.2),
                gelu(approximate: true), exp(a: 0.5, b: 0.4), gaussianBump(a: 1.3, b: -0.25),
                polynomial([0.1, 1.0, 0.3, -0.2]), hermite(5)]
    }

    def "gelu(approximate: true) is the tanh form, within 1e-3 of the exact gelu (values and kernel)"() {
        given:
        def ap = gelu(approximate: true)
        def ex = gelu()

        expect:
        Math.abs(ap.value(1.0) - 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1 + 0.044715)))) < 1e-16
        [-3.0, -1.0, 0.5, 2.0].every { double x -> Math.abs(ap.value(x) - ex.value(x)) < 1e-3 }
        DualSpec.grid().every { double[] s ->
            Math.abs(ap.dual().t(s[0], s[1], s[2]) - ex.dual().t(s[0], s[1], s[2])) < 1e-3 * Math.max(1, Math.abs(ex.dual().t(s[0], s[1], s[2])))
        }
    }

    // ---- finite networks ----------------------------------------------------------------

    static final int W = 512, M = 64, SEEDS = 16
    @Shared Tensor x = Tensor.randn(11, 4, 8)

    static Layer mlp(Layer act) {
        serial(dense(W, 1.4, 0.3), act, dense(M, 1.1, 0.2))
    }

    static Map<String, Layer> models() {
        [
            'erf(a: 2, b: 0.5, c: 0.3)'      : mlp(erf(a: 2.0, b: 0.5, c: 0.3)),
            'sin(a: 1.5, b: 0.8, c: 0.4)'    : mlp(sin(a: 1.5, b: 0.8, c: 0.4)),
            'abRelu(-0.3, 1.2)'              : mlp(abRelu(-0.3, 1.2)),
            'hermite(3)'                     : mlp(hermite(3)),
            'gelu(approximate: true)'        : mlp(gelu(approximate: true)),
            'exp(a: 0.5, b: 0.4)'            : mlp(exp(a: 0.5, b: 0.4)),
        ]
    }

    @Unroll
    def "#name: analytic NNGP and NTK within 5 SE + 8/width of seed-averaged finite networks (as LayerKernelMonteCarloSpec)"() {
        when:
        Kernel k = net.kernel(x)
        def (double rN, double rT) = MonteCarloKernels.worstRatios(net, x, k, W, SEEDS)
        println "MC $name: worst |emp - analytic| / tol: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << models().keySet().toList()
        net << models().values().toList()
    }
}
