package org.ntkworkbench.spectrum

import static org.ntkworkbench.spectrum.SpectrumFixtures.*

import groovy.transform.CompileStatic
import java.util.function.DoubleUnaryOperator
import org.ntkworkbench.tensor.Blas
import spock.lang.Specification

class MultiSphereSpec extends Specification {

    Spectra spectra = new NativeSpectra()

    def "circles: the cosine transform agrees with tensor Gauss-Chebyshev quadrature for a smooth kernel"() {
        given: 'a smooth, non-separable f(t1, t2, t3)'
        MultiDotProductKernel f = { double[] t -> Math.exp(t[0] * t[1] + 0.5d * t[2] + 0.3d * t[0] * t[2]) } as MultiDotProductKernel

        when:
        def fft = spectra.multiSphere(f, 2, 3, 8, 32)
        def quad = MultiSphereSpectra.gegenbauer(f, 2, 3, 8, 30)

        then: 'both are exponentially accurate here; agreement to 1e-13 max|lambda|'
        fft.method().startsWith('cosine-transform')
        (0..<fft.values().length).every { int i -> Math.abs(fft.values()[i] - quad.values()[i]) < 1e-13 * fft.maxAbs() }
    }

    def "circles: ReLU-type kernel, cosine transform against an independent graded angle quadrature"() {
        given: 'f = kappa1(t1) kappa1(t2) + kappa0(t1) t2: kinks in the angles, coefficients decay algebraically'
        MultiDotProductKernel f = { double[] t -> kappa1(t[0]) * kappa1(t[1]) + kappa0(t[0]) * t[1] } as MultiDotProductKernel
        def rule = QuadratureRule.sphereTheta(2, 24, 20, 12)

        when:
        def fft = MultiSphereSpectra.circles(f, 2, 10, 256)
        def quad = MultiSphereSpectra.withRule(f, 2, 2, 10, rule, 'theta-rule')

        then: '''aliasing: kappa0(cos theta) has cosine coefficients 2/(pi^2 m^2) at odd m, so the M-point transform is off by
                 about sum_j 2 * 2/(pi^2 (jM)^2) = (2/3)/M^2 = 1.0e-5, times mu_1(t) = 1/2; kappa1 (m^-4) adds far less'''
        (0..<fft.values().length).every { int i -> Math.abs(fft.values()[i] - quad.values()[i]) < 0.6d / (256 * 256) }
        and: 'the smooth-in-angle part kappa1 kappa1 alone agrees much better (aliasing (1/M)^4)'
        MultiDotProductKernel g = { double[] t -> kappa1(t[0]) * kappa1(t[1]) } as MultiDotProductKernel
        def fftG = MultiSphereSpectra.circles(g, 2, 10, 256)
        def quadG = MultiSphereSpectra.withRule(g, 2, 2, 10, rule, 'theta-rule')
        (0..<fftG.values().length).every { int i -> Math.abs(fftG.values()[i] - quadG.values()[i]) < 1e-9 }
    }

    def "a separable kernel has eigenvalues equal to products of one-sphere Funk-Hecke eigenvalues (c = #c)"() {
        given:
        MultiDotProductKernel f = { double[] t -> Math.exp(t[0]) * Math.exp(0.5d * t[1]) * (1 + t[2] * t[2]) } as MultiDotProductKernel
        def a = spectra.sphere({ double t -> Math.exp(t) } as DoubleUnaryOperator, c, 6)
        def b = spectra.sphere({ double t -> Math.exp(0.5d * t) } as DoubleUnaryOperator, c, 6)
        def q = spectra.sphere({ double t -> 1 + t * t } as DoubleUnaryOperator, c, 6)

        when:
        def ms = spectra.multiSphere(f, c, 3, 6, resolution)

        then:
        ms.entries().every { e ->
            int[] k = e.degrees()
            double want = a.eigenvalue(k[0]) * b.eigenvalue(k[1]) * q.eigenvalue(k[2])
            Math.abs(e.value() - want) < 1e-13 * ms.maxAbs()
        }
        and: 'multiplicities are products of N(c, k_j)'
        ms.multiplicity(2, 0, 1) == SpecialFunctions.multiplicity(c, 2) * SpecialFunctions.multiplicity(c, 1)

        where:
        c | resolution
        2 | 32     // cosine transform, 17 angles per axis
        3 | 4      // angular rule, 5 panels: 156 nodes per axis
        5 | 4
    }

