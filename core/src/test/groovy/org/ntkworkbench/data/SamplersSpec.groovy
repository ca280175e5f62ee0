package org.ntkworkbench.data

import com.google.inject.Guice
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.Unroll

/**
 * Sampler checks against exact moments. Tolerances are 5 standard errors of the estimate (computed from
 * the exact variance and the sample size), so a correct sampler fails with probability < 1e-5 per
 * check; the seeds are fixed, so the outcome is reproducible.
 */
class SamplersSpec extends Specification {

    Datasets datasets = Guice.createInjector().getInstance(Datasets)

    @Unroll
    def "sphere S^#{d - 1}: unit rows, mean 0 and E[x xᵀ] = I/d within 5 standard errors (n = #n)"() {
        when:
        Tensor x = datasets.sphere(n, d, 42)
        double[] a = x.data()
        double[] mean = Stats.means(a, n, d)
        double[] second = Stats.secondMoments(a, n, d)
        // exact: Var(x_i) = 1/d; Var(x_i²) = E x_i⁴ − 1/d² = 3/(d(d+2)) − 1/d²; Var(x_i x_j) = 1/(d(d+2))
        double seMean = Math.sqrt(1.0d / d / n)
        double seDiag = Math.sqrt((3.0d / (d * (d + 2)) - 1.0d / (d * d)) / n)
        double seOff = Math.sqrt(1.0d / (d * (d + 2)) / n)

        then:
        x.shape() == [n, d] as int[]
        Stats.maxUnitNormError(a, n, d) < 1e-12
        mean.every { Math.abs(it) < 5 * seMean }
        (0..<d).every { p -> (0..<d).every { q ->
            Math.abs(second[p * d + q] - (p == q ? 1.0d / d : 0)) < 5 * (p == q ? seDiag : seOff) } }

        where:
        d  | n
        2  | 20000
        3  | 20000
        10 | 20000
    }

    def "on S² the height z is uniform on [−1, 1] (Archimedes), by a Kolmogorov–Smirnov test"() {
        given:
        int n = 20000
        double[] x = Samplers.sphere(n, 3, 7).data()
        double[] z = (0..<n).collect { x[3 * it + 2] } as double[]

        expect: 'KS statistic below the 0.1% critical value'
        Stats.ksStatistic(z) { double t -> (t + 1) / 2 } < Stats.ksCritical(n)
    }

    def "the same seed gives the same bits; another seed gives other points"() {
        expect:
        Samplers.sphere(100, 5, 3).data() == Samplers.sphere(100, 5, 3).data()
        Samplers.sphere(100, 5, 3).data() != Samplers.sphere(100, 5, 4).data()
        Samplers.signals(4, 3, 2, 9).data() == Samplers.signals(4, 3, 2, 9).data()
        Samplers.circle(50, [4, 2, 1] as double[], 1).angles() == Samplers.circle(50, [4, 2, 1] as double[], 1).angles()
    }

    def "Gaussian: mean 0, covariance I and fourth moment 3 within 5 standard errors"() {
        given:
        int n = 40000
        int d = 4
        double[] a = datasets.gaussian(n, d, 11).data()
        double[] mean = Stats.means(a, n, d)
        double[] second = Stats.secondMoments(a, n, d)
        double fourth = Arrays.stream(a).map { double v -> v * v * v * v }.sum() / (n * d)

        expect: 'Var(x²) = 2, Var(x_i x_j) = 1, Var(x⁴) = 105 − 9 = 96'
        mean.every { Math.abs(it) < 5 / Math.sqrt(n) }
        (0..<d).every { p -> (0..<d).every { q ->
            Math.abs(second[p * d + q] - (p == q ? 1 : 0)) < 5 * Math.sqrt((p == q ? 2 : 1) / (double) n) } }
        Math.abs(fourth - 3) < 5 * Math.sqrt(96.0d / (n * d))
    }

    def "Gaussian with mean and std is the affine image of the standard draws"() {
        expect:
        Samplers.gaussian(10, 3, 2.0, 0.5, 5).data() == Samplers.gaussian(10, 3, 5).data().collect { 2.0d + 0.5d * it } as double[]
    }

    def "uniform interval: mean, variance and a KS test against U[lo, hi)"() {
        given:
        int n = 20000
        double lo = -2.5, hi = 2.5
        double[] x = datasets.uniform(n, lo, hi, 13).data()
        double mean = x.sum() / n
        double var = x.collect { (it - mean)**2 }.sum() / n

        expect: 'mean (lo+hi)/2, variance (hi−lo)²/12 = 25/12 (Var of (x−μ)² for U is (hi−lo)⁴/80 − (hi−lo)⁴/144 = (hi−lo)⁴/180)'
        x.every { it >= lo && it < hi }
        Math.abs(mean) < 5 * Math.sqrt(25 / 12.0d / n)
        Math.abs(var - 25 / 12.0d) < 5 * Math.sqrt(625 / 180.0d / n)
        Stats.ksStatistic(x) { double t -> (t - lo) / (hi - lo) } < Stats.ksCritical(n)
    }

