package org.ntkworkbench.nn

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.kernel.Gaussianity
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
        double[] ofMean = erf().kernel(mean.withGaussianity(Gaussianity.GAUSSIAN)).nngp().data() // what the rule gave before the refusal
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
        e.message.contains(message)
        e.message.contains('its input is not Gaussian; put a dense or conv layer in between')
        !e.message.contains('\n')

        where: 'with a non-Gaussian branch the concatenation is not Gaussian either (GaussianitySpec)'
        net << [serial(fanOut(2), parallel(dense(3, 1.0, 0.1), dense(2, 2.0, 0.0)), fanInConcat(), relu(), dense(1)),
                serial(serial(fanOut(2), parallel(dense(3, 1.0, 0.1), serial(dense(2), tanh())), fanInConcat()), serial(relu(), dense(1))),
                serial(fanOut(2), parallel(dense(3, 1.0, 0.1), dense(2, 2.0, 0.0)), fanInConcat(), identity(), relu(), dense(1))]
        message << ['relu after fanInConcat of branches with different kernels',
                    'relu after fanInConcat of a non-Gaussian branch (after tanh)',
                    'relu after fanInConcat of branches with different kernels']
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

    def "relu after relu: the composed duals are wrong (relu(relu(z)) = relu(z) has the kernel of one relu), so it is refused"() {
        given:
        Kernel k = dense(4, 1.0, 0.1).kernel(Kernel.fromInputs(inputs(), null))
        double[] once = relu().kernel(k).nngp().data()
        double[] twice = relu().kernel(relu().kernel(k).withGaussianity(Gaussianity.GAUSSIAN)).nngp().data() // the rule before the refusal

        expect: 'the finite network relu(relu(z)) = relu(z) has the one-relu kernel; the composed rule misses it by > 10 %'
        (0..<once.length).collect { Math.abs(twice[it] - once[it]) / Math.abs(once[it]) }.max() > 0.1
    }

    def "an activation after an activation with only pools, flatten, layerNorm, dropout or fixed linear maps between is refused"() {
        when:
        net.kernel(x)

        then:
        IllegalArgumentException e = thrown()
        e.message.contains(message)
        e.message.contains('its input is not Gaussian; put a dense or conv layer in between')
        !e.message.contains('\n')

        where:
        net                                                                  | x         || message
        serial(dense(4), relu(), relu(), dense(1))                           | inputs()  || 'relu after relu has no kernel rule'
        serial(relu(), tanh(), dense(1))                                     | inputs()  || 'relu after the raw inputs has no kernel rule'
        serial(dense(4), erf(), layerNorm(), relu(), dense(1))               | inputs()  || 'layerNorm after erf has no kernel rule'
        serial(dense(4), relu(), dropout(0.5, mode: 'train'), relu(), dense(1)) | inputs() || "relu after dropout(mode: 'train') has no kernel rule"
        serial(conv(3, 2), relu(), avgPool(2), relu(), flatten(), dense(1))  | signals() || 'relu after relu has no kernel rule'
        serial(conv(3, 2), relu(), flatten(), relu(), dense(1))              | signals() || 'relu after flatten has no kernel rule'
        serial(conv(3, 2), relu(), globalAvgPool(), identity(), relu(), dense(1)) | signals() || 'relu after relu has no kernel rule'
    }

    def "activations separated by dense, conv or attention layers, and activations inside parallel branches, are not refused"() {
        expect:
        net.kernel(x).nngp().data().every { Double.isFinite(it) }

        where:
        net                                                                                    | x
        serial(dense(4), relu(), dense(4), relu(), dense(1))                                   | inputs()
        serial(conv(3, 2), relu(), conv(3, 2), relu(), avgPool(2), flatten(), dense(1))        | signals()
        serial(dense(4), relu(), fanOut(2), parallel(serial(dense(3), tanh(), dense(3)), dense(3)), fanInSum(), relu(), dense(1)) | inputs()
    }

    static Tensor signals() {
        def r = new Random(5)
        Tensor.of((0..<3 * 6 * 2).collect { r.nextGaussian() } as double[], 3, 6, 2)
    }
}
