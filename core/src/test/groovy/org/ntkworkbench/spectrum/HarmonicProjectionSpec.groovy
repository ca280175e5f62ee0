package org.ntkworkbench.spectrum

import org.ntkworkbench.data.Gegenbauer
import org.ntkworkbench.data.Samplers
import spock.lang.Specification

/**
 * Monte Carlo harmonic projections against exact degree content: f = c P_k(<x, zeta>) has
 * ||P_k f||^2 = c^2 / N(d,k) and nothing in other degrees. Tolerances are 6 standard deviations of the
 * estimators, derived in the comments (U-statistics: sd ~ sqrt(4 Var(E[h|x])/n + 2 Var(h)/n^2)).
 */
class HarmonicProjectionSpec extends Specification {

    static final int D = 5

    static double[] zonal(double[] x, int n, int d, int k, double[] zeta, double c) {
        (0..<n).collect { i ->
            double t = 0
            for (int j = 0; j < d; j++) t += x[i * d + j] * zeta[j]
            double v = Gegenbauer.value(k, d, t) * c
            return v
        } as double[]
    }

    /** N(D,k) f_i P_k(<zeta, x_i>), the terms averaged by the zonal coefficient. */
    static List<Double> termsOf(double[] x, int n, int k, double[] zeta, double[] f) {
        double[] p = zonal(x, n, D, k, zeta, Gegenbauer.multiplicity(D, k))
        List<Double> out = []
        for (int i = 0; i < n; i++) out << p[i] * f[i]
        return out
    }

    static double sd(List<Double> v) {
        double m = v.sum() / v.size()
        Math.sqrt(v.collect { (it - m) * (it - m) }.sum() / (v.size() - 1))
    }

    def "a zonal harmonic of degree k has all its mass in degree k"() {
        given: 'f = P_3(<x, zeta>) at n = 1500 uniform points on S^4 (N(5,3) = 30)'
        int n = 1500, k = 3
        def pts = Samplers.sphere(n, D, 11)
        double[] zeta = Samplers.sphere(1, D, 12).data()
        double[] f = zonal(pts.data(), n, D, k, zeta, 1.0)
        def proj = new HarmonicProjection(pts, 0, 1, 2, 3, 4, 5)
        double nk = Gegenbauer.multiplicity(D, k)

        expect: 'degree k: ||P_k f||^2 = 1/N; first-order sd 2 sd(N f^2)/sqrt(n)/N, second-order sqrt(2N)/(nN)'
        double tolK = 6 * (2 * sd(f.collect { nk * it * it }) / Math.sqrt(n) + Math.sqrt(2 * nk) / n) / nk
        Math.abs(proj.normSquaredUnbiased(k, f) - 1 / nk) < tolK

        and: 'other degrees j: mean 0, sd about sqrt(2 N_j) / (n N_k) (E[h|x] = f P_j f = 0)'
        [0, 1, 2, 4, 5].every { int j ->
            Math.abs(proj.normSquaredUnbiased(j, f)) < 6 * Math.sqrt(2 * Gegenbauer.multiplicity(D, j)) / (n * nk)
        }

        and: 'the component at the points reproduces f: relative error about sqrt(N/n) (plus the diagonal N/n)'
        double[] comp = proj.component(k, f)
        double err = Math.sqrt((0..<n).sum { (comp[it] - f[it]) ** 2 } / (0..<n).sum { f[it] ** 2 })
        err < 3 * Math.sqrt(nk / n) + nk / n

        and: 'the diagonal-inclusive norm is the unbiased one plus exactly (N/n^2) sum f^2 rescaled by (n-1)/n'
        double v = proj.normSquared(k, f), u = proj.normSquaredUnbiased(k, f)
        double sumSq = 0
        for (double e : f) sumSq += e * e
        Math.abs(v - ((n - 1) / (double) n * u + nk * sumSq / ((double) n * n))) < 1e-10 * Math.abs(v)
    }

