package org.ntkworkbench.plugins.stylegan

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.kernel.Gaussianity
import org.ntkworkbench.kernel.Kernel
import org.ntkworkbench.kernel.Padding
import org.ntkworkbench.model.empirical.EmpiricalNngp
import org.ntkworkbench.model.empirical.EmpiricalNtk
import org.ntkworkbench.model.empirical.KernelEstimate
import org.ntkworkbench.model.empirical.NtkMethod
import org.ntkworkbench.nn.Conv
import org.ntkworkbench.nn.Dense
import org.ntkworkbench.nn.FanInProd
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.NoKernelRuleException
import org.ntkworkbench.nn.Parameterization
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/**
 * Analytic kernels of the StyleGAN blocks against independent derivations:
 * <ul>
 *   <li>a closed form of one modulated convolution (with and without demodulation) plus noise on fixed inputs,
 *       derived by hand from the finite network's expectation (relative 1e-12);</li>
 *   <li>the same through the core product rule: {@code FanInProd} of the feature kernel and the style kernel
 *       broadcast over positions, then the core {@code Conv} rule (relative 1e-12);</li>
 *   <li>the Monte Carlo mean of finite networks over seeds. For one modulated conv on fixed inputs the
 *       expectation of the finite NNGP and NTK equals the analytic kernel at <em>any</em> width (the output
 *       is linear in W given s, and linear in A given W), so the only error is sampling: every entry must be
 *       within 4.5 standard errors of the seed mean (S = 128 seeds). With demodulation the rule is the limit of
 *       many input channels; with 3x3x64 features (64 seeds) the finite-width bias is below the same bound;</li>
 *   <li>exact rules of the structural layers (styleInput, upsample) against the input kernels of the
 *       unpacked / upsampled arrays (1e-14).</li>
 * </ul>
 */
class StyleKernelSpec extends Specification {

    static final int N = 4, H = 3, WD = 3, C = 16, D = 5, O = 4, F = 3
    static final double W_STD = 1.3, B_STD = 0.4, S_STD = 0.8, S_BIAS = 0.9, NOISE_STD = 0.7

    static Tensor features(long seed = 1) { Tensor.randn(seed, N, H, WD, C) }
    static Tensor styles(long seed = 2) { Tensor.randn(seed, N, D) }

    static ModulatedConv mod() { new ModulatedConv(O, F, false, Padding.SAME, W_STD, B_STD, S_STD, S_BIAS, 1e-8) }

    static Layer modNoise() { serial(new StyleInput(D), mod(), new NoiseInjection(5, NOISE_STD), new DropStyle()) }

