package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.nn.FanInConcat
import org.ntkworkbench.nn.FanInProd
import org.ntkworkbench.nn.FanInSum
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.Serial
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * The {@link Gaussianity} component of {@link Kernel} (neural-tangents' {@code is_gaussian}, plus a zero-mean
 * flag): each refusal is of a rule that is wrong, shown by a Monte Carlo run of the finite network (the answer the
 * rule gave before the refusal, computed here with the flag forced, misses the seed-averaged finite networks), and
 * the orders still allowed, including ones neural-tangents refuses but whose rule is exact, pass the same Monte
 * Carlo check. Tolerance as {@link LayerKernelMonteCarloSpec}: 16 seeds, |MC − analytic| ≤ 5 SE + 8/width·max|K|.
 */
class GaussianitySpec extends Specification {
    static final int W = 512, C = 256, M = 64, SEEDS = 16

    @Shared Tensor x = Tensor.randn(1, 9, 6)
    /** Inputs whose channel mean is far from zero (layerNorm subtracts it; its rule assumes it vanishes). */
    @Shared Tensor offset = Tensor.randn(2, 9, 6).add(1.5)
    @Shared Tensor signals = Tensor.randn(3, 7, 5, 2)
    /** Signals whose positions have very different scales (0.1 … 3), so the positions' variances differ. */
    @Shared Tensor scaled = scaledSignals()

    static Tensor scaledSignals() {
        Tensor s = Tensor.randn(4, 7, 4, 2)
        double[] f = [0.1, 1.0, 3.0, 0.3]
        double[] d = s.data()
        for (int i = 0; i < d.length; i++) d[i] *= f[(i.intdiv(2)) % 4]
        s
    }

    static final Gaussianity G = Gaussianity.GAUSSIAN

    /** A serial model's rule with every layer's input forced Gaussian: what the kernel was before the refusals. */
    static Kernel forced(List<Layer> layers, Kernel k) {
        for (Layer l : layers) {
            k = l.kernels([k.withGaussianity(G)])[0]
        }
        k
    }

    static double[] ratios(Layer net, Tensor input, Kernel k, double width) {
        MonteCarloKernels.worstRatios(net, input, k, width, SEEDS)
    }

    /** The refused models: [net, inputs, the rule's old answer, width for the bias term, expected message]. */
    Map<String, List> refused() {
        def circ = Padding.CIRCULAR
        def reluBranches = parallel(serial(dense(W, 1.4, 0.3), relu()), serial(dense(W, 1.0, 0.5), relu()))
        def convReluBranches = parallel(serial(conv(C, [3] as int[], null, circ, 1.3, 0.2), relu()),
                serial(conv(C, [3] as int[], null, circ, 1.0, 0.5), relu()))
        [
            'relu on the raw inputs': [serial(relu(), dense(M, 1.1, 0.2)), x,
                                       forced([relu(), dense(M, 1.1, 0.2)], Kernel.fromInputs(x, null)), W,
                                       'relu after the raw inputs has no kernel rule'],
            'erf on the raw inputs' : [serial(erf(), dense(M, 1.1, 0.2)), x,
                                       forced([erf(), dense(M, 1.1, 0.2)], Kernel.fromInputs(x, null)), W,
                                       'erf after the raw inputs has no kernel rule'],
            'layerNorm after relu'  : [serial(dense(W, 1.4, 0.3), relu(), layerNorm(), dense(M)), x,
                                       forced([dense(W, 1.4, 0.3), relu(), layerNorm(), dense(M)], Kernel.fromInputs(x, null)), W,
                                       'layerNorm after relu has no kernel rule'],
            'layerNorm on raw inputs with a channel mean': [serial(layerNorm(), dense(M)), offset,
                                       forced([layerNorm(), dense(M)], Kernel.fromInputs(offset, null)), W,
                                       'layerNorm after the raw inputs has no kernel rule'],
            'erf after conv and flatten (positions differ)': [
                    serial(conv(C, [1] as int[], null, Padding.VALID, 1.0, 0.0), flatten(), erf(), dense(M)), scaled,
                    forced([conv(C, [1] as int[], null, Padding.VALID, 1.0, 0.0), flatten(), erf(), dense(M)], Kernel.fromInputs(scaled, null)),
                    C, 'erf after flatten has no kernel rule'],
            'dropout(train) then relu': [new LayerOptionsSpec.TrainingMode(serial(dense(W, 1.4, 0.3), dropout(mode: 'train', 0.5), relu(), dense(M)), 7), x,
                                       forced([dense(W, 1.4, 0.3), dropout(mode: 'train', 0.5), relu(), dense(M)], Kernel.fromInputs(x, null)), W,
                                       "relu after dropout(mode: 'train') has no kernel rule"],
            'fanInSum of two relu branches': [serial(fanOut(2), reluBranches, fanInSum(), dense(M)), x,
                                       dense(M).kernel(FanInSum.rule(reluBranches.kernels([Kernel.fromInputs(x, null)] * 2).collect { it.withGaussianity(G) })), W,
                                       'fanInSum of 2 branches whose means need not vanish (after relu, relu) has no kernel rule'],
            'fanInProd of the raw inputs with themselves': [serial(fanOut(2), parallel(identity(), identity()), fanInProd(), dense(M)), x,
                                       dense(M).kernel(FanInProd.rule([Kernel.fromInputs(x, null).withGaussianity(G)] * 2)), W,
                                       'fanInProd of the raw inputs with themselves has no kernel rule'],
            'fanInConcat(axis: 1) of two relu branches, GAP': [serial(fanOut(2), convReluBranches, fanInConcat(axis: 1), globalAvgPool(), dense(M)), signals,
                                       dense(M).kernel(globalAvgPool().kernel(fanInConcat(axis: 1).kernels(
                                               convReluBranches.kernels([Kernel.fromInputs(signals, null)] * 2).collect { it.withGaussianity(G) })[0])), C,
                                       'fanInConcat(axis: 1) of 2 branches whose means need not vanish'],
        ]
    }

