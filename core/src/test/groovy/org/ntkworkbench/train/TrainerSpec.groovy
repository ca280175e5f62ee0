package org.ntkworkbench.train

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.TempDir

class TrainerSpec extends Specification {

    @TempDir
    Path dir

    static TrainingConfig.Builder config(String optimizer, double lr, long steps) {
        TrainingConfig.builder().optimizer(optimizer).learningRate(lr).steps(steps).progress(ProgressMode.NEVER)
    }

    /** Linear least squares y = x W* + noise, n = 40, d = 5, k = 2. */
    static LinearRegressionObjective regression() {
        def x = Tensor.randn(10, 40, 5)
        def wStar = Tensor.randn(11, 5, 2)
        def y = x.matmul(wStar)
        def noise = Tensor.randn(12, 40, 2)
        for (int i = 0; i < y.size(); i++) y.data()[i] += 0.1d * noise.data()[i]
        new LinearRegressionObjective(x, y)
    }

    def "gd on ½·2·(θ−1)² from 0 with η = 0.1 has loss curve 0.64^t, row 0 before the first update"() {
        given: 'θ_t − 1 = −0.8^t so L_t = (0.8^t)² = 0.64^t'
        def q = new Quadratic([2d], [1d])

        when:
        def result = new Trainer(config('gd', 0.1d, 10).build()).train(q, q.start([0d]))

        then:
        result.history()*.step() == (0L..10L).toList()
        (0..10).every { Math.abs(result.losses()[it] - Math.pow(0.64d, it)) < 1e-15 }
        result.history().every { it.learningRate() == 0.1d }
        Math.abs(result.params().theta.item() - (1 - Math.pow(0.8d, 10))) < 1e-15
    }

    def "the linear-regression gradient matches finite differences"() {
        given:
        def obj = regression()
        def p = obj.init(5, 1d, true)
        def g = new LinkedHashMap<String, Tensor>()
        int[] rows = [3, 17, 4, 29, 0]
        obj.lossAndGradient(p, rows, g)
        double h = 1e-6d

        expect:
        ['W', 'b'].every { key ->
            (0..<p[key].size()).every { i ->
                double keep = p[key].data()[i]
                p[key].data()[i] = keep + h
                double up = obj.loss(p, rows)
                p[key].data()[i] = keep - h
                double down = obj.loss(p, rows)
                p[key].data()[i] = keep
                Math.abs((up - down) / (2 * h) - g[key].data()[i]) < 1e-8
            }
        }
    }

    def "gd converges to the least-squares solution of the normal equations"() {
        given:
        def obj = regression()
        def x = Tensor.randn(10, 40, 5)
        def y = x.matmul(Tensor.randn(11, 5, 2))
        def noise = Tensor.randn(12, 40, 2)
        for (int i = 0; i < y.size(); i++) y.data()[i] += 0.1d * noise.data()[i]
        // W* = (XᵀX)⁻¹ Xᵀ Y by Gauss–Jordan on the 5×5 normal equations
        double[][] a = x.transpose().matmul(x).toArray2d()
        double[][] rhs = x.transpose().matmul(y).toArray2d()
        for (int c = 0; c < 5; c++) {
            double piv = a[c][c]
            for (int j = 0; j < 5; j++) a[c][j] /= piv
            for (int j = 0; j < 2; j++) rhs[c][j] /= piv
            for (int r = 0; r < 5; r++) {
                if (r == c) continue
                double f = a[r][c]
                for (int j = 0; j < 5; j++) a[r][j] -= f * a[c][j]
                for (int j = 0; j < 2; j++) rhs[r][j] -= f * rhs[c][j]
            }
        }

        when:
        def result = new Trainer(config('gd', 0.5d, 400).build()).train(obj, obj.init(1, 1d, false))

        then:
        (0..<5).every { i -> (0..<2).every { j -> Math.abs(result.params().W.get(i, j) - rhs[i][j]) < 1e-9 } }
        result.losses()[0] > 10 * result.finalLoss()
    }

