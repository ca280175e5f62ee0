package org.ntkworkbench.plugins.stylegan

import static org.ntkworkbench.nn.Layers.*

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.dsl.ScriptRunner
import org.ntkworkbench.kernel.Kernel
import org.ntkworkbench.model.empirical.EmpiricalNngp
import org.ntkworkbench.model.empirical.EmpiricalNtk
import org.ntkworkbench.model.empirical.KernelEstimate
import org.ntkworkbench.model.empirical.NtkMethod
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The synthesis network as a whole: shapes, that it is a deterministic function (same seed same bits,
 * each example independent of its batch, the noise a fixed buffer), its analytic kernel against the
 * seed mean of finite networks, and the DSL words through a script run.
 */
class SynthesisNetSpec extends Specification {

    @Shared
    Workbench wb = Workbench.start([])

    @TempDir
    Path dir

    def "an 8x8 synthesis net maps latents to images and is a deterministic function of (params, z)"() {
        given:
        def net = new SynthesisNet(8, 4, 6, 2, true, true, 3)
        Tensor z = Tensor.randn(1, 3, 5)
        Map<String, Tensor> p = net.init(7, 5)
        p.keySet().findAll { it.endsWith('strength') }.each { p[it] = Tensor.randn(9, p[it].shape()) }

        when:
        Tensor y = net.apply(p, z)
        Tensor again = new SynthesisNet(8, 4, 6, 2, true, true, 3).apply(new SynthesisNet(8, 4, 6, 2, true, true, 3).init(7, 5).with {
            it.keySet().findAll { k -> k.endsWith('strength') }.each { k -> it[k] = Tensor.randn(9, it[k].shape()) }; it }, z)
        Tensor row1 = net.apply(p, z.rowRange(1, 2))

        then:
        y.shape() == [3, 8, 8, 3] as int[]
        y.bitwiseEquals(again)
        row1.bitwiseEquals(y.rowRange(1, 2))
        p.keySet().containsAll(['0.1/W', '1/const', '2.0.0/W', '2.0.1/W', '2.1/strength', '4.1/strength', '6.0/W'])
        new NoiseInjection(3, 1).noise([4, 4] as int[]) == new NoiseInjection(3, 1).noise([4, 4] as int[])
        new NoiseInjection(3, 1).noise([4, 4] as int[]) != new NoiseInjection(4, 1).noise([4, 4] as int[])
    }

    def "at initialisation (noise strengths 0) the noise layers leave the output unchanged"() {
        given:
        def net = new SynthesisNet(4, 3, 4, 1, false, true, 2)
        Tensor z = Tensor.randn(1, 2, 3)
        Map<String, Tensor> p = net.init(0, 3)

        expect: 'at initialisation (strength 0) the noise does not change the output'
        Map<String, Tensor> noNoiseParams = new SynthesisNet(4, 3, 4, 1, false, false, 2).init(0, 3)
        net.apply(p, z).bitwiseEquals(new SynthesisNet(4, 3, 4, 1, false, false, 2).apply(
                p.findAll { k, v -> !k.endsWith('strength') }, z))
        noNoiseParams.size() == p.size() - 1
    }

    static double frob(Tensor a) { Math.sqrt(a.dot(a)) }

    def "synthesisNet (demodulate: #demod): the analytic NNGP and NTK match the seed mean of finite nets within 3 Frobenius standard errors"() {
        given: 'resolution 4, 16 channels, style dim 16, mapping depth 2, noise on, one output channel; 24 seeds'
        Layer net = serial(new SynthesisNet(4, 16, 16, 2, demod, true, 1), flatten())
        Tensor z = Tensor.randn(3, 4, 6)
        Kernel k = net.kernel(z)
        long[] seeds = (0L..<24L) as long[]

        when:
        KernelEstimate nngp = EmpiricalNngp.monteCarlo(net, z, null, seeds)
        KernelEstimate ntk = EmpiricalNtk.seedAverage(net, z, null, seeds, NtkMethod.STRUCTURED_DERIVATIVES)
        double nngpErr = frob(nngp.mean().sub(k.nngp())) / frob(k.nngp()), nngpSe = frob(nngp.standardError()) / frob(k.nngp())
        double ntkErr = frob(ntk.mean().sub(k.ntk())) / frob(k.ntk()), ntkSe = frob(ntk.standardError()) / frob(k.ntk())
        println String.format('synthesisNet demod %s MC: NNGP err %.4f (se %.4f), NTK err %.4f (se %.4f)', demod, nngpErr, nngpSe, ntkErr, ntkSe)

        then: 'sampling dominates the finite-width bias at this size; the check has power (standard errors < 15%)'
        nngpSe < 0.15
        ntkSe < 0.15
        nngpErr <= 3 * nngpSe
        ntkErr <= 3 * ntkSe

        where:
        demod << [false, true]
    }

    def "the StyleGAN words build models in a script run"() {
        given:
        Path script = dir.resolve('words.groovy')
        Files.writeString(script, '''
            def x = Tensor.randn(1, 3, 4, 4, 2)
            def w = Tensor.randn(2, 3, 5)
            def net = serial(styleInput(dim: 5), mappingNetwork(depth: 1, width: 8), onFeatures(serial(conv(6, filter: [3, 3], padding: 'SAME'), relu())),
                             styleBlock(4, demodulate: false, noiseSeed: 2), upsample(2),
                             adain(), noiseInjection(seed: 1), modulatedConv(3, filter: 1), dropStyle(), flatten())
            def packed = packStyle(x, w)
            def p = net.init(0, 5, 4, 2)
            result('out_size', net.apply(p, packed).dim(1))
            result('ntk_00', net.empiricalNtk(p, packed).get(0, 0))
            result('lift_key', p.containsKey('2.0.0/W') && p['2.0.0/W'].shape() == [3, 3, 2, 6] as int[] ? 1 : 0)
            def g = serial(synthesisNet(resolution: 8, channels: 4, styleDim: 4), flatten())
            result('synth_kernel_00', g.kernel(Tensor.randn(4, 2, 3)).ntk().get(0, 0))
            result('demod_kernel_00', serial(styleInput(dim: 5), modulatedConv(3), dropStyle(), flatten()).kernel(packed).ntk().get(0, 0))
            try { serial(styleInput(dim: 5), adain(), dropStyle()).kernel(packed); result('adain_error', 0) }
            catch (NoKernelRuleException e) { result('adain_error', 1) }
        ''')

        when:
        def o = new ScriptRunner(wb, new PrintStream(new ByteArrayOutputStream()), System.err).run(script, [:], dir.resolve('runs'), false, false)
        def m = new JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile())

        then:
        o.exitCode() == 0
        m.results.out_size == 8 * 8 * 3
        m.results.ntk_00 > 0
        m.results.lift_key == 1
        m.results.synth_kernel_00 > 0
        m.results.demod_kernel_00 > 0
        m.results.adain_error == 1
    }
}
