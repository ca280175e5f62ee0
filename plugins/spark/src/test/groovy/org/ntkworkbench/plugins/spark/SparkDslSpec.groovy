package org.ntkworkbench.plugins.spark

import org.ntkworkbench.dsl.EngineKernels
import org.ntkworkbench.dsl.ScriptRunner
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification

/**
 * The DSL's {@code engine:} option on local[2]: {@code net.kernel(x1, x2, engine: 'spark')} and
 * {@code predict(net, ..., engine: 'spark')} in a script equal the local engine (kernels ≤ 1e-12
 * relative to the largest entry; predictions to the same bound scaled by the solve's conditioning).
 */
class SparkDslSpec extends Specification {
    @Shared Workbench wb = Workbench.start(List.of())
    @Shared GroovyShell shell

    def setupSpec() {
        shell = new GroovyShell(getClass().classLoader, ScriptRunner.binding(wb, [:]), ScriptRunner.compilerConfiguration())
    }

    def cleanupSpec() {
        EngineKernels.closeShared()
    }

    static double maxRel(Tensor a, Tensor b) {
        assert a.shape() == b.shape()
        double scale = b.maxAbs(), worst = 0
        for (int i = 0; i < a.size(); i++) {
            worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]) / scale)
        }
        worst
    }

    def "net.kernel(x1, x2, engine: 'spark') equals the local kernel, variances included; get: 'nngp' skips the NTK"() {
        given:
        shell.setVariable('x1', Tensor.randn(1, 45, 5))
        shell.setVariable('x2', Tensor.randn(2, 19, 5))

        when:
        def r = shell.evaluate('''
            def net = serial(dense(64, bStd: 0.1), relu(), dense(32, wStd: 1.5), erf(), dense(1))
            [spark: net.kernel(x1, x2, engine: 'spark', master: 'local[2]'), local: net.kernel(x1, x2),
             sparkSym: net.kernel(x1, engine: 'spark', master: 'local[2]'), localSym: net.kernel(x1),
             nngpOnly: net.kernel(x1, x2, get: 'nngp', engine: 'spark', master: 'local[2]')]
        ''')

        then:
        maxRel(r.spark.ntk(), r.local.ntk()) <= 1e-12
        maxRel(r.spark.nngp(), r.local.nngp()) <= 1e-12
        maxRel(r.spark.cov1(), r.local.cov1()) <= 1e-12
        maxRel(r.spark.cov2(), r.local.cov2()) <= 1e-12
        maxRel(r.sparkSym.ntk(), r.localSym.ntk()) <= 1e-12
        maxRel(r.sparkSym.nngp(), r.localSym.nngp()) <= 1e-12
        maxRel(r.sparkSym.cov1(), r.localSym.cov1()) <= 1e-12
        r.sparkSym.x1IsX2()
        and: 'symmetric to the last bit'
        (0..<45).every { i -> (0..<45).every { j -> r.sparkSym.ntk().get(i, j) == r.sparkSym.ntk().get(j, i) } }
        and:
        r.nngpOnly.ntk() == null
        maxRel(r.nngpOnly.nngp(), r.local.nngp()) <= 1e-12
    }

    def "predict(net, ..., engine: 'spark') equals the local predictions"() {
        given:
        shell.setVariable('xTrain', Tensor.randn(3, 40, 4))
        shell.setVariable('yTrain', Tensor.randn(4, 40, 2))
        shell.setVariable('xTest', Tensor.randn(5, 11, 4))

        when:
        def r = shell.evaluate('''
            def net = serial(dense(32, bStd: 0.2), relu(), dense(1))
            def opts = [t: [Double.POSITIVE_INFINITY, 50], diagReg: 1e-3]
            [spark: predict(net, xTrain, yTrain, xTest, *:opts, engine: 'spark', master: 'local[2]'),
             local: predict(net, xTrain, yTrain, xTest, *:opts)]
        ''')

        then:
        r.spark.keySet() == r.local.keySet()
        r.local.keySet().containsAll(['ntk', 'nngp', 'ntk_t50', 'nngp_t50'])
        r.local.keySet().every { maxRel(r.spark[it], r.local[it]) <= 1e-12 }
    }

    def "a model without DSL text (an elementwise closure) is refused in one line"() {
        when:
        shell.setVariable('x', Tensor.randn(6, 5, 2))
        shell.evaluate("serial(dense(4), elementwise { v -> v * v }, dense(1)).kernel(x, engine: 'spark', master: 'local[2]')")

        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith("engine: 'spark' rebuilds the model from its DSL text, and this model has none (a closure argument")
        !e.message.contains('\n')
    }
}
