package org.ntkworkbench.plugins.analyses

import java.util.function.DoubleUnaryOperator
import org.ntkworkbench.nn.Layers
import org.ntkworkbench.plugins.pinet.PolynomialNets
import org.ntkworkbench.train.DefaultNetworkTraining
import org.ntkworkbench.train.DefaultTraining
import spock.lang.Shared
import spock.lang.Specification

class ExtrapolationSpec extends Specification {

    @Shared
    def training = new DefaultNetworkTraining(new DefaultTraining())

    static DoubleUnaryOperator cubic = { double x -> x * x * x + x * x - 5 * x + 5 } as DoubleUnaryOperator

    static Extrapolation.Options options(Map o = [:]) {
        new Extrapolation.Options(o.trainLo ?: -2.5d, o.trainHi ?: 2.5d, -5d, 5d, o.n ?: 40, o.nTest ?: 200, 201,
                o.lift ?: Extrapolation.Lift.BIAS, o.steps ?: 300, 0d, 0.5d, 7)
    }

    def "a linear model trained by GD and its NTK regression are the least-squares line, inside and outside"() {
        given: 'f(x) = w . (x, 1) / sqrt(2): its NTK is exact at any width, and GD converges to the least-squares fit'
        def r = Extrapolation.run(training, [lin: Layers.dense(1)], cubic, options(steps: 400))
        def fit = r.fits().lin

        and: 'the least-squares line by the normal equations, written out'
        double[] x = r.xTrain(), y = r.yTrain()
        int n = x.length
        double sx = x.sum(), sy = y.sum(), sxx = (0..<n).sum { x[it] * x[it] }, sxy = (0..<n).sum { x[it] * y[it] }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx), icpt = (sy - slope * sx) / n
        def line = { double t -> slope * t + icpt }

        expect: 'the trained net, the linearised GD and the kernel regression equal the line on the whole grid (relative to max |line|)'
        double scale = r.xGrid().collect { Math.abs(line(it)) }.max()
        def maxErr = { double[] p -> (0..<p.length).collect { i -> Math.abs(p[i] - line(r.xGrid()[i])) }.max() / scale }
        maxErr(fit.gridTrained()) < 1e-9
        maxErr(fit.gridNtkGd()) < 1e-9
        // The t = infinity regression solves with a rank-2 Gram (core's Cholesky adds jitter): the null-space part of
        // (K + eps I)^-1 y is huge and cancels against k*, costing digits (measured 1.5e-3).
        maxErr(fit.gridNtk()) < 1e-2

        and: 'a line has zero curvature far outside; the target has relative curvature 1 by definition'
        r.relativeCurvatureFarOutside(fit.gridTrained()) < 1e-9
        Math.abs(r.relativeCurvatureFarOutside(r.yGrid()) - 1) < 1e-12

        and: 'the outside RMSE is the RMSE of the line against the cubic on the outside test points, by hand'
        def out = (0..<r.xTest().length).findAll { Math.abs(r.xTest()[it]) > 2.5 }
        double hand = Math.sqrt(out.sum { (line(r.xTest()[it]) - r.yTest()[it])**2 } / out.size())
        Math.abs(r.rmse(fit.testTrained(), false) - hand) < 1e-6 * hand
    }

    def "samples lie in their intervals, test points ascending; the sphere lift gives unit rows, the bias lift (x, 1)"() {
        given:
        def o = options()
        def r = Extrapolation.run(training, [lin: Layers.dense(1)], cubic, options(steps: 1))

        expect:
        r.xTrain().every { it >= -2.5 && it <= 2.5 }
        r.xTest().every { it >= -5 && it <= 5 }
        (1..<r.xTest().length).every { r.xTest()[it - 1] <= r.xTest()[it] }
        (r.xTest() as List).count { Math.abs(it) > 2.5 } > 60   // about half of 200
        def s = Extrapolation.Lift.SPHERE.rows([-4.0, 0.0, 3.0] as double[])
        (0..<3).every { i -> Math.abs(s.get(i, 0)**2 + s.get(i, 1)**2 - 1) < 1e-15 }
        def b = Extrapolation.Lift.BIAS.rows([-4.0, 3.0] as double[])
        b.get(0, 0) == -4.0 && b.get(0, 1) == 1.0 && b.get(1, 0) == 3.0
        o.farOutside(4.9) && o.farOutside(-3.75) && !o.farOutside(3.7) && !o.farOutside(0)
    }

    def "cubic target: the CCP (N = 3) extrapolates with curvature, the two-layer ReLU net becomes linear outside (Wu et al. 2022)"() {
        given: 'width 256, 40 training points, 300 GD steps at half the largest stable rate'
        int m = 256
        def r = Extrapolation.run(training, [ccp : PolynomialNets.ccp(3, m, 2),
                                            relu: PolynomialNets.ccp(1, m, 2)], cubic, options())
        def ccp = r.fits().ccp, relu = r.fits().relu

        expect: 'both fit the training interval (inside RMSE < 5% of the target range 2..14.4)'
        r.rmse(ccp.testNtk(), true) < 0.6
        r.rmse(relu.testNtk(), true) < 0.6

        and: 'outside, the CCP (trained and NTK) is closer to the cubic than the ReLU net'
        r.rmse(ccp.testTrained(), false) < r.rmse(relu.testTrained(), false)
        r.rmse(ccp.testNtk(), false) < r.rmse(relu.testNtk(), false)

        and: "far outside the ReLU NTK predictor is nearly linear (curvature < 5% of the cubic's), the CCP's is not (> 30%)"
        r.relativeCurvatureFarOutside(relu.gridNtk()) < 0.05
        r.relativeCurvatureFarOutside(ccp.gridNtk()) > 0.3
    }

    def "bad options are refused with a message naming them"() {
        when:
        new Extrapolation.Options(-1, 1, -0.5, 2, 10, 10, 11, Extrapolation.Lift.BIAS, 1, 0, 0.5, 0)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('inside [testLo, testHi]')
    }
}
