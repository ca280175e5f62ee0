package org.ntkworkbench.model

import org.ntkworkbench.data.Samplers
import org.ntkworkbench.nn.Dense
import org.ntkworkbench.nn.Layers
import spock.lang.Specification

class ConsistencySpec extends Specification {

    def "atWidth resizes hidden layers and keeps the readout"() {
        given:
        def net = Layers.serial(Layers.dense(7, 1.0, 0.1), Layers.relu(), Layers.parallel(Layers.dense(5)),
                Layers.dense(3, 1.0, 0.0))

        when:
        def wide = Consistency.atWidth(net, 64)
        def dense = []
        def walk
        walk = { l -> if (l instanceof Dense) dense << l; if (l.respondsTo('layers')) l.layers().each(walk); if (l.respondsTo('branches')) l.branches().each(walk) }
        walk(wide)

        then:
        dense*.width() == [64, 64, 3]
        dense[0].bStd() == 0.1d
    }

    def "the empirical kernels of a ReLU MLP approach the analytic ones like width^-1/2"() {
        given:
        def net = Layers.serial(Layers.dense(8, 1.0, 0.2), Layers.relu(), Layers.dense(1))
        def x = Samplers.sphere(6, 3, 2)

        when:
        def report = Consistency.check(net, x, [64, 256, 1024, 4096] as int[], 6)
        println report

        then: 'errors fall with the width at a rate in [-0.8, -0.3] (theory: -1/2 for the Monte Carlo error of the mean)'
        report.rows()*.width() == [64, 256, 1024, 4096]
        report.ntkRate() > -0.8 && report.ntkRate() < -0.3
        report.rows().last().ntkRelativeError() < report.rows().first().ntkRelativeError()
        org.ntkworkbench.dsl.ConsistencyWord.plot(report).series().size() == 2
    }
}