    @Unroll
    def "refused: #name — in one line, and the rule's old answer misses the finite networks"() {
        given:
        def (net, input, old, width, message) = refused()[name]

        when:
        (net as Layer).kernel(input as Tensor)

        then:
        IllegalArgumentException e = thrown()
        e.message.contains(message as String)
        !e.message.contains('\n')

        when: 'the answer the rule gave before (flags forced Gaussian) against seed-averaged finite networks'
        double[] r = ratios(net as Layer, input as Tensor, old as Kernel, width as double)
        println "MC refused $name: old answer's worst |emp - analytic| / tol: nngp ${r[0]}, ntk ${r[1]}"

        then: 'it misses by more than the tolerance'
        Math.max(r[0], r[1]) > 1.5

        where:
        name << ['relu on the raw inputs', 'erf on the raw inputs', 'layerNorm after relu', 'layerNorm on raw inputs with a channel mean',
                 'erf after conv and flatten (positions differ)', 'dropout(train) then relu', 'fanInSum of two relu branches',
                 'fanInProd of the raw inputs with themselves', 'fanInConcat(axis: 1) of two relu branches, GAP']
    }

    /** Orders still allowed (several of them refused by neural-tangents although their rule is exact). */
    Map<String, List> allowed() {
        def circ = Padding.CIRCULAR
        [
            'fanInSum of two erf branches (odd: mean zero)': [serial(fanOut(2), parallel(serial(dense(W, 1.4, 0.3), erf()),
                    serial(dense(W, 1.0, 0.5), tanh())), fanInSum(), dense(M)), x, W],
            'fanInSum of the raw inputs and a dense branch': [serial(fanOut(2), parallel(identity(), dense(6, 1.2, 0.3)), fanInSum(), dense(M)), offset, W],
            'fanInProd of the raw inputs and a dense branch': [serial(fanOut(2), parallel(identity(), dense(6, 1.2, 0.3)), fanInProd(), dense(M)), offset, W],
            'linear activation abRelu(1.5, 1.5) on the raw inputs': [serial(abRelu(1.5, 1.5), dense(M, 1.1, 0.2)), offset, W],
            'erf after conv and globalAvgPool (a Gaussian mean stays Gaussian)': [serial(conv(C, [3] as int[], null, circ, 1.3, 0.2),
                    globalAvgPool(), erf(), dense(M)), signals, C],
            'fanInConcat(axis: 1) of a relu branch and a Gaussian one, conv after': [serial(fanOut(2), parallel(
                    serial(conv(C, [3] as int[], null, circ, 1.3, 0.2), relu()), conv(C, [2] as int[], null, Padding.VALID, 1.0, 0.1)),
                    fanInConcat(axis: 1), conv(C, [3] as int[], null, Padding.SAME, 1.0, 0.1), relu(), globalAvgPool(), dense(M)), signals, C],
        ]
    }

