package org.ntkworkbench.data

import groovy.transform.CompileStatic
import java.util.function.ToDoubleFunction
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

class TargetsSpec extends Specification {

    def "Wu et al.'s target: unit directions, and by Monte Carlo each degree's share is c_k²/N(10, k) (Funk–Hecke)"() {
        given: 'x uniform on S⁹; E[term_i · term_j] = δ_ij c_i² / N(d, k_i) since all degrees differ'
        GegenbauerSum f = GegenbauerSum.wu2022(5)
        int n = 50000
        Tensor x = Samplers.sphere(n, 10, 99)
        double[] y = Targets.evaluate(f, x).data()
        List<double[]> terms = (0..<f.terms()).collect { Targets.evaluate(f.term(it), x).data() }

        expect:
        f.d() == 10
        f.degrees() == [1, 3, 4, 5, 8, 12] as int[]
        f.coefficients() == [0.1d] * 6 as double[]
        f.directions().every { z -> Math.abs(Math.sqrt(z.collect { it * it }.sum() as double) - 1) < 1e-12 }

        and: 'the terms add up to f'
        (0..<n).every { i -> Math.abs(y[i] - terms.sum { it[i] }) < 1e-14 }

        and: 'E[f · term_i] = c²/N(10, k_i) within 5 standard errors'
        (0..<f.terms()).every { i ->
            double expected = 0.01d / Gegenbauer.multiplicity(10, f.degrees()[i])
            double[] mse = meanAndStdError(y, terms[i])
            Math.abs(mse[0] - expected) < 5 * mse[1]
        }

        and: 'so the check has teeth: 5 standard errors are under 5% of the degree-1 share and 15% of the degree-3 share'
        5 * meanAndStdError(y, terms[0])[1] < 0.05 * 0.01 / 10 && 5 * meanAndStdError(y, terms[1])[1] < 0.15 * 0.01 / 210

        and: 'E[f²] = Σ c²/N (Parseval)'
        double[] energy = meanAndStdError(y, y)
        Math.abs(energy[0] - f.degrees().toList().sum { 0.01d / Gegenbauer.multiplicity(10, it) }) < 5 * energy[1]
    }

    def "a single zonal term is 1 at ζ and P_k(0) on the equator"() {
        given:
        double[] zeta = [0, 0, 1] as double[]
        def p2 = Targets.gegenbauer(2, zeta)
        def p4 = Targets.gegenbauer(4, zeta)

        expect: 'Legendre: P_2(0) = −1/2, P_4(0) = 3/8'
        p2.applyAsDouble(zeta) == 1.0d
        Math.abs(p2.applyAsDouble([1, 0, 0] as double[]) + 0.5) < 1e-15
        Math.abs(p4.applyAsDouble([0, 1, 0] as double[]) - 0.375) < 1e-15
        Math.abs(p2.applyAsDouble([0.6, 0, 0.8] as double[]) - (3 * 0.64 - 1) / 2) < 1e-15
    }

    def "random directions follow the seed"() {
        expect:
        GegenbauerSum.random(5, [1, 2] as int[], [1, 1] as double[], 3) == GegenbauerSum.random(5, [1, 2] as int[], [1, 1] as double[], 3)
        GegenbauerSum.random(5, [1, 2] as int[], [1, 1] as double[], 3) != GegenbauerSum.random(5, [1, 2] as int[], [1, 1] as double[], 4)
    }

    def "Fourier modes on the circle: A cos(kθ + φ) at sampled points, and orthogonal on a grid"() {
        given:
        CircleSample s = Samplers.circle(500, [4, 2, 1] as double[], 8)
        def mode = Targets.fourier(3, 1.5, 0.25)
        Tensor grid = Samplers.circleGrid(64)

        expect: 'at θ from the sampler (atan2 may shift θ by 2π, which integer k ignores)'
        (0..<500).every { i ->
            Math.abs(mode.applyAsDouble(s.points().row(i)) - 1.5 * Math.cos(3 * s.angles()[i] + 0.25)) < 1e-12
        }

        and: 'the trapezoid rule on 64 points is exact for (1/2π)∫cos jθ cos kθ dθ = δ_jk/2 (j, k ≥ 1, j + k < 64)'
        (1..10).every { j -> (1..10).every { k ->
            double[] a = Targets.evaluate(Targets.fourier(j), grid).data()
            double[] b = Targets.evaluate(Targets.fourier(k), grid).data()
            Math.abs(dot(a, b) / 64 - (j == k ? 0.5 : 0)) < 1e-13
        } }

        and: 'a series is the sum of its modes'
        def series = Targets.fourierSeries([1, 4] as int[], [2.0, -0.5] as double[], [0.0, 1.0] as double[])
        (0..<64).every { i ->
            double th = 2 * Math.PI * i / 64
            Math.abs(series.applyAsDouble(grid.row(i)) - (2 * Math.cos(th) - 0.5 * Math.cos(4 * th + 1))) < 1e-12
        }
    }

    def "polynomials and cosines of the first coordinate (Wu et al.'s extrapolation targets)"() {
        given:
        Tensor x = Samplers.grid(41, -5, 5)
        double[] cubic = Targets.evaluate(Targets.polynomial(5, -5, 1, 1), x).data()
        double[] cos2 = Targets.evaluate(Targets.cosine(2), x).data()

        expect:
        (0..<41).every { i ->
            double t = x.data()[i]
            Math.abs(cubic[i] - (t**3 + t**2 - 5 * t + 5)) < 1e-12 * (1 + Math.abs(t**3)) &&
                    Math.abs(cos2[i] - Math.cos(2 * t)) < 1e-15
        }
        Targets.polynomial().applyAsDouble([3.0] as double[]) == 0
    }

    def "user closures are targets; evaluation flattens each example and returns (n, 1)"() {
        given:
        Tensor x = Samplers.signals(6, 4, 3, 1)
        ToDoubleFunction<double[]> sumAll = { double[] v -> v.sum() as double }
        Datasets datasets = new DefaultDatasets()

        when:
        Tensor y = datasets.targets(sumAll, x)

        then:
        y.shape() == [6, 1] as int[]
        (0..<6).every { i -> Math.abs(y.data()[i] - (0..<12).sum { x.data()[i * 12 + it] }) < 1e-14 }
    }

    def "bad targets are refused with the offending value"() {
        when:
        new GegenbauerSum(3, [1] as int[], [1] as double[], [[1, 1, 0] as double[]] as double[][])
        then:
        IllegalArgumentException e = thrown()
        e.message.contains('not a unit vector')

        when:
        GegenbauerSum.wu2022(0).applyAsDouble(new double[3])
        then:
        IllegalArgumentException e2 = thrown()
        e2.message.contains('input of length 3') && e2.message.contains('d = 10')

        when:
        Targets.fourier(2).applyAsDouble(new double[3])
        then:
        IllegalArgumentException e3 = thrown()
        e3.message.contains('length 3')
    }

    /** Mean of a·b and its standard error (sample std / √n). */
    @CompileStatic
    static double[] meanAndStdError(double[] a, double[] b) {
        int n = a.length
        double s = 0, s2 = 0
        for (int i = 0; i < n; i++) {
            double v = a[i] * b[i]
            s += v
            s2 += v * v
        }
        double mean = s / n
        double var = (s2 / n - mean * mean) * n / (n - 1)
        return [mean, Math.sqrt(Math.max(var, 0) / n)] as double[]
    }

    @CompileStatic
    static double dot(double[] a, double[] b) {
        double s = 0
        for (int i = 0; i < a.length; i++) s += a[i] * b[i]
        return s
    }
}