    def "a sum of single-position terms gives zero eigenvalue to every product of harmonics on two positions (c = #c)"() {
        given: 'f = kappa1(t1) + exp(t2) + kappa0(t3)^2'
        MultiDotProductKernel f = { double[] t -> kappa1(t[0]) + Math.exp(t[1]) + kappa0(t[2]) * kappa0(t[2]) } as MultiDotProductKernel

        when:
        def ms = spectra.multiSphere(f, c, 3, 5, resolution)
        def zeros = ms.zeroTuples().collect { it.degrees() as List } as Set

        then: 'every tuple with two or more non-zero degrees is reported zero'
        ms.entries().findAll { e -> e.degrees().count { it > 0 } >= 2 }.every { e -> zeros.contains(e.degrees() as List) }
        and: 'single-position tuples (k,0,0) are non-zero exactly where the 1-D spectrum is (kappa1 has zero odd degrees >= 3)'
        !ms.isZero(1, 0, 0) && !ms.isZero(2, 0, 0) && ms.isZero(3, 0, 0) && !ms.isZero(0, 3, 0) && !ms.isZero(0, 0, 1)
        and: 'the value at (0,0,0) is the sum of the three means'
        Math.abs(ms.value(0, 0, 0) - (spectra.sphere(KAPPA1, c, 0).eigenvalue(0) + spectra.sphere({ double t -> Math.exp(t) } as DoubleUnaryOperator, c, 0).eigenvalue(0)
                + spectra.sphere({ double t -> kappa0(t) * kappa0(t) } as DoubleUnaryOperator, c, 0).eigenvalue(0))) < tol

        where:
        c | resolution | tol
        2 | 128        | 1e-4   // kappa0^2 has a kink at theta = 0: aliasing of the mean ~ (4/pi^2) zeta(2)/M^2 = 4e-5
        3 | 4          | 1e-12  // angular rule: arc-cosine terms are smooth in theta
    }

    def "Gram matrix of points on the torus S^1 x S^1 has eigenvalues lambda(k1,k2) with multiplicity N(2,k1) N(2,k2)"() {
        given: 'a PSD multi-dot-product kernel, n = 1200 uniform points on (S^1)^2'
        MultiDotProductKernel f = { double[] t -> kappa1(t[0]) * kappa1(t[1]) + 0.5d * kappa0(t[0]) } as MultiDotProductKernel
        int n = 1200, p = 2
        double[] x1 = spherePoints(n, 2, 21), x2 = spherePoints(n, 2, 22)
        double[] g = torusGram(x1, x2, n)
        def ms = spectra.multiSphere(f, 2, p, 12, 64)
        double[] want = expanded(ms, 13)
        double[] got = spectra.topK(g, n, want.length, false).values()

        expect: 'within 6 CLT standard deviations lambda sqrt(4/n) (products of two harmonics: Var of Y^2 up to 4)'
        (0..<want.length).every { int i -> Math.abs(got[i] - want[i]) <= 6 * want[i] * Math.sqrt(4d / n) }
    }

    def "six positions on circles: a product kernel on a 9^6 half-grid (M = 16) reproduces products of 1-D eigenvalues"() {
        given:
        MultiDotProductKernel f = { double[] t -> double s = 1; for (double v : t) s *= kappa1(v); s } as MultiDotProductKernel
        def one = MultiSphereSpectra.circles({ double[] t -> kappa1(t[0]) } as MultiDotProductKernel, 1, 4, 16)

        when:
        def ms = MultiSphereSpectra.circles(f, 6, 4, 16)

        then: 'separable: the 6-D transform equals the product of 1-D transforms on the same grid'
        ms.values().length == 5 ** 6
        maxProductDeviation(ms, one) < 1e-14 * ms.maxAbs()
    }

