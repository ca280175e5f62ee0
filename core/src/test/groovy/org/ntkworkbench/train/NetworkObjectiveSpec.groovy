package org.ntkworkbench.train

import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.Layers
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification

class NetworkObjectiveSpec extends Specification {

    @Shared
    Workbench wb = Workbench.start([])

    /** ∂L/∂θ by central differences of objective.loss, entry by entry (h = 1e-5). */
    static Map<String, Tensor> finiteDifferences(Objective obj, Map<String, Tensor> p, int[] rows) {
        double h = 1e-5d
        p.collectEntries { k, v ->
            def g = Tensor.zeros(v.shape())
            for (int i = 0; i < v.size(); i++) {
                double keep = v.data()[i]
                v.data()[i] = keep + h
                double up = obj.loss(p, rows)
                v.data()[i] = keep - h
                double down = obj.loss(p, rows)
                v.data()[i] = keep
                g.data()[i] = (up - down) / (2 * h)
            }
            [k, g]
        } as Map<String, Tensor>
    }

    /** Norm-wise relative error over all keys. */
    static double relError(Map<String, Tensor> a, Map<String, Tensor> b) {
        assert a.keySet() == b.keySet()
        double diff = 0, na = 0, nb = 0
        a.each { k, v ->
            for (int i = 0; i < v.size(); i++) {
                diff += (v.data()[i] - b[k].data()[i]) ** 2
                na += v.data()[i] ** 2
                nb += b[k].data()[i] ** 2
            }
        }
        Math.sqrt(diff) / Math.max(Math.sqrt(na), Math.sqrt(nb))
    }

    def "the mse gradient matches central finite differences on the full batch and on a mini-batch"() {
        given: 'a tanh net with biases, x (7, 3), y (7, 2)'
        def net = Layers.serial(Layers.dense(5, 1.3d, 0.4d), Layers.tanh(), Layers.dense(2, 1d, 0.2d))
        def obj = new NetworkObjective(net, Tensor.randn(1, 7, 3), Tensor.randn(2, 7, 2), Loss.MSE)
        def p = obj.init(3)

        expect: 'relative error below 1e-8 (central differences with h = 1e-5 are accurate to ~1e-10 here)'
        [Objective.allRows(7), [4, 1, 6] as int[]].every { int[] rows ->
            def g = [:] as Map<String, Tensor>
            obj.lossAndGradient(p, rows, g)
            g.keySet() == p.keySet() && relError(g, finiteDifferences(obj, p, rows)) < 1e-8
        }
    }

    def "the xent gradient matches finite differences; index and one-hot targets agree"() {
        given:
        def net = Layers.serial(Layers.dense(6), Layers.erf(), Layers.dense(3))
        def x = Tensor.randn(4, 9, 2)
        double[] labels = (0..<9).collect { (it * 7) % 3 } as double[]
        def oneHot = Tensor.zeros(9, 3)
        labels.eachWithIndex { double c, int i -> oneHot.set(1d, i, (int) c) }
        def byIndex = new NetworkObjective(net, x, Tensor.vector(labels), Loss.XENT)
        def byOneHot = new NetworkObjective(net, x, oneHot, Loss.XENT)
        def p = byIndex.init(8)
        int[] rows = [8, 0, 3, 5]
        def g1 = [:] as Map<String, Tensor>
        def g2 = [:] as Map<String, Tensor>

        when:
        double l1 = byIndex.lossAndGradient(p, rows, g1)
        double l2 = byOneHot.lossAndGradient(p, rows, g2)

        then:
        Math.abs(l1 - l2) < 1e-15
        relError(g1, g2) < 1e-15
        relError(g1, finiteDifferences(byIndex, p, rows)) < 1e-8
    }