    def "sgd with the full batch is gd; gd refuses mini-batches"() {
        given:
        def obj = regression()

        when:
        def viaGd = new Trainer(config('gd', 0.2d, 15).build()).train(obj, obj.init(1, 1d, true))
        def viaSgd = new Trainer(config('sgd', 0.2d, 15).batchSize(0).build()).train(obj, obj.init(1, 1d, true))

        then:
        viaGd.losses() == viaSgd.losses()

        when:
        new Trainer(config('gd', 0.2d, 15).batchSize(8).build()).train(obj, obj.init(1, 1d, true))

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('sgd')
    }

    def "sgd losses are the mini-batch losses of the seeded batches"() {
        given:
        def obj = regression()
        def p0 = obj.init(2, 1d, false)
        def sampler = new BatchSampler(40, 8, 9)

        when:
        def result = new Trainer(config('sgd', 0.05d, 3).batchSize(8).seed(9).build()).train(obj, Optimizer.copyOf(p0))

        then: 'row 0 is the loss of the first batch at the initial parameters'
        result.losses()[0] == obj.loss(p0, sampler.next())
        result.history().size() == 4
        result.finalLoss() == obj.loss(result.params(), Objective.allRows(40))
    }

    def "a resumed #optimizer run reproduces the uninterrupted loss curve bit for bit"() {
        given: 'mini-batches of 7 of 40 examples (epochs of 6 batches), cosine schedule, 20 steps'
        def obj = regression()
        def file = dir.resolve("ckpt-${optimizer}.bin")
        def build = { TrainingConfig.builder().optimizer(optimizer).schedule(LearningRateSchedule.cosine(lr, 20, 0d))
                .steps(20).batchSize(7).seed(3).progress(ProgressMode.NEVER) }
        def full = new Trainer(build().build()).train(obj, obj.init(1, 1d, true))

        when: 'a run checkpointing every 5 steps dies while recording step 12'
        new Trainer(build().checkpoint(file, 5).listener { if (it.step() == 12) throw new IllegalStateException('killed') }
                .build()).train(obj, obj.init(1, 1d, true))

        then:
        thrown(IllegalStateException)

        when:
        def checkpoint = new NpzCheckpointStore().load(file)
        def resumed = new Trainer(build().build()).resume(obj, file)

        then:
        checkpoint.step() == 10
        checkpoint.history().size() == 10
        resumed.losses() == full.losses()
        resumed.history()*.learningRate() == full.history()*.learningRate()
        resumed.params().W.data() == full.params().W.data()
        resumed.params().b.data() == full.params().b.data()

        where:
        optimizer  | lr
        'sgd'      | 0.1d
        'momentum' | 0.05d
        'adam'     | 0.05d
    }

    def "resuming with another seed is refused"() {
        given:
        def obj = regression()
        def file = dir.resolve('c.bin')
        new Trainer(config('sgd', 0.1d, 4).batchSize(8).seed(1).checkpoint(file, 2).build()).train(obj, obj.init(1, 1d, false))

        when:
        new Trainer(config('sgd', 0.1d, 8).batchSize(8).seed(2).build()).resume(obj, new NpzCheckpointStore().load(file))

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('seed=1') && e.message.contains('seed=2')
    }

    def "a non-finite loss stops training with the step and a hint to lower the learning rate"() {
        given: 'L = ½(θ−1)², η = 1e200: θ₁ = 1e200, L₁ = ½·1e400 = +inf'
        def q = new Quadratic([1d], [1d])

        when:
        new Trainer(config('gd', 1e200d, 10).build()).train(q, q.start([0d]))

        then:
        def e = thrown(TrainingDivergedException)
        e.step() == 1
        e.loss() == Double.POSITIVE_INFINITY
        e.message == 'training diverged at step 1: the loss is Infinity; try a smaller learning rate than 1.0E200 (e.g. 5.0E199)'
    }

