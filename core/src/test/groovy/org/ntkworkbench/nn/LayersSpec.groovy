package org.ntkworkbench.nn

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.kernel.Padding;
import spock.lang.Specification

/** The static factories read like DESIGN.md's DSL, including Groovy named arguments and defaults. */
class LayersSpec extends Specification {

    def "named arguments reach the layers; defaults are wStd 1, bStd 0, NTK, stride 1, VALID"() {
        when:
        def d = dense(512, bStd: 0.1)
        def s = dense(3, wStd: 2, parameterization: 'standard')
        def c = conv(8, filter: [3, 3], strides: [2, 1], padding: 'circular', wStd: 1.5, bStd: 0.05)
        def c1 = conv(4, filter: [5])
        def p = avgPool(2, strides: 2, padding: 'SAME')
        def q = sumPool([2, 3])
        then:
        d.width() == 512 && d.wStd() == 1.0d && d.bStd() == 0.1d && d.parameterization() == Parameterization.NTK
        s.wStd() == 2.0d && s.bStd() == 0.0d && s.parameterization() == Parameterization.STANDARD
        c.filter() == [3, 3] as int[] && c.strides() == [2, 1] as int[] && c.padding() == Padding.CIRCULAR && c.bStd() == 0.05d
        c1.strides() == [1] as int[] && c1.padding() == Padding.VALID && c1.wStd() == 1.0d
        p.window() == [2] as int[] && p.strides() == [2] as int[] && p.padding() == Padding.SAME
        q.window() == [2, 3] as int[] && q.strides() == [1, 1] as int[]
        fanInConcat(axis: 1).axis() == 1 && fanInConcat().axis() == -1
    }

    def "a mistyped option, a missing filter or a bad padding name is an error naming it"() {
        when:
        dense(8, bstd: 0.1)
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains("'bstd'") && e.message.contains('bStd')

        when:
        conv(8, padding: 'SAME')
        then:
        def e2 = thrown(IllegalArgumentException)
        e2.message.contains('filter')

        when:
        conv(8, filter: [3], padding: 'REFLECT')
        then:
        def e3 = thrown(IllegalArgumentException)
        e3.message.contains("'REFLECT'")
    }

    def "elementwise takes a Groovy closure"() {
        expect:
        elementwise { double x -> x * x }.value(3) == 9d
        Math.abs(elementwise { double x -> x * x }.derivative(3) - 6) < 1e-8
    }
}