    /**
     * The expectation over A, b and W of the finite modulated conv (+ noise) by hand: with
     * Σ_s = sStd² w·w'/D + sBias² and conv[p,q] = Σ_{k,c} x[p+k,c] x'[q+k,c] / (F² C) (zeros outside),
     * NNGP = wStd² Σ_s conv + bStd²; NTK = wStd² Σ_s conv (W) + wStd² (sStd² w·w'/D + sBias²) conv (A, b)
     * + bStd² + noiseStd² ξ_p ξ_q (strength).
     */
    @groovy.transform.CompileStatic
    static List<double[]> closedForm(Tensor x, Tensor w, double[] xi, boolean demod = false) {
        int lo = (F - 1).intdiv(2) as int
        double[] nngp = new double[N * N * H * H * WD * WD], ntk = new double[nngp.length]
        for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) {
            double ww = 0
            for (int d = 0; d < D; d++) ww += w.get(i, d) * w.get(j, d)
            double sigS = S_STD * S_STD * ww / D + S_BIAS * S_BIAS
            if (demod) {
                // In the limit the demodulation norm of example i is wStd² Σ_s(i, i) + eps.
                double wi = 0, wj = 0
                for (int d = 0; d < D; d++) { wi += w.get(i, d) * w.get(i, d); wj += w.get(j, d) * w.get(j, d) }
                double ni = W_STD * W_STD * (S_STD * S_STD * wi / D + S_BIAS * S_BIAS) + 1e-8
                double nj = W_STD * W_STD * (S_STD * S_STD * wj / D + S_BIAS * S_BIAS) + 1e-8
                sigS /= Math.sqrt(ni * nj)
            }
            for (int h = 0; h < H; h++) for (int h2 = 0; h2 < H; h2++) for (int v = 0; v < WD; v++) for (int v2 = 0; v2 < WD; v2++) {
                double acc = 0
                for (int kh = 0; kh < F; kh++) for (int kv = 0; kv < F; kv++) {
                    int ph = h + kh - lo, pv = v + kv - lo, qh = h2 + kh - lo, qv = v2 + kv - lo
                    if (ph < 0 || ph >= H || pv < 0 || pv >= WD || qh < 0 || qh >= H || qv < 0 || qv >= WD) continue
                    for (int c = 0; c < C; c++) acc += x.get(i, ph, pv, c) * x.get(j, qh, qv, c)
                }
                double conv = acc / (F * F * C)
                int idx = ((((i * N + j) * H + h) * H + h2) * WD + v) * WD + v2
                nngp[idx] = W_STD * W_STD * sigS * conv + B_STD * B_STD
                ntk[idx] = 2 * W_STD * W_STD * sigS * conv + B_STD * B_STD + NOISE_STD * NOISE_STD * xi[h * WD + v] * xi[h2 * WD + v2]
            }
        }
        [nngp, ntk]
    }

    @groovy.transform.CompileStatic
    static double relMax(double[] a, double[] b) {
        double d = 0, m = 0
        for (int i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); m = Math.max(m, Math.abs(b[i])) }
        d / m
    }

    def "modulated conv + noise: the analytic kernel equals the hand-derived closed form"() {
        given:
        Tensor x = features()
        Tensor w = styles()
        Kernel k = modNoise().kernel(StyleInput.pack(x, w))
        def (nngp, ntk) = closedForm(x, w, new NoiseInjection(5, NOISE_STD).noise([H, WD] as int[]))

        expect:
        k.spatial() == [H, WD] as int[]
        relMax(k.nngp().data(), nngp as double[]) <= 1e-12
        relMax(k.ntk().data(), ntk as double[]) <= 1e-12
    }

    def "modulated conv: the rule equals the core FanInProd product rule followed by the core Conv rule"() {
        given:
        Tensor x = features()
        Tensor w = styles()
        Kernel direct = serial(new StyleInput(D), mod(), new DropStyle()).kernel(StyleInput.pack(x, w))
        Kernel kx = Kernel.fromInputs(x, null)
        Kernel ks = new Dense(C, S_STD, S_BIAS, Parameterization.NTK).kernel(Kernel.fromInputs(w, null))
        // The style kernel broadcast over every position pair (each position sees the same s_c).
        int block = (H * WD) * (H * WD)
        double[] bn = new double[N * N * block], bt = new double[bn.length], bc = new double[N * block]
        for (int e = 0; e < N * N; e++) for (int m = 0; m < block; m++) { bn[e * block + m] = ks.nngp().data()[e]; bt[e * block + m] = ks.ntk().data()[e] }
        for (int i = 0; i < N; i++) for (int m = 0; m < block; m++) bc[i * block + m] = ks.cov1().data()[i]
        Tensor cov = Tensor.of(bc, kx.cov1().shape())
        Kernel ksBroadcast = Kernel.of(Tensor.of(bn, kx.nngp().shape()), Tensor.of(bt, kx.nngp().shape()), cov, cov, [H, WD] as int[], true, C)
                .withGaussianity(Gaussianity.GAUSSIAN) // a dense layer's output (the style), broadcast
        Kernel viaCore = new Conv(O, [F, F] as int[], null, Padding.SAME, W_STD, B_STD, Parameterization.NTK)
                .kernel(new FanInProd().kernels([kx, ksBroadcast])[0])

        expect:
        relMax(direct.nngp().data(), viaCore.nngp().data()) <= 1e-12
        relMax(direct.ntk().data(), viaCore.ntk().data()) <= 1e-12
        relMax(direct.cov1().data(), viaCore.cov1().data()) <= 1e-12
    }

    static void within(KernelEstimate mc, Tensor exact, double sigmas, String what) {
        double worst = 0, relSe = 0
        for (int i = 0; i < exact.size(); i++) {
            double se = mc.standardError().data()[i]
            double z = Math.abs(mc.mean().data()[i] - exact.data()[i]) / Math.max(se, 1e-300)
            worst = Math.max(worst, z)
            relSe = Math.max(relSe, se)
        }
        relSe /= exact.maxAbs()
        assert worst <= sigmas: "$what: worst entry is $worst standard errors off"
        assert relSe < 0.05: "$what: largest standard error ${relSe} of the largest entry, too large for the check to mean anything"
    }

    def "modulated conv + noise: the seed mean of finite networks matches the analytic kernel within 4.5 standard errors"() {
        given:
        Layer net = serial(modNoise(), flatten())
        Tensor packed = StyleInput.pack(features(), styles())
        Kernel k = net.kernel(packed)
        long[] seeds = (0L..<128L) as long[]

        when:
        KernelEstimate nngp = EmpiricalNngp.monteCarlo(net, packed, null, seeds)
        KernelEstimate ntk = EmpiricalNtk.seedAverage(net, packed, null, seeds, NtkMethod.STRUCTURED_DERIVATIVES)

        then:
        within(nngp, k.nngp(), 4.5, 'NNGP')
        within(ntk, k.ntk(), 4.5, 'NTK')
    }

    def "AdaIN has no kernel rule, and the error says so by name and reason"() {
        given:
        Tensor packed = StyleInput.pack(features(), styles())

        when:
        serial(new StyleInput(D), new Adain(1e-8, 1, 1), new DropStyle()).kernel(packed)

        then:
        NoKernelRuleException a = thrown()
        a.word() == 'adain'
        a.message.contains('instance normalisation')
    }

    static ModulatedConv demod(int outC = O) { new ModulatedConv(outC, F, true, Padding.SAME, W_STD, B_STD, S_STD, S_BIAS, 1e-8) }

    def "demodulated modulated conv: the limit rule equals its hand-derived closed form, and with no style weights the core conv rule at wStd = 1 plus the style bias's share"() {
        given:
        Tensor x = features()
        Tensor w = styles()
        Kernel k = serial(new StyleInput(D), demod(), new NoiseInjection(5, NOISE_STD), new DropStyle()).kernel(StyleInput.pack(x, w))
        def (nngp, ntk) = closedForm(x, w, new NoiseInjection(5, NOISE_STD).noise([H, WD] as int[]), true)
        // styleStd = 0: s = styleBias·b with b = 1, demodulation = unit-norm filters, i.e. a conv with wStd = 1 (NNGP);
        // the NTK adds the gradient of the per-channel style biases, normalised to Θ̂_s = 1: conv(Σ_x) = NNGP − bStd².
        Kernel constStyle = serial(new StyleInput(D), new ModulatedConv(O, F, true, Padding.SAME, W_STD, B_STD, 0, S_BIAS, 0), new DropStyle())
                .kernel(StyleInput.pack(x, w))
        Kernel plain = new Conv(O, [F, F] as int[], null, Padding.SAME, 1.0, B_STD, Parameterization.NTK).kernel(Kernel.fromInputs(x, null))

        expect:
        relMax(k.nngp().data(), nngp as double[]) <= 1e-12
        relMax(k.ntk().data(), ntk as double[]) <= 1e-12
        relMax(constStyle.nngp().data(), plain.nngp().data()) <= 1e-12
        relMax(constStyle.ntk().data(), plain.ntk().data().withIndex().collect { v, i -> v + plain.nngp().data()[i] - B_STD * B_STD } as double[]) <= 1e-12
    }

    def "demodulated modulated conv with 64 input channels: the seed mean of finite networks matches the limit rule within 4.5 standard errors"() {
        given: 'features 3x3x64 (the norm concentrates as filter x channels grows), 4 output channels, 64 seeds'
        Tensor x = Tensor.randn(1, N, H, WD, 64)
        Layer net = serial(new StyleInput(D), demod(), new DropStyle(), flatten())
        Tensor packed = StyleInput.pack(x, styles())
        Kernel k = net.kernel(packed)
        long[] seeds = (0L..<64L) as long[]

        when:
        KernelEstimate nngp = EmpiricalNngp.monteCarlo(net, packed, null, seeds)
        KernelEstimate ntk = EmpiricalNtk.seedAverage(net, packed, null, seeds, NtkMethod.AUTO)

        then:
        within(nngp, k.nngp(), 4.5, 'NNGP')
        within(ntk, k.ntk(), 4.5, 'NTK')
    }

    def "styleInput: the kernels of the unpacked items are the input kernels of the features and of the styles"() {
        given:
        Tensor x = features()
        Tensor w = styles()
        Tensor x2 = features(11)
        Tensor w2 = styles(12)
        Layer split = new StyleInput(D)

        when:
        List<Kernel> same = split.kernels([Kernel.fromInputs(StyleInput.pack(x, w), null)])
        List<Kernel> cross = split.kernels([Kernel.fromInputs(StyleInput.pack(x, w), StyleInput.pack(x2, w2))])

        then:
        relMax(same[0].nngp().data(), Kernel.fromInputs(x, null).nngp().data()) <= 1e-14
        relMax(same[0].cov1().data(), Kernel.fromInputs(x, null).cov1().data()) <= 1e-14
        relMax(same[1].nngp().data(), Kernel.fromInputs(w, null).nngp().data()) <= 1e-14
        relMax(same[1].cov1().data(), Kernel.fromInputs(w, null).cov1().data()) <= 1e-14
        relMax(cross[0].nngp().data(), Kernel.fromInputs(x, x2).nngp().data()) <= 1e-14
        relMax(cross[1].nngp().data(), Kernel.fromInputs(w, w2).nngp().data()) <= 1e-14
        relMax(cross[1].cov2().data(), Kernel.fromInputs(w, w2).cov2().data()) <= 1e-14
    }

    def "upsample: forward pass is nearest-neighbour and the kernel is the input kernel of the upsampled array"() {
        given:
        Tensor x = features()
        Upsample up = new Upsample(2)
        Tensor y = up.apply([:], x)
        Tensor expected = Tensor.zeros(N, 2 * H, 2 * WD, C)
        for (int i = 0; i < N; i++) for (int h = 0; h < 2 * H; h++) for (int v = 0; v < 2 * WD; v++) for (int c = 0; c < C; c++)
            expected.set(x.get(i, h.intdiv(2), v.intdiv(2), c), i, h, v, c)

        expect:
        y.bitwiseEquals(expected)
        relMax(up.kernel(Kernel.fromInputs(x, null)).nngp().data(), Kernel.fromInputs(y, null).nngp().data()) <= 1e-14
        relMax(up.kernel(Kernel.fromInputs(x, null)).cov1().data(), Kernel.fromInputs(y, null).cov1().data()) <= 1e-14
    }
}
