package org.ntkworkbench.spectrum

import spock.lang.Specification

class SpecialFunctionsSpec extends Specification {

    def "multiplicities match the exact binomial formula and known closed forms"() {
        expect: 'N(d,k) = (2k+d−2)/k · C(k+d−3, d−2) in exact integer arithmetic'
        (2..12).every { int d ->
            (0..60).every { int k ->
                BigInteger exact = k == 0 ? 1G :
                        binomial(k + d - 3, d - 2) * (2 * k + d - 2) / k
                SpecialFunctions.multiplicity(d, k) == exact.doubleValue()
            }
        }
        (1..50).every { k -> SpecialFunctions.multiplicity(3, k) == 2 * k + 1 && SpecialFunctions.multiplicity(4, k) == (k + 1) ** 2 }
    }

    def "multiplicities of large degrees and dimensions do not overflow and agree with log-gamma"() {
        expect:
        [[100, 200], [784, 50], [1000, 30], [3, 100000]].every { d, k ->
            double n = SpecialFunctions.multiplicity(d, k)
            double viaLog = Math.exp(SpecialFunctions.logMultiplicity(d, k))
            Double.isFinite(n) && Math.abs(n - viaLog) <= 1e-10 * n
        }
        and: 'a count beyond the double range (about 10^600) is +Inf, its logarithm finite'
        SpecialFunctions.multiplicity(1000, 1000) == Double.POSITIVE_INFINITY
        Math.abs(SpecialFunctions.logMultiplicity(1000, 1000) / Math.log(10) - 600) < 10
    }

    def "log-gamma and the sphere constant against known values"() {
        expect:
        Math.abs(SpecialFunctions.logGamma(0.5d) - 0.5d * Math.log(Math.PI)) < 1e-14
        Math.abs(SpecialFunctions.logGamma(10d) - Math.log(362880d)) < 1e-13
        Math.abs(SpecialFunctions.logGamma(1e-3d) - 6.907178885383854d) < 1e-12   // ln Γ(0.001)
        and: 'c_d = 1/B(1/2, (d−1)/2); d = 4: ∫√(1−t²) = π/2'
        Math.abs(SpecialFunctions.sphereConstant(2) - 1 / Math.PI) < 1e-16
        Math.abs(SpecialFunctions.sphereConstant(3) - 0.5d) < 1e-16
        Math.abs(SpecialFunctions.sphereConstant(4) - 2 / Math.PI) < 1e-16
        and: 'the recurrence and the log-gamma branch agree across the switch'
        [10, 101, 1000, 1999].every { d ->
            double viaLog = Math.exp(SpecialFunctions.logGamma(d / 2d) - SpecialFunctions.logGamma((d - 1) / 2d)) / Math.sqrt(Math.PI)
            Math.abs(SpecialFunctions.sphereConstant(d) - viaLog) < 1e-11 * viaLog
        }
    }

    def "Student t quantiles against table values"() {
        expect:
        Math.abs(SpecialFunctions.studentTQuantile(0.975d, nu) - table) < 1e-8
        where:
        nu   | table
        1    | 12.706204736174698d
        2    | 4.302652729749464d
        10   | 2.228138851986274d
        100  | 1.983971518523547d
        30   | 2.042272456301238d
    }

    def "Legendre polynomials of dimension d: closed forms and orthogonality E[P_j P_k] = δ_jk / N(d,k)"() {
        expect: 'd = 3 Legendre and d = 2 Chebyshev closed forms'
        [-0.9d, -0.3d, 0.2d, 0.77d].every { double t ->
            double[] p3 = SpecialFunctions.gegenbauer(3, 3, t)
            double[] p2 = SpecialFunctions.gegenbauer(2, 9, t)
            Math.abs(p3[2] - (3 * t * t - 1) / 2) < 1e-15 && Math.abs(p3[3] - (5 * t * t * t - 3 * t) / 2) < 1e-15 &&
                    Math.abs(p2[9] - Math.cos(9 * Math.acos(t))) < 1e-13
        }
        and: 'orthogonality under the Gauss–Gegenbauer rule (exact up to degree 2m−1)'
        [2, 3, 5, 10, 51].every { int d ->
            def rule = QuadratureRule.gaussGegenbauer(d, 40)
            int kmax = 30
            double[][] p = rule.nodes().collect { SpecialFunctions.gegenbauer(d, kmax, it) } as double[][]
            (0..kmax).every { int j ->
                (0..kmax).every { int k ->
                    double s = 0
                    for (int i = 0; i < rule.size(); i++) s += rule.weights()[i] * p[i][j] * p[i][k]
                    double want = j == k ? 1 / SpecialFunctions.multiplicity(d, k) : 0
                    Math.abs(s - want) < 1e-13
                }
            }
        }
    }

    def "sphere rules have unit mass and integrate t² to 1/d"() {
        expect: 'E[t²] = 1/d for t = ⟨x, e⟩, x uniform on S^{d−1}'
        [2, 3, 4, 7, 100].every { int d ->
            [QuadratureRule.gaussGegenbauer(d, 12), QuadratureRule.sphereTheta(d, 9, 20, 10)].every { rule ->
                Math.abs(rule.integrate { 1d } - 1) < 1e-14 && Math.abs(rule.integrate { t -> t * t } - 1d / d) < 1e-14
            }
        }
    }

    private static BigInteger binomial(int n, int r) {
        BigInteger b = 1G
        for (int i = 0; i < r; i++) b = b * (n - i) / (i + 1)
        b
    }
}