    def "the loss of the full batch equals the mse computed by hand from the outputs"() {
        given:
        def net = Layers.serial(Layers.dense(4), Layers.relu(), Layers.dense(1))
        def x = Tensor.randn(5, 6, 3)
        def y = Tensor.randn(6, 6)
        def obj = new NetworkObjective(net, x, y, Loss.MSE) // y (n) with one output
        def p = obj.init(0)
        def f = net.apply(p, x)

        expect: 'L = (1/2n) Σ (f_i − y_i)²'
        double hand = (0..<6).sum { int i -> (f.data()[i] - y.data()[i]) ** 2 } / 12d
        Math.abs(obj.loss(p, Objective.allRows(6)) - hand) < 1e-15
    }

    def "training with the same seed reproduces the loss curve and parameters bit for bit; another seed does not"() {
        given: 'sgd on mini-batches of 3, so the seed drives both the initial draws and the batches'
        def net = Layers.serial(Layers.dense(8), Layers.relu(), Layers.dense(1))
        def x = Tensor.randn(20, 10, 2)
        def y = x.sum([1] as int[], true).map { Math.sin(it) }
        def training = new DefaultTraining()
        def run = { long seed ->
            training.train(net, x, y, Loss.MSE, TrainingConfig.builder().optimizer('sgd').learningRate(0.2d)
                    .steps(12).batchSize(3).seed(seed).progress(ProgressMode.NEVER).build(), null)
        }

        when:
        def a = run(5)
        def b = run(5)
        def c = run(6)

        then:
        a.losses().length == 13
        Arrays.equals(a.losses(), b.losses())
        a.params().every { k, v -> v.bitwiseEquals(b.params()[k]) }
        !Arrays.equals(a.losses(), c.losses())
    }

    def "dropout is active while training: fresh reproducible masks each step, unbiased, and inert at rate 0"() {
        given: 'a net with dropout(0.5) and the same net with dropout(0)'
        def x = Tensor.randn(20, 20, 4)
        def y = x.sum([1] as int[], true).map { Math.sin(it) }
        def withRate = { double r -> Layers.serial(Layers.dense(32), Layers.relu(), Layers.dropout(r), Layers.dense(1)) }
        def half = new NetworkObjective(withRate(0.5d), x, y, Loss.MSE)
        def none = new NetworkObjective(withRate(0d), x, y, Loss.MSE)
        def p = half.init(3)
        int[] rows = Objective.allRows(20)
        def grads = { NetworkObjective o, long step ->
            Map<String, Tensor> g = [:]
            double loss = o.lossAndGradient(p, rows, g, 11L, step)
            [loss, g]
        }

        when: 'training-mode losses over 400 steps, against the evaluation-mode loss'
        double evalLoss = half.loss(p, rows)
        double[] losses = (0..<400).collect { grads(half, it as long)[0] as double } as double[]
        double mean = losses.sum() / losses.length
        double sd = Math.sqrt(losses.collect { (it - mean) ** 2 }.sum() / (losses.length - 1))

        then: 'the same step gives the same bits, another step another mask'
        grads(half, 7)[0] == grads(half, 7)[0]
        grads(half, 7)[0] != grads(half, 8)[0]
        and: 'inverted dropout keeps E[output] before the last dense layer, so E[training loss] = evaluation loss + Var(output)/2 ≥ evaluation loss (4 standard errors)'
        sd > 1e-3 * evalLoss
        mean > evalLoss - 4 * sd / Math.sqrt(losses.length)
        and: 'rate 0 in training mode equals evaluation mode bit for bit (loss and gradient)'
        def (l0, g0) = grads(none, 5)
        Map<String, Tensor> gEval = [:]
        double lEval = none.lossAndGradient(p, rows, gEval)
        l0 == lEval
        g0.every { k, v -> v.bitwiseEquals(gEval[k]) }
    }

