package org.ntkworkbench.nn

import static org.ntkworkbench.nn.Layers.*

import spock.lang.Specification

/** Activation values against closed forms and quadrature; derivatives against central differences. */
class ActivationSpec extends Specification {

    /** erf by composite Simpson quadrature of (2/√π) e^{−t²} on [0, x] with 20000 panels. */
    static double erfByQuadrature(double x) {
        int n = 20000
        double h = x / n, s = 0
        for (int i = 0; i <= n; i++) {
            double w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
            s += w * Math.exp(-(i * h) * (i * h))
        }
        return 2 / Math.sqrt(Math.PI) * s * h / 3
    }

    def "erf matches Simpson quadrature to 1e-13 and is odd"() {
        expect:
        Erf.erf(0.0d) == 0.0d
        [1e-6, 0.3, 1.0, 2.5, 2.999, 3.0, 3.5, 5.0, 7.0].every { double x ->
            Math.abs(Erf.erf(x) - erfByQuadrature(x)) < 1e-13 && Erf.erf(-x) == -Erf.erf(x)
        }
        Math.abs(Erf.erf(1.0) - 0.8427007929497149) < 3e-16 // within 2 ulp of the tabulated value (Abramowitz & Stegun 7.1)
    }

    def "#layer: derivative matches central differences at sample points away from kinks"() {
        expect:
        [-2.3, -1.1, -0.4, 0.35, 0.9, 1.7, 2.6].every { double x ->
            double h = 1e-6
            double fd = (layer.value(x + h) - layer.value(x - h)) / (2 * h)
            Math.abs(layer.derivative(x) - fd) < 1e-8 * Math.max(1, Math.abs(fd))
        }
        where:
        layer << [relu(), leakyRelu(0.1), abs(), erf(), gelu(), sin(), cos(), rbf(0.8), sign(), monomial(3), monomial(0),
                  rectifiedMonomial(3), rectifiedMonomial(1), tanh(), sigmoid(),
                  elementwise({ double t -> Math.atan(t) } as java.util.function.DoubleUnaryOperator)]
    }

    def "values follow their definitions"() {
        expect:
        gelu().value(1.0) == 0.5 * (1 + Erf.erf(1 / Math.sqrt(2)))
        Math.abs(gelu().value(-0.7) - (-0.7) * 0.5 * (1 + Erf.erf(-0.7 / Math.sqrt(2)))) < 1e-16
        rbf(2).value(0.5) == Math.exp(-0.5)
        leakyRelu(0.2).value(-3) == 0.2d * -3d
        monomial(3).value(-2) == -8d
        rectifiedMonomial(2).value(-2) == 0d && rectifiedMonomial(2).value(3) == 9d
        rectifiedMonomial(0).value(0.5) == 1d && rectifiedMonomial(0).value(-0.5) == 0d
        Math.abs(sigmoid().value(-40) - Math.exp(-40) / (1 + Math.exp(-40))) < 1e-30
        sign().value(-0.1) == -1d && sign().value(0) == 0d
    }
}