    def "the loss CSV has header step,loss and round-trips the values"() {
        given:
        def q = new Quadratic([2d], [1d])
        def result = new Trainer(config('gd', 0.1d, 5).build()).train(q, q.start([0d]))
        def file = dir.resolve('out/loss.csv')

        when:
        result.writeLossCsv(file)
        def lines = Files.readAllLines(file)

        then:
        lines[0] == 'step,loss'
        lines.size() == 7
        lines[1] == '0,1.0'
        (1..6).every { Double.parseDouble(lines[it].split(',')[1]) == result.losses()[it - 1] }
        !Files.list(file.parent).anyMatch { it.toString().endsWith('.tmp') }
    }

    def "the checkpoint store round-trips every bit, including NaN payloads, -0 and subnormals"() {
        given:
        def arrays = new LinkedHashMap<String, Tensor>()
        arrays['param/0/W'] = Tensor.of([-0.0d, Double.MIN_VALUE, Double.NaN, 1d / 3] as double[], 2, 2)
        arrays['scalar'] = Tensor.scalar(Long.MAX_VALUE as double)
        arrays['empty'] = Tensor.zeros(0)
        def store = new NpzCheckpointStore()
        def file = dir.resolve('x.npz')

        when:
        store.write(file, arrays)
        def back = store.read(file)

        then:
        back.keySet().toList() == ['param/0/W', 'scalar', 'empty']
        back.every { k, v -> v.shape() == arrays[k].shape()
            && (0..<v.size()).every { Double.doubleToRawLongBits(v.data()[it]) == Double.doubleToRawLongBits(arrays[k].data()[it]) } }
    }

    def "checkpoint counters survive the array encoding, including 64-bit seeds"() {
        given:
        def c = new Checkpoint(12, -5L, 40, 7, 3, 5, 'adam', [w: Tensor.vector(1, 2)] as LinkedHashMap,
                [t: Tensor.scalar(12)] as LinkedHashMap, [new StepRecord(0, 1.5d, 0.1d, 0.01d)])

        when:
        def back = Checkpoint.fromArrays(c.toArrays())

        then:
        back.seed() == -5L
        back.step() == 12 && back.examples() == 40 && back.batchSize() == 7 && back.epoch() == 3 && back.cursor() == 5
        back.optimizer() == 'adam'
        back.params().w.data() == [1d, 2d] as double[]
        back.optimizerState().t.item() == 12d
        back.history() == c.history()
    }

    def "a progress bar appears only on long runs in AUTO mode, ASCII without a terminal"() {
        expect:
        !Trainer.showsProgress(ProgressMode.AUTO, Trainer.PROGRESS_MIN_STEPS - 1)
        Trainer.showsProgress(ProgressMode.AUTO, Trainer.PROGRESS_MIN_STEPS)
        !Trainer.showsProgress(ProgressMode.NEVER, 1_000_000)
        Trainer.showsProgress(ProgressMode.ALWAYS, 1)
        Trainer.progressStyle(null) == me.tongfei.progressbar.ProgressBarStyle.ASCII

        when: 'the property switches AUTO off'
        System.setProperty('ntk.progress', 'false')
        then:
        !Trainer.showsProgress(ProgressMode.AUTO, 1_000_000)
        cleanup:
        System.clearProperty('ntk.progress')
    }

    def "an ALWAYS progress bar renders to standard error and leaves the results unchanged"() {
        given:
        def q = new Quadratic([2d], [1d])
        def captured = new ByteArrayOutputStream()
        def old = System.err
        System.err = new PrintStream(captured, true, 'UTF-8')

        when:
        def withBar = new Trainer(config('gd', 0.1d, 50).progress(ProgressMode.ALWAYS).build()).train(q, q.start([0d]))
        System.err = old
        def without = new Trainer(config('gd', 0.1d, 50).build()).train(q, q.start([0d]))
        def text = captured.toString('UTF-8')

        then:
        text.contains('train')
        text.contains('50/50')
        withBar.losses() == without.losses()

        cleanup:
        System.err = old
    }
}
