package org.ntkworkbench.dsl

import java.lang.reflect.Method
import java.lang.reflect.Modifier
import org.codehaus.groovy.runtime.InvokerHelper
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.Layers
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/**
 * {@link LayerDispatch} (the layer words' calls in plain Java, session 7) against Groovy's dynamic dispatch, which
 * made every call before: on every argument vector of up to three values drawn from a pool of each type a model
 * expression gives (Integer, Long, BigInteger, BigDecimal with and without a fraction, Double, String, Boolean, null,
 * layers, lists of numbers and of layers, named-argument maps of each word's options and unknown ones, a closure),
 * whenever LayerDispatch decides a call, Groovy's dispatch gives a layer of the same class and description (and the
 * same kernel on a small input) or throws the same exception with the same message; and every form LayerDispatch can
 * call is decided at least once.
 */
class LayerDispatchSpec extends Specification {

    private static String kind(Class<?> t, boolean last, boolean varargs) {
        if (varargs && last) {
            return t == int[] ? 'I' : t == double[] ? 'D' : t == Layer[] ? 'Y' : '?'
        }
        t == int ? 'i' : t == double ? 'd' : t == Map ? 'M' : t == Layer ? 'L' : t == List ? 'l' : t == Object ? 'O' : '?'
    }

    def "FORMS lists every public static factory of Layers with its parameter kinds"() {
        given:
        def fromLayers = Layers.declaredMethods.findAll { Modifier.isPublic(it.modifiers) && Modifier.isStatic(it.modifiers) && !it.synthetic }
                .collect { Method m ->
                    def p = m.parameterTypes
                    m.name + '(' + (0..<p.length).collect { kind(p[it], it == p.length - 1, m.varArgs) }.join('') + ')'
                }.sort()
        def fromForms = LayerDispatch.FORMS.collect { f ->
            f.word() + '(' + f.kinds() + ')'
        }.sort()

        expect:
        // a '?' in FORMS stands for any type outside the kinds; the reflection gives '?' for exactly those
        fromForms == fromLayers
        LayerDispatch.FORMS.every { it.id() < 0 || !it.kinds().contains('?') && it.word() in LayerWords.WORDS*.name() }
        LayerDispatch.FORMS.every { !it.kinds().contains('?') || it.id() < 0 }
        LayerDispatch.FORMS.findAll { it.id() >= 0 }*.id().toSet().size() == LayerDispatch.FORMS.count { it.id() >= 0 }
    }

    /** A value for the pool: built afresh for every call (so that neither dispatch sees the other's objects). */
    private static List<Closure<Object>> pool(String word) {
        List<Closure<Object>> p = [
                { 2 }, { 0 }, { -1 }, { 3L }, { 2G }, { 1.5G }, { 2.0G }, { 0.5d }, { 'same' }, { true }, { null },
                { Layers.relu() }, { Layers.dense(3) }, { [2, 2] }, { [1, 0.5G, 2d] }, { [Layers.relu(), Layers.dense(2)] }, { [] },
                { [:] }, { [bogus: 1] }, { { x -> x } }]
        // the word's own named arguments, with values of the types its usage shows
        def info = LayerWords.WORDS.find { it.name() == word }
        def names = (info.usage() =~ /([a-zA-Z]+):/).collect { it[1] }.unique()
        for (String n : names) {
            p << { [(n): 1] }
            p << { [(n): 0.5G] }
            p << { [(n): [3]] }
            p << { [(n): 'SAME'] }
        }
        if (names.size() > 1) {
            p << { [(names[0]): 1, (names[1]): 2] }
        }
        p
    }

    private static Map outcome(Closure<Object> c) {
        try {
            [ok: true, value: c.call()]
        } catch (Throwable e) {
            [ok: false, error: e]
        }
    }

    private static final Tensor X = Tensor.of([[0.3d, -1.2d, 0.4d], [0.5d, 0.1d, -0.2d]] as double[][])