    def "init parameters are checked: a missing key, a wrong shape and an unknown key are named"() {
        given:
        def net = Layers.serial(Layers.dense(4, 1d, 0.1d), Layers.relu(), Layers.dense(1))
        def obj = new NetworkObjective(net, Tensor.randn(1, 5, 3), Tensor.randn(2, 5, 1), Loss.MSE)
        def good = obj.init(0)

        expect:
        obj.parameterShapes().keySet().toList() == ['0/W', '0/b', '2/W']
        message(obj, good.findAll { k, v -> k != '0/b' }) == "parameter '0/b' is missing (the model has [0/W, 0/b, 2/W])"
        message(obj, good + ['2/W': Tensor.zeros(3, 1)]) == "parameter '2/W' has shape [3, 1] but the model needs [4, 1]"
        message(obj, good + ['9/W': Tensor.zeros(1)]) == "parameter '9/W' is not a parameter of the model (it has [0/W, 0/b, 2/W])"
    }

    static String message(NetworkObjective obj, Map<String, Tensor> p) {
        try {
            obj.checkParameters(p)
            return null
        } catch (IllegalArgumentException e) {
            return e.message
        }
    }

    def "targets that do not fit the outputs are refused naming both shapes"() {
        given:
        def net = Layers.serial(Layers.dense(4), Layers.relu(), Layers.dense(2))

        when:
        new NetworkObjective(net, Tensor.randn(1, 5, 3), Tensor.randn(2, 5, 3), Loss.MSE)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == 'mse targets [5, 3] do not match the model outputs (5, 2)'
    }

    def "from a given init, one gd step moves the parameters by −η times the objective's gradient"() {
        given:
        def net = Layers.serial(Layers.dense(3), Layers.sin(), Layers.dense(1))
        def x = Tensor.randn(7, 4, 2)
        def y = Tensor.randn(8, 4, 1)
        def obj = new NetworkObjective(net, x, y, Loss.MSE)
        def init = obj.init(1)
        def g = [:] as Map<String, Tensor>
        obj.lossAndGradient(init, Objective.allRows(4), g)

        when:
        def r = new DefaultTraining().train(obj, TrainingConfig.builder().optimizer('gd').learningRate(0.3d).steps(1)
                .progress(ProgressMode.NEVER).build(), init)

        then: 'the caller’s init is not modified and θ₁ = θ₀ − 0.3 g to rounding'
        init.every { k, v -> v.bitwiseEquals(obj.init(1)[k]) }
        r.params().every { k, v -> (0..<v.size()).every { Math.abs(v.data()[it] - (init[k].data()[it] - 0.3d * g[k].data()[it])) < 1e-15 } }
        r.losses()[0] == obj.loss(init, Objective.allRows(4))
        r.losses()[1] == obj.loss(r.params(), Objective.allRows(4))
    }

    def "the train word runs the Training service and writes nothing"() {
        given:
        def net = wb.word('serial', wb.word('dense', 16), wb.word('relu'), wb.word('dense', 1)) as Layer
        def x = Tensor.randn(3, 12, 2)
        def y = x.map { Math.cos(it) }.sum([1] as int[], true)
        def direct = new DefaultTraining().train(net, x, y, Loss.MSE, TrainingConfig.builder().optimizer('momentum')
                .learningRate(0.05d).steps(30).seed(4).progress(ProgressMode.NEVER).build(), null)

        when:
        def r = wb.word('train', [optimizer: 'momentum', lr: 0.05, steps: 30, seed: 4], net, x, y) as TrainingResult
        def fromInit = wb.word('train', [lr: 0.05, steps: 0, init: direct.params()], net, x, y) as TrainingResult

        then:
        Arrays.equals(r.losses(), direct.losses())
        r.finalLoss() < r.losses()[0]
        fromInit.losses() as List == [direct.finalLoss()]
        wb.words().containsKey('train')
        wb.serviceBindings().training instanceof Training
    }

    def "the train word names bad arguments"() {
        when:
        wb.word('train', [lr: 0.1, stepz: 3], Layers.dense(1), Tensor.randn(1, 4, 2), Tensor.randn(2, 4, 1))

        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith("train: unknown named argument 'stepz'")
    }
}
