package org.ntkworkbench.train

import org.ntkworkbench.data.Samplers
import org.ntkworkbench.model.empirical.EmpiricalNtk
import org.ntkworkbench.model.empirical.NtkMethod
import org.ntkworkbench.model.predict.GradientDescentMse
import org.ntkworkbench.nn.ApplyContext
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.LayerException
import org.ntkworkbench.nn.Layers
import org.ntkworkbench.nn.Linearized
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

import static org.ntkworkbench.nn.Layers.*

/**
 * The linearised network f_lin(x; θ) = f(x; θ₀) + J(x; θ₀)(θ − θ₀), checked three independent ways:
 * its forward pass against central finite differences of the finite network (a second derivation of Jδ),
 * its training under GD-MSE against the closed-form linear dynamics with the empirical NTK at θ₀
 * (exact for a linear model), and, at growing width, against the analytic NTK GD-MSE predictor with an
 * error that falls like width^−½.
 */
class LinearizedSpec extends Specification {

    static LinkedHashMap<String, Tensor> axpy(Map<String, Tensor> p, double a, Map<String, Tensor> v) {
        def out = new LinkedHashMap<String, Tensor>()
        p.each { k, t -> out[k] = t.add(v[k].mul(a)) }
        out
    }

    static Map<String, Tensor> direction(Map<String, Tensor> p, long seed) {
        def out = new LinkedHashMap<String, Tensor>()
        int i = 0
        p.each { k, t -> out[k] = Tensor.randn(seed * 1000 + (i++), t.shape()) }
        out
    }

    static double relErr(Tensor a, Tensor b) { a.sub(b).norm() / b.norm() }

    def "at θ0 the linearised model is the network bit for bit, and f_lin(θ0 + δ) − f(θ0) is Jδ by central differences"() {
        given: 'a smooth conv net on 3 images 5x5x2 and a dense tanh net, both at seed 0'
        def x = Tensor.randn(7, *shape)
        def p0 = net.init(0, *shape[1..-1] as int[])
        def lin = linearize(net, p0)
        def v = direction(p0, 3)

        when: 'δ = 1e-3 v for the linearised model; J v by central differences with h = 1e-4'
        def f0 = net.apply(p0, x)
        def fl = lin.apply(axpy(p0, 1e-3, v), x).sub(f0).mul(1e3)
        double h = 1e-4
        def fd = net.apply(axpy(p0, h, v), x).sub(net.apply(axpy(p0, -h, v), x)).mul(1 / (2 * h))

        then: 'same bits at θ0; Jv agrees to the O(h²) of the differences (≤ 1e-7 relative)'
        Arrays.equals(lin.apply(p0, x).data(), f0.data())
        relErr(fl, fd) < 1e-7

        where:
        net                                                                                 | shape
        serial(dense(16, 1.3d, 0.2d), Layers.tanh(), dense(8), erf(), dense(3))           | [4, 5]
        serial(conv(3, 3, 3), Layers.tanh(), conv(2, 2, 2), erf(), flatten(), dense(2))    | [3, 5, 5, 2]
    }

    def "the loss gradient of the linearised model matches central differences of its loss (mse and xent)"() {
        given:
        def net = serial(dense(12, 1.0d, 0.3d), relu(), dense(3))
        def x = Tensor.randn(1, 6, 4)
        def lin = linearize(net, net.init(0, 4))
        def obj = new NetworkObjective(lin, x, y, loss)
        def theta = axpy(obj.init(5), 0.2, direction(obj.init(5), 9))   // away from θ0
        def v = direction(theta, 4)
        def grads = new LinkedHashMap<String, Tensor>()
        theta.each { k, t -> grads[k] = Tensor.zeros(t.shape()) }
        def rows = Objective.allRows(6)

        when:
        obj.lossAndGradient(theta, rows, grads)
        double directional = theta.keySet().sum { grads[it].dot(v[it]) } as double
        double h = 1e-4
        double fd = (obj.loss(axpy(theta, h, v), rows) - obj.loss(axpy(theta, -h, v), rows)) / (2 * h)

        then: 'mse is quadratic in θ (central differences exact up to rounding); xent to O(h²)'
        Math.abs(directional - fd) <= tol * Math.abs(fd)

        where:
        loss     | y                                     | tol
        Loss.MSE | Tensor.randn(2, 6, 3)                 | 1e-8
        Loss.XENT | Tensor.of([0, 2, 1, 1, 0, 2] as double[], 6) | 1e-7
    }

