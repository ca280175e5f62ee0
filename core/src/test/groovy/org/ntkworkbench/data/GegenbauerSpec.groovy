package org.ntkworkbench.data

import groovy.transform.CompileStatic
import spock.lang.Specification
import spock.lang.Unroll

class GegenbauerSpec extends Specification {

    static final double[] THETAS = (0..40).collect { it * Math.PI / 40 + 0.013 } as double[]

    def "d = 2: P_k(cos θ) = cos kθ (Chebyshev)"() {
        expect:
        (0..25).every { k -> THETAS.every { th -> Math.abs(Gegenbauer.value(k, 2, Math.cos(th)) - Math.cos(k * th)) < 1e-12 } }
    }

    def "d = 3: P_k is the Legendre polynomial Σ_j C(k,j)² ((t−1)/2)^{k−j} ((t+1)/2)^j"() {
        expect:
        (0..20).every { k ->
            THETAS.every { th ->
                double t = Math.cos(th)
                Math.abs(Gegenbauer.value(k, 3, t) - legendreSum(k, t)) < 1e-11
            }
        }
    }

    def "d = 3: low degrees match the textbook Legendre polynomials"() {
        expect:
        [-0.9, -0.3, 0.0, 0.45, 0.99].every { double t ->
            Math.abs(Gegenbauer.value(2, 3, t) - (3 * t * t - 1) / 2) < 1e-15 &&
                    Math.abs(Gegenbauer.value(3, 3, t) - (5 * t**3 - 3 * t) / 2) < 1e-15 &&
                    Math.abs(Gegenbauer.value(4, 3, t) - (35 * t**4 - 30 * t * t + 3) / 8) < 1e-14
        }
    }

    def "d = 4: P_k(cos θ) = sin((k+1)θ) / ((k+1) sin θ) (normalised Chebyshev U)"() {
        expect:
        (0..25).every { k -> THETAS.every { th ->
            Math.abs(Gegenbauer.value(k, 4, Math.cos(th)) - Math.sin((k + 1) * th) / ((k + 1) * Math.sin(th))) < 1e-11 } }
    }

    @Unroll
    def "d = #d: P_k = C_k^λ / C_k^λ(1) from the explicit Gegenbauer sum (λ = (d − 2)/2)"() {
        expect: 'C_k^λ(t) = Σ_j (−1)^j (λ)_{k−j} / (j! (k−2j)!) (2t)^{k−2j},  C_k^λ(1) = (2λ)_k / k!'
        double lambda = (d - 2) / 2.0d
        (0..12).every { k ->
            [-0.95, -0.5, 0.1, 0.7, 1.0].every { double t ->
                Math.abs(Gegenbauer.value(k, d, t) - gegenbauerSum(k, lambda, t) / (pochhammer(2 * lambda, k) / factorial(k))) < 1e-11
            }
        }

        where:
        d << [5, 6, 10]
    }

    def "values() agrees with value() and P(1) = 1, |P| <= 1 on [-1, 1]"() {
        expect:
        [2, 3, 5, 10, 50].every { d ->
            (-20..20).every { i ->
                double t = i / 20.0d
                double[] all = Gegenbauer.values(15, d, t)
                (0..15).every { k -> all[k] == Gegenbauer.value(k, d, t) && Math.abs(all[k]) <= 1 + 1e-12 } &&
                        Math.abs(Gegenbauer.values(15, d, 1.0d).sum() - 16) < 1e-12
            }
        }
    }

    @Unroll
    def "d = #d: orthogonality under the sphere measure, E[P_j P_k] = δ_jk / N(d, k), by quadrature"() {
        given: 't = cos θ, weight sin^{d−2} θ on [0, π], normalised; 80-point Gauss–Legendre is exact to rounding for these degrees'
        def gl = new GaussLegendre(80)
        double norm = gl.integrate(0, Math.PI) { double th -> Math.pow(Math.sin(th), d - 2) }

        expect:
        (0..10).every { j ->
            (0..10).every { k ->
                double e = gl.integrate(0, Math.PI) { double th ->
                    return Gegenbauer.value(j, d, Math.cos(th)) * Gegenbauer.value(k, d, Math.cos(th)) * Math.pow(Math.sin(th), d - 2)
                } / norm
                double expected = j == k ? 1.0d / Gegenbauer.multiplicity(d, k) : 0
                Math.abs(e - expected) < 1e-12
            }
        }

        where:
        d << [2, 3, 4, 7, 10]
    }

    def "N(d, k) matches C(k+d−1, d−1) − C(k+d−3, d−1) and the known cases"() {
        expect:
        (2..12).every { d -> (0..15).every { k ->
            Gegenbauer.multiplicity(d, k) == binomial(k + d - 1, d - 1) - (k >= 2 ? binomial(k + d - 3, d - 1) : 0) } }
        (1..10).every { k -> Gegenbauer.multiplicity(2, k) == 2 && Gegenbauer.multiplicity(3, k) == 2 * k + 1 &&
                Gegenbauer.multiplicity(4, k) == (k + 1)**2 }
        Gegenbauer.multiplicity(2, 0) == 1
    }

    def "bad arguments are refused with the offending value"() {
        when:
        Gegenbauer.value(2, 1, 0.5)
        then:
        IllegalArgumentException e = thrown()
        e.message.contains('d = 1')

        when:
        Gegenbauer.value(-1, 3, 0.5)
        then:
        IllegalArgumentException e2 = thrown()
        e2.message.contains('k = -1')
    }

    /** Legendre P_k(t) = Σ_j C(k,j)² ((t−1)/2)^{k−j} ((t+1)/2)^j. */
    @CompileStatic
    static double legendreSum(int k, double t) {
        double s = 0
        for (int j = 0; j <= k; j++) {
            double b = binomial(k, j)
            s += b * b * Math.pow((t - 1) / 2, k - j) * Math.pow((t + 1) / 2, j)
        }
        return s
    }

    /** Gegenbauer C_k^λ(t) = Σ_j (−1)^j (λ)_{k−j} / (j! (k−2j)!) (2t)^{k−2j}. */
    @CompileStatic
    static double gegenbauerSum(int k, double lambda, double t) {
        double c = 0
        for (int j = 0; j <= k.intdiv(2); j++) {
            c += (j % 2 == 0 ? 1 : -1) * pochhammer(lambda, k - j) / (factorial(j) * factorial(k - 2 * j)) * Math.pow(2 * t, k - 2 * j)
        }
        return c
    }

    @CompileStatic
    static long binomial(int n, int r) {
        if (r < 0 || r > n) return 0
        long b = 1
        for (int i = 1; i <= r; i++) b = (b * (n - r + i)).intdiv(i)
        return b
    }

    @CompileStatic
    static double pochhammer(double a, int n) {
        double p = 1
        for (int i = 0; i < n; i++) p *= a + i
        return p
    }

    @CompileStatic
    static double factorial(int n) {
        double f = 1
        for (int i = 2; i <= n; i++) f *= i
        return f
    }
}
