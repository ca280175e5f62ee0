package org.ntkworkbench.bench

import org.ntkworkbench.tensor.Tensor
import org.ntkworkbench.train.Objective
import spock.lang.Specification

/** The nn + autodiff training step against the hand-written closed-form one on the same weights and data. */
class MlpTrainAutodiffBenchmarkSpec extends Specification {

    def "loss and gradients through NetworkObjective equal the closed-form backward pass (rel. 1e-12)"() {
        given: 'd = 5, two hidden layers of 16, batch 12; layer l of the hand-written net is key 2l/W'
        def p = MlpTrainAutodiffBenchmark.Problem.create(5, 16, 2, 12, 3)
        def grads = [:] as Map<String, Tensor>

        when:
        double ours = p.objective.lossAndGradient(p.params, Objective.allRows(12), grads)
        double theirs = p.mlp.lossAndGradient()

        then:
        p.params.keySet().toList() == ['0/W', '2/W', '4/W']
        Math.abs(ours - theirs) <= 1e-12 * theirs
        (0..2).every { int l ->
            double[] g = grads["${2 * l}/W".toString()].data()
            double[] h = p.mlp.grads[l]
            double diff = 0, norm = 0
            for (int i = 0; i < g.length; i++) {
                diff += (g[i] - h[i]) ** 2
                norm += h[i] ** 2
            }
            Math.sqrt(diff) <= 1e-12 * Math.sqrt(norm)
        }
    }

    def "the benchmark trains like the hand-written one and counts the same flops"() {
        when:
        def ours = new MlpTrainAutodiffBenchmark().run([d: 5, width: 16, depth: 2, batch: 12, steps: 20, lr: 0.5])
        def theirs = new MlpTrainBenchmark().run([d: 5, width: 16, depth: 2, batch: 12, steps: 20, lr: 0.5])

        then: 'the same 20 gd steps from the same start: the same losses to rounding'
        ours.values().loss_last < ours.values().loss_first
        Math.abs(ours.values().loss_first - theirs.values().loss_first) <= 1e-12 * theirs.values().loss_first
        Math.abs(ours.values().loss_last - theirs.values().loss_last) <= 1e-10 * theirs.values().loss_last
        Math.abs(ours.values().gflops / ours.values().steps_per_second - 6d * 12 * (5 * 16 + 16 * 16 + 16) * 1e-9) < 1e-15
    }
}
