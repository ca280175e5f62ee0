package org.ntkworkbench.runtime

import com.google.inject.Key
import com.google.inject.spi.LinkedKeyBinding
import org.ntkworkbench.dsl.LayerWords
import org.ntkworkbench.dsl.ModelExpressions
import org.ntkworkbench.dsl.ModelSource
import org.ntkworkbench.dsl.WordBinding
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.spectrum.Spectra
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification

/**
 * The core-only workbench ({@link Workbench#startCore}, session 7: no plugin modules, no injector) against the full
 * one ({@link Workbench#start}): the same core words and their documentation, services of the same classes, the same
 * plugin names and versions, and for every model text that calls core words only ({@link ModelExpressions.Source#callsOnly})
 * the same model (description, DSL text, kernel bits) or the same one-line error.
 */
class CoreWorkbenchSpec extends Specification {
    @Shared
    Workbench full = Workbench.start([])
    @Shared
    Workbench core = Workbench.startCore([], true, { throw new AssertionError("no plugin fails: ${it}") })

    def "the core workbench has the core words that need no injection, documented as in the full one; the full one binds every core word"() {
        expect:
        core != null
        core.coreOnly() && !full.coreOnly()
        core.words().keySet() == Workbench.coreWordNames()
        Workbench.coreWordNames().containsAll(LayerWords.WORDS*.name())
        core.wordInfo() == full.wordInfo().subMap(core.words().keySet())
        full.words().keySet().containsAll(WordBinding.core()*.info()*.name())
        WordBinding.core()*.info()*.name().toSet().size() == WordBinding.core().size()
        WordBinding.core().every { (it.instance() == null) != (it.type() == null) }
    }

    def "services: the classes the injector binds, constructed afresh per request; Spectra one instance"() {
        expect:
        CoreModule.PLAIN_SERVICES.every { type, impl ->
            def b = full.injector().getBinding(Key.get(type))
            b instanceof LinkedKeyBinding && b.linkedKey.typeLiteral.rawType == impl && core.service(type).getClass() == impl &&
                    full.service(type).getClass() == impl && !core.service(type).is(core.service(type))
        }
        core.service(Spectra).getClass() == full.service(Spectra).getClass()
        core.service(Spectra).is(core.service(Spectra))
        full.service(Spectra).is(full.service(Spectra))
        core.serviceBindings().keySet() == full.serviceBindings().keySet()
    }

    def "plugins: the same names and versions as the full start; plugin directories give no core workbench"() {
        expect:
        core.pluginVersions() == full.pluginVersions()
        core.plugins()*.description() == full.plugins()*.description()
        core.failures().isEmpty()
        // named at first use when no thread was started
        Workbench.startCore([], false, null).pluginVersions() == full.pluginVersions()
        Workbench.startCore([java.nio.file.Path.of('/nonexistent-plugins')], true, null) == null
    }

    private static Map outcome(Closure<Object> c) {
        try {
            [ok: true, value: c.call()]
        } catch (RuntimeException e) {
            [ok: false, error: e.getClass().name + ': ' + e.message]
        }
    }

    private static final Tensor X = Tensor.of([[0.3d, -1.2d, 0.4d], [0.5d, 0.1d, -0.2d]] as double[][])

    def "every model text of core calls evaluates in the core workbench to the same model or the same error"() {
        given:
        List<String> texts = [
                'serial(dense(512, wStd: 1.4, bStd: 0.1), relu(), dense(512, wStd: 1.4, bStd: 0.1), relu(), dense(1, wStd: 1.4, bStd: 0.1))',
                'serial(dense(8), erf(), dense(1))', 'serial(dense(8, 1.5, 0.1), abRelu(0.5, 1), dense(1))',
                'serial(fanOut(2), parallel(dense(4), serial(dense(4), relu())), fanInSum(), dense(1))',
                'serial([dense(3), relu(), dense(1)])', 'serial(dense(4, parameterization: "standard"), gelu(approximate: true), dense(1))',
                'serial(dense(2 * 4, wStd: Math.sqrt(2)), relu(), dense(1))', 'serial(dense(4), polynomial([1, 0.5, 0.25]), dense(1))',
                'serial(dense(4), polynomial(1, 0.5), dense(1))', 'serial(dense(4), leakyRelu(0.1), dropout(0.5), dense(1))',
                'serial(dense(4), repeat(serial(dense(4), tanh()), 2), dense(1))', 'serial(dense(4), hermite(2), dense(1))',
                'serial(dense(3), layerNorm(), dense(1))', 'serial(dense(4), sin(a: 2), cos(), exp(b: 0.5), dense(1))',
                // errors from core words: Groovy's dispatch ("no form takes"), factory options, evaluation
                "dense('a')", 'dense(512, bogus: 1)', 'serial(dense(2), 3)', 'relu(1)', 'conv(8)', '1 + 2', 'dense(1) + 1',
                'dense(2L)', 'dense(null)', 'serial()', 'dense(1.5)', 'fanOut(-1)', 'leakyRelu()', 'avgPool(2, strides: "x")',
                'degreeResiduals(1)', 'serial(dense(1), relu()) ? 1 : 2', '1 / 0',
                // not core calls only (or not parsed): the full workbench evaluates them (callsOnly is false)
                'dense(1', 'def w = 4; serial(dense(w), relu())', 'serial(dense(4), elementwise { x -> x * x })', 'save("a")', 'nosuchword(1)']
        int coreOnly = 0
        List<String> diffs = []

        when:
        for (String t : texts) {
            def src = ModelExpressions.read(t)
            if (!src.callsOnly(Workbench.coreWordNames())) {
                continue
            }
            coreOnly++
            def a = outcome { ModelExpressions.read(t).layer(core) }
            def b = outcome { ModelExpressions.read(t).layer(full) }
            if (a.ok != b.ok || !a.ok && a.error != b.error) {
                diffs << "${t}: ${a} vs ${b}".toString()
            } else if (a.ok) {
                Layer la = a.value, lb = b.value
                def ka = outcome { la.kernel(X) }, kb = outcome { lb.kernel(X) }
                if (la.toString() != lb.toString() || ModelSource.of(la) != ModelSource.of(lb) || !ModelSource.of(la).isPresent()
                        || ka.ok != kb.ok || ka.ok && (ka.value.ntk().data() != kb.value.ntk().data() || ka.value.nngp().data() != kb.value.nngp().data())) {
                    diffs << "${t}: ${la} vs ${lb}".toString()
                }
            }
        }

        then:
        diffs == []
        coreOnly == texts.size() - 5
    }
}