    def "grid: n evenly spaced points including both ends"() {
        when:
        Tensor g = datasets.grid(7, -3.0, 3.0)

        then:
        g.shape() == [7, 1] as int[]
        g.data() == [-3, -2, -1, 0, 1, 2, 3] as double[]
        Samplers.grid(1, 2.0, 5.0).data() == [2.0d] as double[]
        Samplers.grid(101, 0, Math.PI).data().withIndex().every { double v, int i -> Math.abs(v - i * Math.PI / 100) < 1e-15 }
        Samplers.grid(101, 0, Math.PI).data()[100] == Math.PI
    }

    def "circle grid: angles 2πi/n on the unit circle"() {
        expect:
        Samplers.circleGrid(8).toArray2d().withIndex().every { double[] p, int i ->
            Math.abs(p[0] - Math.cos(i * Math.PI / 4)) < 1e-15 && Math.abs(p[1] - Math.sin(i * Math.PI / 4)) < 1e-15 }
    }

    def "circle density 4:2:1: piece fractions within 5 binomial standard errors, uniform within each arc"() {
        given:
        int n = 30000
        double[] w = [4, 2, 1] as double[]
        CircleSample s = datasets.circle(n, w, 21)
        CircleDensity density = new CircleDensity(w)

        expect: 'fraction in piece j ≈ w_j/7 with standard error √(p(1−p)/n)'
        (0..<3).every { j ->
            double p = w[j] / 7
            double fraction = s.pieces().toList().count { it == j } / (double) n
            Math.abs(fraction - p) < 5 * Math.sqrt(p * (1 - p) / n)
        }

        and: 'points are (cos θ, sin θ), θ in its piece, and the relative position in the arc is U[0, 1)'
        s.points().shape() == [n, 2] as int[]
        (0..<n).every { i ->
            double th = s.angles()[i]
            th >= 0 && th < 2 * Math.PI && density.pieceOf(th) == s.pieces()[i] &&
                    s.points().get(i, 0) == Math.cos(th) && s.points().get(i, 1) == Math.sin(th)
        }
        (0..<3).every { j ->
            double[] rel = (0..<n).findAll { s.pieces()[it] == j }.collect { (s.angles()[it] - density.arcStart(j)) / density.arcLength() } as double[]
            Stats.ksStatistic(rel) { double t -> t } < Stats.ksCritical(rel.length)
        }

        and: 'the density integrates to 1 and is 4/7 · 3/(2π) on the first arc'
        Math.abs((0..<3000).sum { density.density((it + 0.5) * 2 * Math.PI / 3000) * 2 * Math.PI / 3000 } - 1) < 1e-12
        Math.abs(density.density(0.5) - 4 / 7.0d * 3 / (2 * Math.PI)) < 1e-15
    }

    def "a zero-weight piece gets no points"() {
        when:
        CircleSample s = Samplers.circle(5000, [0, 1, 0, 3] as double[], 2)

        then:
        !s.pieces().any { it == 0 || it == 2 }
        Math.abs(s.pieces().toList().count { it == 1 } / 5000.0d - 0.25) < 5 * Math.sqrt(0.25 * 0.75 / 5000)
    }

    def "signals (n, p, c): every position on S^{c−1}, E[x xᵀ] = I/c per position, positions uncorrelated"() {
        given:
        int n = 20000
        int p = 4
        int c = 3
        Tensor x = datasets.signals(n, p, c, 17)
        double[] a = x.data()

        expect:
        x.shape() == [n, p, c] as int[]
        Stats.maxUnitNormError(a, n * p, c) < 1e-12

        and: 'per position: diagonal 1/c with Var(x_i²) = 3/(c(c+2)) − 1/c²'
        (0..<p).every { pos ->
            double[] m2 = Stats.secondMoments(Stats.position(a, n, p, c, pos), n, c)
            (0..<c).every { q -> Math.abs(m2[q * c + q] - 1.0d / c) < 5 * Math.sqrt((3.0d / (c * (c + 2)) - 1.0d / (c * c)) / n) }
        }

        and: 'E[x_{0,0} x_{1,0}] = 0 across positions, Var = 1/c²'
        Math.abs(Stats.crossMoment(a, n, p, c, 0, 1, 0)) < 5 * Math.sqrt(1.0d / (c * c) / n)
    }

    def "bad arguments are refused with the offending value"() {
        when:
        Samplers.sphere(-1, 3, 0)
        then:
        IllegalArgumentException e = thrown()
        e.message.contains('n = -1')

        when:
        Samplers.uniform(10, 1.0, 1.0, 0)
        then:
        IllegalArgumentException e2 = thrown()
        e2.message.contains('[1.0, 1.0)')

        when:
        new CircleDensity([1, -1] as double[])
        then:
        IllegalArgumentException e3 = thrown()
        e3.message.contains('[1.0, -1.0]')
    }
}
