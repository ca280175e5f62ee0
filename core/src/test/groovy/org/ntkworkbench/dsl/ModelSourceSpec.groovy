package org.ntkworkbench.dsl

import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.Layers
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification

/**
 * Models built by DSL words remember their text ({@link ModelSource}), and that text parsed again
 * ({@link ModelExpressions#parse}) gives the same kernel bit for bit: what engines that rebuild models
 * elsewhere rely on. Models without a text form are refused in one line naming the reason.
 */
class ModelSourceSpec extends Specification {
    @Shared Workbench wb = Workbench.start(List.of())

    Object script(String text) {
        new GroovyShell(getClass().classLoader, ScriptRunner.binding(wb, [:]), ScriptRunner.compilerConfiguration()).evaluate(text)
    }

    def "a script's model has a text that rebuilds the same kernel bit for bit"() {
        given: 'decimals, a computed double, negative numbers, strings, lists, nested combinators'
        Layer net = script('''
            double w = Math.sqrt(2)
            serial(dense(24, wStd: w, bStd: 0.1), leakyRelu(-0.25), fanOut(2),
                   parallel(serial(dense(8, parameterization: 'standard'), erf()), identity()), fanInSum(), dense(1, bStd: 1e-3))
        ''') as Layer
        def x = Tensor.randn(3, 7, 5)

        when:
        String text = ModelSource.of(net).get()
        Layer again = ModelExpressions.parse(wb, text)

        then:
        text.startsWith("serial(dense(24, wStd: 1.4142135623730951d, bStd: 0.1), leakyRelu(-0.25), fanOut(2), parallel(serial(dense(8, parameterization: 'standard'), erf()), identity())")
        again.kernel(x, null).ntk().data() == net.kernel(x, null).ntk().data()
        again.kernel(x, null).nngp().data() == net.kernel(x, null).nngp().data()
    }

    def "a closure (elementwise) or a Java-built layer has no text: refused in one line"() {
        when:
        ModelSource.require(script('serial(dense(4), elementwise { x -> x * x }, dense(1))') as Layer, 'spark')

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "engine: 'spark' rebuilds the model from its DSL text, and this model has none (a closure argument "+
                "(e.g. elementwise { x -> ... }) has no text form); build it from DSL words with literal arguments"

        when:
        ModelSource.require(Layers.serial(Layers.dense(3), Layers.relu()), 'spark')

        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('(it was not built by DSL words)')
    }

    def "kernel options: an unknown engine and a master without an engine are one-line errors"() {
        given:
        Layer net = script('serial(dense(4), relu(), dense(1))') as Layer
        def x = Tensor.randn(1, 4, 2)

        when:
        net.kernel(x, null, engine: 'nope')

        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith("engine: 'nope': no such engine on the class path (known: local")

        when:
        net.kernel(x, null, master: 'local[2]')

        then:
        e = thrown(IllegalArgumentException)
        e.message == "kernel: master: needs engine: 'spark' (the local engine runs in this JVM)"

        expect: "engine: 'local' is the default engine"
        net.kernel(x, null, engine: 'local').ntk().data() == net.kernel(x, null).ntk().data()
    }
}
