package org.ntkworkbench.bench

import spock.lang.Specification

class MlpTrainBenchmarkSpec extends Specification {

    def "the hand-written MLP gradient matches central finite differences"() {
        given: 'd = 5, two hidden layers of 16, batch 12'
        def mlp = MlpTrainBenchmark.Mlp.create(5, 16, 2, 12, 3)
        mlp.lossAndGradient()
        double[][] g = mlp.grads.collect { it.clone() } as double[][]
        double h = 1e-5d
        def rnd = new Random(1)

        expect: 'relative error below 1e-6 at 30 random entries (ReLU kinks are measure-zero)'
        (0..<30).every {
            int l = rnd.nextInt(3)
            int i = rnd.nextInt(mlp.weights[l].length)
            double keep = mlp.weights[l][i]
            mlp.weights[l][i] = keep + h
            double up = mlp.lossAndGradient()
            mlp.weights[l][i] = keep - h
            double down = mlp.lossAndGradient()
            mlp.weights[l][i] = keep
            double fd = (up - down) / (2 * h)
            Math.abs(fd - g[l][i]) / Math.max(Math.max(Math.abs(fd), Math.abs(g[l][i])), 1e-6d) < 1e-6
        }
    }

    def "the benchmark trains (loss falls) and counts 6·batch·Σ fanIn·fanOut flops per step"() {
        when:
        def m = new MlpTrainBenchmark().run([d: 5, width: 16, depth: 2, batch: 12, steps: 20, lr: 0.5])

        then:
        m.values().loss_last < m.values().loss_first
        Math.abs(m.values().gflops / m.values().steps_per_second - 6d * 12 * (5 * 16 + 16 * 16 + 16) * 1e-9) < 1e-15
    }

    def "results with gflops get their percentage of the dgemm median"() {
        given:
        def dgemm = new BenchmarkResult('dgemm', '', [:], 'ok', 0, 3, [gflops: Statistic.of(40d, 50d, 60d)], [:], [])
        def mlp = new BenchmarkResult('mlp', '', [:], 'ok', 0, 2, [gflops: Statistic.of(10d, 20d)], [:], [])
        def other = new BenchmarkResult('other', '', [:], 'ok', 0, 1, [seconds: Statistic.of(1d)], [:], [])

        when:
        def out = BenchmarkRunner.relativeToDgemm([dgemm, mlp, other])

        then:
        out[1].numbers().percent_of_dgemm.samples() == [20d, 40d] as double[]
        out[1].median('percent_of_dgemm') == 30d
        !out[2].numbers().containsKey('percent_of_dgemm')
        !out[0].numbers().containsKey('percent_of_dgemm')
    }
}
