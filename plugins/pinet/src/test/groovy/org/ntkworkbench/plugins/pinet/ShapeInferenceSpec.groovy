package org.ntkworkbench.plugins.pinet

import org.ntkworkbench.spi.DslArgs
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.Unroll

/**
 * {@code ccp}/{@code ncp}/{@code hadamardNet} without {@code dim:} take the input dimension from the data
 * ({@link Projection}): the same parameters, outputs, analytic kernels and empirical NTK bit for bit as the
 * nets built with {@code dim:}.
 */
class ShapeInferenceSpec extends Specification {

    @Unroll
    def "#word(degree: 3, width: 6) without dim: is the dim: 5 net bit for bit"() {
        given:
        def words = new PresetWords()
        def inferred = words.call(new DslArgs(word, [degree: 3, width: 6], []))
        def explicit = words.call(new DslArgs(word, [degree: 3, width: 6, dim: 5], []))
        def x = PolynomialNetsSpec.unitRows(2, 4, 5)
        def x2 = PolynomialNetsSpec.unitRows(3, 3, 5)
        def p = inferred.init(7, 5)
        def q = explicit.init(7, 5)

        expect: 'parameters, outputs, analytic kernels (fused and not), empirical NTK'
        p.keySet() == q.keySet()
        p.every { k, v -> v.bitwiseEquals(q[k]) }
        inferred.apply(p, x).bitwiseEquals(explicit.apply(q, x))
        inferred.kernel(x).ntk().bitwiseEquals(explicit.kernel(x).ntk())
        inferred.kernel(x, x2).nngp().bitwiseEquals(explicit.kernel(x, x2).nngp())
        inferred.empiricalNtk(p, x).bitwiseEquals(explicit.empiricalNtk(q, x))

        and: 'on other data dimensions too: d = 3 gives the dim: 3 net'
        def x3 = PolynomialNetsSpec.unitRows(4, 4, 3)
        inferred.kernel(x3).ntk().bitwiseEquals(words.call(new DslArgs(word, [degree: 3, width: 6, dim: 3], [])).kernel(x3).ntk())

        where:
        word << ['ccp', 'ncp', 'hadamardNet']
    }
}
