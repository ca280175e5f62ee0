package org.ntkworkbench.spectrum

import static org.ntkworkbench.spectrum.SpectrumFixtures.*

import java.util.function.DoubleUnaryOperator
import spock.lang.Specification

class FunkHeckeSpec extends Specification {

    Spectra spectra = new NativeSpectra()

    def "exp(t): mu_k = Gamma(d/2) 2^(d/2-1) I_(k+d/2-1)(1) in every dimension (I_k(1) on the circle)"() {
        given:
        def s = spectra.sphere({ double t -> Math.exp(t) } as DoubleUnaryOperator, d, 40)

        expect: 'relative 1e-12, or the rounding floor 1e-15 max|mu| for the tiny degrees; the error estimate bounds the error'
        (0..40).every { int k ->
            double want = ClosedForms.expSphere(d, k)
            double err = Math.abs(s.eigenvalue(k) - want)
            err <= 1e-12 * want + 1e-15 * s.maxAbs() && err <= s.errorEstimates()[k]
        }

        where:
        d << [2, 3, 4, 5, 10, 100]
    }

    def "exp(t) in high dimension d = #d: the weight sin^(d-2) is a narrow bump, still relative 1e-10"() {
        given:
        def s = spectra.sphere({ double t -> Math.exp(t) } as DoubleUnaryOperator, d, 12)

        expect: 'for degrees above the rounding floor (mu_k > 1e-7 max)'
        (0..12).findAll { ClosedForms.expSphere(d, it) > 1e-7 * s.maxAbs() }.every { int k ->
            Math.abs(s.eigenvalue(k) - ClosedForms.expSphere(d, k)) <= 1e-10 * ClosedForms.expSphere(d, k)
        }
        and: 'at least mu_0 and mu_1 are above that floor, so the check is not empty'
        ClosedForms.expSphere(d, 1) > 1e-7 * s.maxAbs()

        where:
        d << [784, 3072, 10000]
    }

    def "on S^1 the Funk-Hecke eigenvalues of ReLU kernels equal their Fourier cosine coefficients up to degree 120"() {
        given:
        def k0 = spectra.sphere(KAPPA0, 2, 120)
        def k1 = spectra.sphere(KAPPA1, 2, 120)
        def ntk = spectra.sphere(RELU_NTK, 2, 120)

        expect: 'relative 1e-10 plus the rounding floor 1e-15 max|mu|; mu_120 is about 1e-4 max, so that is 1e-10 relative'
        (0..120).every { int k ->
            close(k0, k, ClosedForms.kappa0Circle(k)) && close(k1, k, ClosedForms.kappa1Circle(k)) && close(ntk, k, ClosedForms.reluNtkCircle(k))
        }
        and: 'multiplicities 1, 2, 2, ...'
        ntk.multiplicities()[0] == 1 && (1..120).every { ntk.multiplicities()[it] == 2 }
    }

    def "on S^2 the ReLU kernels match closed forms derived by integration by parts, up to degree 120"() {
        given:
        def k0 = spectra.sphere(KAPPA0, 3, 120)
        def k1 = spectra.sphere(KAPPA1, 3, 120)
        def ntk = spectra.sphere(RELU_NTK, 3, 120)

        expect: 'relative 1e-10 plus the rounding floor 1e-15 max|mu| (mu_120 is about 1e-6 max)'
        (0..120).every { int k ->
            close(k0, k, ClosedForms.kappa0Sphere2(k)) && close(k1, k, ClosedForms.kappa1Sphere2(k)) && close(ntk, k, ClosedForms.reluNtkSphere2(k))
        }
        and: 'the two internal rules agree to 1e-8 relative where mu_k is not negligible'
        (0..120).every { int k -> ntk.isZero(k) || ntk.errorEstimates()[k] <= 1e-8 * Math.abs(ntk.eigenvalue(k)) }
    }

    def "bias-free two-layer ReLU NTK: odd degrees >= 3 are zero, the others are not (d = #d)"() {
        given:
        def s = spectra.sphere(RELU_NTK, d, 60)

        expect: 'odd k >= 3 count as zero; k = 1 and even k do not (for d = 10 even mu_k ~ k^-10 falls below 1e-13 beyond k ~ 50)'
        (3..60).findAll { it % 2 == 1 }.every { s.isZero(it) && Math.abs(s.eigenvalue(it)) < 1e-15 * s.maxAbs() }
        ([1] + (0..evenUpTo).findAll { it % 2 == 0 }).every { !s.isZero(it) }

        where:
        d  | evenUpTo
        2  | 60
        3  | 60
        5  | 60
        10 | 40
    }