    private static String differs(Map java, Map groovy) {
        if (java.ok != groovy.ok) {
            return "java ${java.ok ? java.value : java.error} vs groovy ${groovy.ok ? groovy.value : groovy.error}"
        }
        if (!java.ok) {
            return java.error.getClass() == groovy.error.getClass() && java.error.message == groovy.error.message ? null
                    : "java ${java.error} vs groovy ${groovy.error}"
        }
        def a = java.value, b = groovy.value
        // a layer may fail to describe itself (serial([2, 2]) holds numbers): then the same failure
        def ta = outcome { a.toString() }, tb = outcome { b.toString() }
        if (a.getClass() != b.getClass() || ta.ok != tb.ok || ta.ok && ta.value != tb.value || !ta.ok && ta.error.message != tb.error.message) {
            return "java ${a.getClass().simpleName} ${ta} vs groovy ${b.getClass().simpleName} ${tb}"
        }
        def ka = outcome { ((Layer) a).kernel(X) }
        def kb = outcome { ((Layer) b).kernel(X) }
        if (ka.ok != kb.ok || ka.ok && (ka.value.nngp().data() != kb.value.nngp().data() || ka.value.ntk().data() != kb.value.ntk().data())
                || !ka.ok && ka.error.message != kb.error.message) {
            return "kernels differ for ${a}: ${ka} vs ${kb}"
        }
        null
    }

    def "where LayerDispatch decides a call, Groovy's dispatch gives the same layer or the same error"() {
        given:
        List<String> diffs = []
        Set<Integer> decidedForms = []
        int decided = 0, undecided = 0

        when:
        for (String word : LayerWords.WORDS*.name()) {
            def p = pool(word)
            List<List<Closure<Object>>> vectors = [[]]
            p.each { vectors << [it] }
            p.each { a -> p.each { b -> vectors << [a, b] } }
            // three arguments: the number, layer and map values
            def few = p.findAll { c -> def v = c.call(); v instanceof Integer || v instanceof BigDecimal || v instanceof Layer || v instanceof Map }
            few.each { a -> few.each { b -> few.each { c -> vectors << [a, b, c] } } }
            for (List<Closure<Object>> v : vectors) {
                Object[] forJava = v*.call() as Object[]
                def java = outcome { LayerDispatch.call(word, forJava) }
                if (java.ok && java.value.is(LayerDispatch.UNDECIDED)) {
                    undecided++
                    continue
                }
                decided++
                Object[] forGroovy = v*.call() as Object[]
                def groovy = outcome { InvokerHelper.invokeStaticMethod(Layers, word, forGroovy) }
                def d = differs(java, groovy)
                if (d != null && diffs.size() < 20) {
                    diffs << "${word}${forGroovy.toList()}: ${d}".toString()
                }
                Object[] again = v*.call() as Object[]
                LayerDispatch.FORMS.findAll { f -> f.word() == word && f.id() >= 0 && f.fits(again.length) }.each { f ->
                    if (LayerDispatch.accepts(f, again)) {
                        decidedForms << f.id()
                    }
                }
            }
        }

        then:
        diffs == []
        decided > 1500
        undecided > 2000
        // every form LayerDispatch can call was chosen at least once (and agreed with Groovy)
        decidedForms == LayerDispatch.FORMS.findAll { it.id() >= 0 }*.id().toSet()
    }

    def "the plain calls of a model expression are decided in Java: no Groovy runtime class is needed for them"() {
        expect:
        !LayerDispatch.call(word, args as Object[]).is(LayerDispatch.UNDECIDED)

        where:
        word          | args
        'dense'       | [[wStd: 1.4G, bStd: 0.1G], 512]
        'dense'       | [8]
        'dense'       | [8, 1.5G, 0]
        'relu'        | []
        'serial'      | [Layers.relu(), Layers.dense(1)]
        'serial'      | [[Layers.relu(), Layers.dense(1)]]
        'conv'        | [[filter: [3, 3], padding: 'SAME'], 4]
        'avgPool'     | [2, 2]
        'avgPool'     | [[strides: [2]], [2]]
        'polynomial'  | [[1, 0.5G]]
        'polynomial'  | [1, 0.5G, 2d]
        'erf'         | [[a: 2]]
        'leakyRelu'   | [0.1G]
        'fanInConcat' | [[axis: 1]]
    }

    def "closures, Long, null and forms with other parameter types go to Groovy's dispatch"() {
        expect:
        LayerDispatch.call(word, args as Object[]).is(LayerDispatch.UNDECIDED)

        where:
        word          | args
        'elementwise' | [{ x -> x } as Closure]
        'elementwise' | [[name: 'f']]
        'dense'       | [8L]
        'dense'       | [null]
        'dense'       | [8, 1, 0, 'ntk']
        'conv'        | [1, 2, 3, 4, 5, 6]
        'avgPool'     | [[2], [1], 'VALID']
        'fanOut'      | [2.0G]
        'relu'        | [1]
    }
}