    def "full-batch GD on the linearised model follows the linear dynamics of the empirical NTK at θ0 exactly"() {
        given: '10 training and 5 test points, a ReLU net of width 64, 40 GD steps at half the largest stable rate'
        def x = Samplers.sphere(15, 3, 2)
        def xTrain = x.rows(0..<10 as int[]), xTest = x.rows(10..<15 as int[])
        def y = Tensor.randn(5, 10, 1)
        def net = serial(dense(64, 1.0d, 0.1d), relu(), dense(1))
        def p0 = net.init(1, 3)
        def lin = linearize(net, p0)
        def ntk = EmpiricalNtk.ntk(net, p0, xTrain, null)
        double lr = 0.5 * GradientDescentMse.maxStableLearningRate(ntk)
        int steps = 40

        when:
        def r = new Trainer(TrainingConfig.builder().optimizer('gd').learningRate(lr).steps(steps)
                .progress(ProgressMode.NEVER).build()).train(new NetworkObjective(lin, xTrain, y, Loss.MSE), lin.init(0, 3))
        def gd = new GradientDescentMse(ntk, y, lr)
        def want = gd.testDiscrete(steps, net.apply(p0, xTrain), net.apply(p0, xTest), EmpiricalNtk.ntk(net, p0, xTest, xTrain))

        then: 'test outputs after 40 steps equal f*_0 + Θ*X V diag((1 − (1 − ηλ/n)^N)/λ) Vᵀ (y − f_0) to 1e-10'
        relErr(lin.apply(r.params(), xTest), want) < 1e-10
        relErr(lin.apply(r.params(), xTrain), gd.trainDiscrete(steps, net.apply(p0, xTrain))) < 1e-10
    }

    def "with a small learning rate the finite network tracks its linearisation to O(lr²)"() {
        given:
        def x = Tensor.randn(3, 8, 3)
        def y = Tensor.randn(4, 8, 1)
        def net = serial(dense(32), Layers.tanh(), dense(32), Layers.tanh(), dense(1))
        def p0 = net.init(2, 3)
        def lin = linearize(net, p0)

        when: '10 GD steps of both from θ0 at lr and lr/2'
        def gap = { double lr ->
            def cfg = TrainingConfig.builder().optimizer('gd').learningRate(lr).steps(10).progress(ProgressMode.NEVER).build()
            def a = new Trainer(cfg).train(new NetworkObjective(net, x, y, Loss.MSE), net.init(2, 3))
            def b = new Trainer(cfg).train(new NetworkObjective(lin, x, y, Loss.MSE), lin.init(0, 3))
            net.apply(a.params(), x).sub(lin.apply(b.params(), x)).norm()
        }
        double g1 = gap(0.04d), g2 = gap(0.02d), g3 = gap(0.01d)

        then: 'halving lr divides the gap by 4 (±15 %): second order'
        g1 > 0
        Math.abs(g1 / g2 / 4 - 1) < 0.15
        Math.abs(g2 / g3 / 4 - 1) < 0.15
    }