    def "a deep (composed) arc-cosine kernel: endpoint singularities resolved, independent fine rule agrees to 1e-8"() {
        given: 'kappa1(kappa1(t)) + kappa0(kappa1(t)) has fractional powers of (1-t) at t = 1'
        DoubleUnaryOperator deep = { double t -> double u = KAPPA1.applyAsDouble(t); KAPPA1.applyAsDouble(u) + KAPPA0.applyAsDouble(u) } as DoubleUnaryOperator
        int d = 3, kmax = 100
        def s = spectra.sphere(deep, d, kmax)
        double[] reference = FunkHecke.eigenvalues(deep, d, kmax, QuadratureRule.sphereTheta(d, 150, 40, 30))

        expect:
        (0..kmax).every { int k ->
            s.isZero(k) ? Math.abs(reference[k]) < 1e-13 * s.maxAbs() : Math.abs(s.eigenvalue(k) - reference[k]) <= 1e-8 * Math.abs(reference[k])
        }
    }

    def "Gram matrices K/n of uniform points have eigenvalues mu_k repeated N(d,k) times (d = #d, n = #n)"() {
        given:
        double[] x = spherePoints(n, d, 7)
        double[] g = gramOverN(x, n, d, KAPPA1)
        def s = spectra.sphere(KAPPA1, d, 30)
        // complete degree clusters: S^1 degrees 0,1,2,4,6,8,10 (1+2*5... = 11); S^2 degrees 0,1,2,4 (1+3+5+9 = 18)
        int count = d == 2 ? 11 : 18
        double[] want = s.expandedDescending(count)
        double[] got = spectra.topK(g, n, count, false).values()

        expect: 'each eigenvalue within 6 CLT standard deviations mu sqrt(2/n) (Var of Y^2 for a normalised harmonic is about 2)'
        (0..<count).every { int i -> Math.abs(got[i] - want[i]) <= 6 * want[i] * Math.sqrt(2d / n) }
        and: 'sums over complete clusters have no first-order fluctuation (addition theorem: sum_j Y_j(x)^2 = N(d,k)), so 2/n relative'
        Math.abs(got.sum() - want.sum()) <= 2 * want.sum() / n

        where:
        d | n
        2 | 1500
        3 | 1500
    }

    def "decay fit recovers a planted exponent and its confidence interval covers it"() {
        given: 'mu_k = 3 k^{-2.5} exp(0.05 z_k) with Gaussian z_k, even and odd degrees with different laws'
        def rng = org.ntkworkbench.tensor.SeededRandom.derived(3, "decay")
        double[] mu = new double[201]
        for (int k = 1; k <= 200; k++) {
            mu[k] = (k % 2 == 0 ? 3 * Math.pow(k, -2.5d) : 0.5d * Math.pow(k, -4d)) * Math.exp(0.05d * rng.nextGaussian())
        }
        mu[0] = 1
        def s = new SphereSpectrum(2, mu, new double[201], new double[201])

        when:
        def even = spectra.decay(s, 10, 200, DecayFit.Parity.EVEN)
        def odd = spectra.decay(s, 10, 200, DecayFit.Parity.ODD)

        then: 'noise 0.05 over log-range 3: CI half-width about 2 * 0.05 / sqrt(Sxx) = 0.03'
        even.ciLow() < 2.5d && 2.5d < even.ciHigh()
        Math.abs(even.exponent() - 2.5d) < 0.05
        even.ciHigh() - even.ciLow() < 0.08
        odd.ciLow() < 4d && 4d < odd.ciHigh()
        even.degrees().every { it % 2 == 0 } && odd.degrees().every { it % 2 == 1 }
    }

    def "the ReLU NTK on S^2 decays like k^{-d} = k^{-3} over even degrees"() {
        given:
        def s = spectra.sphere(RELU_NTK, 3, 200)
        when:
        def fit = spectra.decay(s, 40, 200, DecayFit.Parity.EVEN)
        then: 'asymptotic law (Bietti & Mairal 2019); the finite range biases by less than 0.05'
        Math.abs(fit.exponent() - 3) < 0.05
        fit.rSquared() > 0.999
    }

    def "rotation invariance: a dot-product kernel passes, a kernel with a preferred axis fails clearly"() {
        given:
        int d = 4
        def dotKernel = { double[] x, double[] y -> RELU_NTK.applyAsDouble(RotationInvariance.dot(x, y)) } as RotationInvariance.SphereKernel
        def skewed = { double[] x, double[] y -> RELU_NTK.applyAsDouble(RotationInvariance.dot(x, y)) + 0.01d * x[0] * y[0] } as RotationInvariance.SphereKernel

        when:
        RotationInvariance.check(dotKernel, RELU_NTK, d, 200, 1, 1e-12)
        def kappa = RotationInvariance.checkAndExtract(dotKernel, d, 200, 2, 1e-12)
        then:
        noExceptionThrown()
        Math.abs(kappa.applyAsDouble(0.3d) - RELU_NTK.applyAsDouble(0.3d)) < 1e-15

        when:
        RotationInvariance.checkAndExtract(skewed, d, 200, 1, 1e-9)
        then:
        def ex = thrown(IllegalArgumentException)
        ex.message.startsWith('kernel is not rotation-invariant on S^3')
    }

    private static boolean close(SphereSpectrum s, int k, double want) {
        Math.abs(s.eigenvalue(k) - want) <= 1e-10 * Math.abs(want) + 1e-15 * s.maxAbs()
    }
}