    def "c = 3 with a ReLU-type kernel: the angular rule converges fast where Gauss-Gegenbauer is algebraic"() {
        given: 'reference: a much finer angular rule (40 panels of order 30, 20 graded levels)'
        MultiDotProductKernel f = { double[] t -> kappa1(t[0]) * kappa1(t[1]) + kappa0(t[0]) * t[1] } as MultiDotProductKernel
        def ref = MultiSphereSpectra.withRule(f, 3, 2, 8, QuadratureRule.sphereTheta(3, 40, 30, 20), 'reference')

        when:
        def ang = spectra.multiSphere(f, 3, 2, 8, 4)
        def gg32 = MultiSphereSpectra.gegenbauer(f, 3, 2, 8, 32)
        def gg64 = MultiSphereSpectra.gegenbauer(f, 3, 2, 8, 64)

        then: 'angular (6 panels, 168 nodes per axis) within 1e-12'
        maxDifference(ang, ref) < 1e-12
        and: 'Gauss-Gegenbauer error falls like m^-3 (the (1-t)^(3/2) singularity of kappa1 with weight (1-t^2)^0): ratio about 8'
        double e32 = maxDifference(gg32, ref), e64 = maxDifference(gg64, ref)
        e32 > 1e-8 && e32 / e64 > 5 && e32 / e64 < 12
    }

    static double maxDifference(MultiSphereSpectrum a, MultiSphereSpectrum b) {
        double w = 0
        for (int i = 0; i < a.values().length; i++) w = Math.max(w, Math.abs(a.values()[i] - b.values()[i]))
        w
    }

    def "Monte Carlo estimates on (S^2)^2 agree with Gauss-Gegenbauer within their standard errors"() {
        given: 'smooth f on two positions of S^2'
        MultiDotProductKernel f = { double[] t -> Math.exp(t[0] + 0.5d * t[1] + t[0] * t[1]) } as MultiDotProductKernel
        def quad = MultiSphereSpectra.gegenbauer(f, 3, 2, 3, 30)
        int[][] tuples = (0..<16).collect { quad.tuple(it) } as int[][]

        when:
        def mc = MultiSphereSpectra.monteCarlo(f, 3, 2, tuples, 40000, 5)
        double[] z = (0..<16).collect { int i -> (mc.values()[i] - quad.value(tuples[i])) / mc.standardErrors()[i] } as double[]

        then: 'every |z| < 4.5 (16 tuples), and the z-scores look standard: mean square between 0.3 and 2'
        z.every { Math.abs(it) < 4.5d }
        (z.collect { it * it }.sum() as double) / 16 > 0.3d
        (z.collect { it * it }.sum() as double) / 16 < 2d
        and: 'standard errors shrink like 1/sqrt(samples): about sd(f P P) / 200'
        mc.standardErrors().every { it > 0 && it < 0.05d }
    }

    static double maxProductDeviation(MultiSphereSpectrum ms, MultiSphereSpectrum one) {
        double worst = 0
        for (def e : ms.entries()) {
            double want = 1
            for (int k : e.degrees()) want *= one.value(k)
            worst = Math.max(worst, Math.abs(e.value() - want))
        }
        worst
    }

    /** K/n with K = kappa1(<x1,y1>) kappa1(<x2,y2>) + 0.5 kappa0(<x1,y1>) on pairs of circle points. */
    @CompileStatic
    static double[] torusGram(double[] x1, double[] x2, int n) {
        double[] g1 = new double[n * n], g2 = new double[n * n]
        Blas.syrk(false, n, 2, 1.0d, x1, 0.0d, g1)
        Blas.syrk(false, n, 2, 1.0d, x2, 0.0d, g2)
        double[] g = new double[n * n]
        for (int i = 0; i < n * n; i++) {
            g[i] = (kappa1(g1[i]) * kappa1(g2[i]) + 0.5d * kappa0(g1[i])) / n
        }
        g
    }

    /** Eigenvalues of complete clusters, descending, up to at least `count` entries. */
    static double[] expanded(MultiSphereSpectrum ms, int count) {
        def entries = ms.nonZeroDescending()
        List<Double> out = []
        for (def e : entries) {
            if (out.size() >= count) break
            (0..<(int) e.multiplicity()).each { out << e.value() }
        }
        out as double[]
    }
}