    def "two degrees in one function are separated (orthogonality), also by the zonal coefficient"() {
        given: 'f = 0.7 P_1(<x, a>) - 0.4 P_4(<x, b>) at n = 1200 points on S^4 (N = 5 and 55)'
        int n = 1200
        def pts = Samplers.sphere(n, D, 21)
        double[] a = Samplers.sphere(1, D, 22).data(), b = Samplers.sphere(1, D, 23).data()
        double[] f1 = zonal(pts.data(), n, D, 1, a, 0.7), f4 = zonal(pts.data(), n, D, 4, b, -0.4)
        double[] f = (0..<n).collect { f1[it] + f4[it] } as double[]
        def proj = new HarmonicProjection(pts, 1, 2, 3, 4)
        double n1 = Gegenbauer.multiplicity(D, 1), n4 = Gegenbauer.multiplicity(D, 4)
        // Var of ||P_k f||^2 gains cross terms with the other degree, bounded by the same form with f in place of f_k.
        double s1 = sd(f.collect { n1 * it * it }), s4 = sd(f.collect { n4 * it * it })
        def zc = { int k, double[] z -> proj.zonalCoefficient(k, z, f) }
        def zsd = { int k, double[] z -> sd(termsOf(pts.data(), n, k, z, f)) / Math.sqrt(n) }

        expect:
        Math.abs(proj.normSquaredUnbiased(1, f) - 0.49 / n1) < 6 * (2 * s1 / Math.sqrt(n) + Math.sqrt(2 * n1) / n) * 0.49 / n1 * 3
        Math.abs(proj.normSquaredUnbiased(4, f) - 0.16 / n4) < 6 * (2 * s4 / Math.sqrt(n) + Math.sqrt(2 * n4) / n) * 0.16 / n4 * 3
        [2, 3].every { j -> Math.abs(proj.normSquaredUnbiased(j, f)) < 6 * Math.sqrt(2 * Gegenbauer.multiplicity(D, j)) / n * (0.49 / n1 + 0.16 / n4) }

        and: 'zonal coefficients: (N/n) sum f_i P_k(<zeta, x_i>) -> 0.7, -0.4 and 0 off-degree; sd from the sample'
        Math.abs(zc(1, a) - 0.7) < 6 * zsd(1, a)
        Math.abs(zc(4, b) + 0.4) < 6 * zsd(4, b)
        Math.abs(zc(2, a)) < 6 * zsd(2, a)
        Math.abs(zc(3, b)) < 6 * zsd(3, b)
    }

    def "batched norms (one gemm per degree) equal the one-vector gemv path"() {
        given:
        int n = 200
        int m = 3
        def pts = Samplers.sphere(n, D, 31)
        double[] f = Samplers.gaussian(m, n, 32).data()
        def proj = new HarmonicProjection(pts, 0, 2, 7)

        expect:
        [true, false].every { boolean unb ->
            double[][] all = proj.normsSquared(f, m, unb)
            (0..<3).every { q ->
                (0..<m).every { r ->
                    double[] row = Arrays.copyOfRange(f, r * n, (r + 1) * n)
                    double one = unb ? proj.normSquaredUnbiased([0, 2, 7][q], row) : proj.normSquared([0, 2, 7][q], row)
                    Math.abs(all[q][r] - one) < 1e-12 * (Math.abs(one) + 1e-3)
                }
            }
        }
    }

    def "steps to a fraction: exact for exponentials (log-linear interpolation) and for integer bisection"() {
        expect: 'e^{-0.1 t} on a coarse grid crosses 1/2 at ln 2 / 0.1'
        double[] steps = (0..20).collect { it * 3.0 } as double[]
        double[] vals = steps.collect { Math.exp(-0.1 * it) } as double[]
        Math.abs(HarmonicProjection.stepsToFraction(steps, vals, 0.5) - Math.log(2) / 0.1) < 1e-9
        Double.isNaN(HarmonicProjection.stepsToFraction(steps, vals, 1e-9))

        and: '0.99^t <= 1/2 first at t = ceil(ln 0.5 / ln 0.99) = 69, found by a linear scan too'
        long scan = (0..1000).find { Math.pow(0.99, it) <= 0.5 }
        HarmonicProjection.firstStepBelow({ long t -> Math.pow(0.99, t) }, 0.5, 100000) == scan
        scan == Math.ceil(Math.log(0.5) / Math.log(0.99)) as long
        HarmonicProjection.firstStepBelow({ long t -> Math.pow(0.99, t) }, 0.5, 50) == -1
    }

    def "bad input is rejected with the offending shape"() {
        when:
        new HarmonicProjection(org.ntkworkbench.tensor.Tensor.of([3.0, 0.0, 0.0, 1.0] as double[], 2, 2), 1)
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('point 0')
    }
}
