package org.ntkworkbench.dsl

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.runtime.Workbench
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/** The {@code linearize} / {@code taylorExpand} words inside a script, with {@code train} on them. */
class LinearizeWordSpec extends Specification {

    @Shared
    Workbench wb = Workbench.start([])

    @TempDir
    Path dir

    ByteArrayOutputStream err = new ByteArrayOutputStream()

    ScriptRunner.Outcome run(String text) {
        Path script = dir.resolve('lin.groovy')
        Files.writeString(script, text)
        new ScriptRunner(wb, new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true))
                .run(script, [:], dir.resolve('runs'), false, false)
    }

    def "train accepts a linearised model with xent and adam; it starts at the linearisation point"() {
        when:
        def o = run('''
            def net = serial(dense(32), erf(), dense(3))
            def x = circleGrid(12)
            def y = (0..<12).collect { it.intdiv(4) }
            def p0 = net.init(4, 2)
            def lin = linearize(net, p0)
            def r = train(lin, x, y, loss: 'xent', optimizer: 'adam', lr: 0.1, steps: 40)
            def r1 = train(taylorExpand(net, p0, 1), x, y, loss: 'xent', optimizer: 'adam', lr: 0.1, steps: 40)
            result('start_equals_net', lin.apply(lin.init(0, 2), x).sub(net.apply(p0, x)).norm())
            result('loss_ratio', r.finalLoss() / r.losses()[0])
            result('taylor_same', r1.finalLoss() == r.finalLoss() ? 1 : 0)
        ''')

        then:
        o.exitCode() == 0
        def res = new JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile()).results
        res.start_equals_net == 0
        res.loss_ratio < 0.5
        res.taylor_same == 1
    }

    def "taylorExpand of degree 2 is a one-line error naming the word"() {
        when:
        def o = run('''
            def net = serial(dense(4), relu(), dense(1))
            taylorExpand(net, net.init(0, 2), 2)
        ''')

        then:
        o.exitCode() == 2
        err.toString().readLines().first().contains('taylorExpand: degree 2 is not supported')
    }
}