    @Unroll
    def "allowed: #name — within 5 SE + 8/width of the finite networks"() {
        given:
        def (net, input, width) = allowed()[name]
        Kernel k = (net as Layer).kernel(input as Tensor)

        when:
        double[] r = ratios(net as Layer, input as Tensor, k, width as double)
        println "MC allowed $name: worst |emp - analytic| / tol: nngp ${r[0]}, ntk ${r[1]}"

        then:
        r[0] <= 1
        r[1] <= 1

        where:
        name << ['fanInSum of two erf branches (odd: mean zero)', 'fanInSum of the raw inputs and a dense branch',
                 'fanInProd of the raw inputs and a dense branch', 'linear activation abRelu(1.5, 1.5) on the raw inputs',
                 'erf after conv and globalAvgPool (a Gaussian mean stays Gaussian)',
                 'fanInConcat(axis: 1) of a relu branch and a Gaussian one, conv after']
    }

    def "the linear activation's rule is exact on the raw inputs: a²·(x·x′/d), written out"() {
        given:
        Kernel k = abRelu(1.5, 1.5).kernel(Kernel.fromInputs(offset, null))
        Kernel k0 = Kernel.fromInputs(offset, null)

        expect:
        (0..<9).every { int i -> (0..<9).every { int j -> Math.abs(k.nngp().get(i, j) - 2.25 * k0.nngp().get(i, j)) <= 1e-12 * k0.nngp().maxAbs() } }
        !k.gaussian()
        k.gaussianity() == Gaussianity.INPUTS
    }

    def "each layer's effect on the flag: dense/conv/attention make it Gaussian, activations clear it, pools keep it, fan-ins combine it"() {
        given:
        Kernel in = Kernel.fromInputs(signals, null)
        Kernel g = conv(4, 3).kernel(in)

        expect:
        in.gaussianity() == Gaussianity.INPUTS
        g.gaussian()
        dense(3).kernel(Kernel.fromInputs(x, null)).gaussian()
        relu().kernel(g).gaussianity() == new Gaussianity('relu', false)
        erf().kernel(g).gaussianity() == new Gaussianity('erf', true)
        avgPool([2] as int[]).kernel(g).gaussian()
        globalAvgPool().kernel(relu().kernel(g)).gaussianity().why() == 'relu'
        flatten().kernel(g).gaussianity() == new Gaussianity('flatten', true)
        identity().kernel(in).gaussianity() == Gaussianity.INPUTS
        FanInSum.rule([g, g]).gaussian()
        FanInSum.rule([g, relu().kernel(g)]).gaussianity() == new Gaussianity('fanInSum of a non-Gaussian branch (after relu)', false)
        FanInSum.rule([erf().kernel(g), relu().kernel(g)]).gaussianity().zeroMean() == false
        FanInSum.rule([erf().kernel(g), erf().kernel(g)]).gaussianity().zeroMean()
        FanInProd.rule([g, g]).gaussianity() == new Gaussianity('fanInProd', true)
        FanInProd.rule([relu().kernel(g), relu().kernel(g)]).gaussianity() == new Gaussianity('fanInProd', false)
        FanInConcat.rule([g, g]).gaussian()
        !FanInConcat.rule([g, conv(4, [3] as int[], null, Padding.VALID, 2.0, 0.5).kernel(in)]).gaussian()
        layerNorm().kernel(g).gaussian()
        globalSelfAttention(linearScaling: true, 4).kernel(relu().kernel(g)).gaussian()
    }

    def "the fused paths (leading dense/activation runs, the diagonal readout chain, mid-network runs) refuse and flag as layer by layer"() {
        when: 'fused from the raw inputs (EntrywiseChain.fromInputs)'
        serial(relu(), dense(3), relu(), dense(1)).kernel(x)

        then:
        IllegalArgumentException e = thrown()
        e.message.contains('relu after the raw inputs has no kernel rule')

        when: 'fused mid-network on a dense kernel (EntrywiseChain.apply) after a flatten'
        serial(conv(3, 2), flatten(), relu(), dense(2), relu(), dense(1)).kernel(signals)

        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('relu after flatten has no kernel rule')

        expect: 'the diagonal readout chain (DiagonalChain) gives the flag its layers give one by one'
        Serial s = serial(conv(3, 2), relu(), conv(3, 2), relu(), flatten())
        s.kernel([diagonalSpatial: true], signals).gaussianity() == new Gaussianity('flatten', false)
        serial(dense(3), erf(), dense(3), tanh()).kernel(x).gaussianity() == new Gaussianity('tanh', true)
        serial(dense(3), erf(), dense(3)).kernel(x).gaussian()
    }
}