    def "at large width the trained linearised net approaches the analytic NTK GD-MSE predictor like width^-1/2"() {
        given: '8 training and 4 test points on S^2; 30 GD steps; predictor from the analytic NTK with the same f0'
        def x = Samplers.sphere(12, 3, 7)
        int[] tr = 0..<8, te = 8..<12
        def y = Tensor.randn(8, 8, 1)
        int steps = 30
        def widths = [256, 1024, 4096, 16384]
        def mk = { int w -> serial(dense(w, 1.0d, 0.1d), relu(), dense(1)) }
        def k = mk(16).kernel(x).ntk()
        def kTrain = k.rows(tr).slice(1, 0, 8)
        def kTestTrain = k.rows(te).slice(1, 0, 8)
        double lr = 0.5 * GradientDescentMse.maxStableLearningRate(kTrain)
        def gd = new GradientDescentMse(kTrain, y, lr)

        when: 'RMS over 6 seeds of |f_lin,t(x*) − predictor(x*)| relative to the predictor'
        def errs = widths.collect { int w ->
            def net = mk(w)
            Math.sqrt((0..<6).collect { int s ->
                def p0 = net.init(s, 3)
                def lin = linearize(net, p0)
                def r = new Trainer(TrainingConfig.builder().optimizer('gd').learningRate(lr).steps(steps)
                        .progress(ProgressMode.NEVER).build()).train(new NetworkObjective(lin, x.rows(tr), y, Loss.MSE), lin.init(0, 3))
                def want = gd.testDiscrete(steps, net.apply(p0, x.rows(tr)), net.apply(p0, x.rows(te)), kTestTrain)
                double e = relErr(lin.apply(r.params(), x.rows(te)), want)
                e * e
            }.sum() / 6)
        }
        double slope = (Math.log(errs[-1]) - Math.log(errs[0])) / (Math.log(widths[-1]) - Math.log(widths[0]))

        then: 'the error falls like width^-1/2 (fitted slope in [-0.75, -0.3]) and is below 3/sqrt(width) at every width'
        println "linearised vs NTK predictor: widths ${widths}, errors ${errs}, slope ${slope}"
        slope > -0.75 && slope < -0.3
        [widths, errs].transpose().every { w, e -> e < 3 / Math.sqrt(w) }
    }

    def "the empirical NTK of a linearised model is the network's at θ0, wherever θ is (reverse and forward mode)"() {
        given:
        def net = serial(dense(10), erf(), dense(2))
        def x = Tensor.randn(6, 5, 3)
        def p0 = net.init(0, 3)
        def lin = linearize(net, p0)
        def theta = axpy(p0, 0.5, direction(p0, 2))

        expect:
        relErr(EmpiricalNtk.ntk(lin, theta, x, null, method, true), EmpiricalNtk.ntk(net, p0, x, null)) < 1e-12

        where:
        method << [NtkMethod.JACOBIAN_CONTRACTION, NtkMethod.NTK_VECTOR_PRODUCTS, NtkMethod.AUTO]
    }

    def "infinite-width kernels of a linearised model are the network's"() {
        given:
        def net = serial(dense(10, 1.5d, 0.1d), relu(), dense(1))
        def x = Tensor.randn(1, 4, 3)

        expect:
        Arrays.equals(linearize(net, net.init(0, 3)).kernel(x).ntk().data(), net.kernel(x).ntk().data())
    }

    def "misuse is refused in one line: wrong parameters, non-data input, degree 2"() {
        given:
        def net = serial(dense(4), relu(), dense(1))
        def p0 = net.init(0, 3)

        when: 'parameters of another model'
        linearize(net, serial(dense(5), relu(), dense(1)).init(0, 3)).init(0, 3)
        then:
        def e1 = thrown(LayerException)
        e1.message.contains("parameter '0/W' has shape [3, 5] but the network needs [3, 4]")

        when: 'a linearised model behind another layer'
        def inner = serial(dense(3), linearize(net, p0))
        inner.apply(inner.init(0, 2), Tensor.randn(0, 2, 2))
        then:
        def e2 = thrown(LayerException)
        e2.message.contains('the input of a linearised model must be data')

        when:
        taylorExpand(net, p0, 2)
        then:
        def e3 = thrown(IllegalArgumentException)
        e3.message.startsWith('taylorExpand: degree 2 is not supported, only degree 1')
    }

    def "nested under a path, the linearised model keeps the network's keys under that path"() {
        given:
        def net = serial(dense(4), relu(), dense(1))
        def model = parallel(linearize(net, net.init(0, 3)), dense(2))

        expect:
        model.init(0, [[3] as int[], [3] as int[]]).keySet() as List == ['0.0/W', '0.2/W', '1/W']
    }
}
