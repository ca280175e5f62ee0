package org.ntkworkbench.nn

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.kernel.Kernel
import org.ntkworkbench.kernel.Padding
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/**
 * An activation right after a channel-axis {@code fanInConcat} of branches with different kernels is refused:
 * the concatenated channels are not identically distributed, so the activation's kernel is the channel-weighted
 * mean of the activation applied to each branch's kernel, which the mean kernel (what the concatenation's rule
 * returns) does not determine. A Monte Carlo run of such a net (dense(3) and tanh branches, relu after the concat)
 * missed the old rule by 1.7 (NNGP) and 4.5 (NTK) times its tolerance.
 */
class ConcatActivationSpec extends Specification {

    static Tensor inputs() {
        def r = new Random(7)
        Tensor.of((0..<5 * 4).collect { r.nextGaussian() } as double[], 5, 4)
    }

    def "erf of the channel-weighted mean kernel is not the weighted mean of erf of each branch's kernel"() {
        given: 'two branches with different kernels, concatenated with channel shares 3/5 and 2/5'
        Kernel a = dense(3, 0.5, 0.0).kernel(Kernel.fromInputs(inputs(), null))
        Kernel b = dense(2, 2.0, 1.0).kernel(Kernel.fromInputs(inputs(), null))
        Kernel mean = FanInConcat.rule([a, b])
        double[] ofMean = erf().kernel(mean).nngp().data()
        double[] ra = erf().kernel(a).nngp().data()
        double[] rb = erf().kernel(b).nngp().data()
        double[] truth = (0..<ofMean.length).collect { 0.6 * ra[it] + 0.4 * rb[it] } as double[]

        expect: 'they differ by more than 5 % somewhere, so a rule through the mean kernel would be wrong'
        (0..<ofMean.length).collect { Math.abs(ofMean[it] - truth[it]) / Math.abs(truth[it]) }.max() > 0.05
    }

    def "the activation is refused in one line, also through nested serials and a pool-free linear path"() {
        when:
        net.kernel(inputs())

        then:
        IllegalArgumentException e = thrown()
        e.message.contains("relu right after fanInConcat of branches with different kernels")
        e.message.contains('put a dense or conv layer in between')
        !e.message.contains('\n')

        where:
        net << [serial(fanOut(2), parallel(dense(3, 1.0, 0.1), dense(2, 2.0, 0.0)), fanInConcat(), relu(), dense(1)),
                serial(serial(fanOut(2), parallel(dense(3, 1.0, 0.1), serial(dense(2), tanh())), fanInConcat()), serial(relu(), dense(1))),
                serial(fanOut(2), parallel(dense(3, 1.0, 0.1), dense(2, 2.0, 0.0)), fanInConcat(), identity(), relu(), dense(1))]
    }

    def "a dense layer in between lifts the refusal; equal branches and spatial-axis concatenations are not refused"() {
        when:
        Kernel k = serial(fanOut(2), parallel(dense(3, 1.0, 0.1), dense(2, 2.0, 0.0)), fanInConcat(), dense(4), relu(), dense(1)).kernel(inputs())
        Kernel equal = serial(fanOut(2), parallel(dense(3), dense(2)), fanInConcat(), relu(), dense(1)).kernel(inputs())
        Kernel plain = serial(dense(5), relu(), dense(1)).kernel(inputs())

        then: 'equal branches concatenate to the same kernel as one dense layer of the summed width'
        k.nngp().data().every { Double.isFinite(it) }
        (0..<25).every { Math.abs(equal.nngp().data()[it] - plain.nngp().data()[it]) <= 1e-14 * Math.abs(plain.nngp().data()[it]) }
        (0..<25).every { Math.abs(equal.ntk().data()[it] - plain.ntk().data()[it]) <= 1e-14 * Math.abs(plain.ntk().data()[it]) }

        when: 'a spatial-axis concatenation keeps each position identically distributed'
        def r = new Random(3)
        Tensor signals = Tensor.of((0..<3 * 5 * 2).collect { r.nextGaussian() } as double[], 3, 5, 2)
        Kernel s = serial(fanOut(2), parallel(conv(3, 2), conv(3, [2] as int[], null, Padding.SAME, 1.5, 0.1)), fanInConcat(axis: 1), relu(), flatten(), dense(1)).kernel(signals)

        then:
        s.nngp().data().every { Double.isFinite(it) }
    }
}
