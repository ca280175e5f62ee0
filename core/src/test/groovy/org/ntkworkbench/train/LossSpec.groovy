package org.ntkworkbench.train

import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

class LossSpec extends Specification {

    /** Central finite difference of loss w.r.t. each output entry. */
    static double[] finiteDifference(Loss loss, Tensor f, Tensor y, double h) {
        double[] fd = new double[f.size()]
        for (int i = 0; i < f.size(); i++) {
            double keep = f.data()[i]
            f.data()[i] = keep + h
            double up = loss.value(f, y)
            f.data()[i] = keep - h
            double down = loss.value(f, y)
            f.data()[i] = keep
            fd[i] = (up - down) / (2 * h)
        }
        fd
    }

    def "mse is half the mean over examples of the squared error norm"() {
        given: 'n = 2 examples with 2 outputs each: errors (1, 2) and (0, -3)'
        def f = Tensor.of([[1d, 2d], [3d, 4d]] as double[][])
        def y = Tensor.of([[0d, 0d], [3d, 7d]] as double[][])

        expect: '(1/(2*2)) * (1 + 4 + 0 + 9) = 3.5'
        Loss.MSE.value(f, y) == 3.5d
        Loss.MSE.gradient(f, y).data() == [0.5d, 1d, 0d, -1.5d] as double[]
    }

    def "mse gradient matches finite differences"() {
        given:
        def f = Tensor.randn(1, 5, 3)
        def y = Tensor.randn(2, 5, 3)

        when:
        double[] g = Loss.MSE.gradient(f, y).data()
        double[] fd = finiteDifference(Loss.MSE, f, y, 1e-5)

        then: 'central differences of a quadratic are exact up to rounding'
        (0..<15).every { Math.abs(g[it] - fd[it]) < 1e-9 }
    }

    def "xent equals -log softmax of the true class, by indices and by one-hot rows"() {
        given: 'logits of 2 examples over 3 classes, labels 2 and 0'
        def f = Tensor.of([[1d, 2d, 3d], [0.5d, -1d, 0d]] as double[][])
        def labels = Tensor.vector(2, 0)
        def oneHot = Tensor.of([[0d, 0d, 1d], [1d, 0d, 0d]] as double[][])
        double l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3
        double l1 = Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(0)) - 0.5
        double expected = (l0 + l1) / 2

        expect:
        Math.abs(Loss.XENT.value(f, labels) - expected) < 1e-15
        Math.abs(Loss.XENT.value(f, oneHot) - expected) < 1e-15
        Math.abs(Loss.XENT.value(f, labels.reshape(2, 1)) - expected) < 1e-15
        Loss.XENT.gradient(f, labels).data() == Loss.XENT.gradient(f, oneHot).data()
    }

    def "xent gradient matches finite differences for soft and hard targets"() {
        given:
        def f = Tensor.randn(3, 4, 5)
        def soft = Tensor.uniform(4, 0, 1, 4, 5)

        expect:
        [Tensor.vector(0, 4, 2, 1), soft].every { y ->
            double[] g = Loss.XENT.gradient(f, y).data()
            double[] fd = finiteDifference(Loss.XENT, f, y, 1e-5)
            (0..<20).every { Math.abs(g[it] - fd[it]) < 1e-9 }
        }
    }

    def "xent is stable for huge logits"() {
        given: 'logits (1000, 1001): loss of class 0 is log(1 + e)'
        def f = Tensor.of([[1000d, 1001d]] as double[][])

        expect:
        Math.abs(Loss.XENT.value(f, Tensor.vector(0)) - Math.log1p(Math.E)) < 1e-12
        Math.abs(Loss.XENT.gradient(f, Tensor.vector(0)).data()[0] - (1 / (1 + Math.E) - 1)) < 1e-15
    }

    def "bad targets are rejected with the offending shape or value"() {
        when:
        Loss.XENT.value(Tensor.zeros(2, 3), Tensor.vector(0, 3))
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('row 1') && e.message.contains('3.0')

        when:
        Loss.MSE.value(Tensor.zeros(2, 3), Tensor.zeros(3, 2))
        then:
        def e2 = thrown(IllegalArgumentException)
        e2.message.contains('[2, 3]') && e2.message.contains('[3, 2]')

        expect:
        Loss.byName('XENT') == Loss.XENT
    }
}
