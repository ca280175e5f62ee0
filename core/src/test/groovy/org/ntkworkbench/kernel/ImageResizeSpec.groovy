package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.LayerGradientSpec
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

/**
 * {@code imageResize}: Monte Carlo against finite networks (16 seeds, 5 SE + 8/channels), the forward pass and
 * the kernel written out with loops (the kernel of a linear map of positions is R Σ Rᵀ), identity resizes,
 * gradients against central differences.
 */
class ImageResizeSpec extends Specification {
    static final int C = 256, M = 64

    @Shared Tensor signals = Tensor.randn(12, 3, 5, 2)
    @Shared Tensor images = Tensor.randn(13, 2, 3, 4, 2)

    static Map<String, List> models() {
        [
            'linear 1-D upsampling 5 -> 8, GAP'  : [serial(conv(C, filter: [3], padding: 'CIRCULAR', wStd: 1.3, bStd: 0.2), imageResize(shape: [8]), relu(),
                                                          conv(C, filter: [3], padding: 'SAME'), relu(), globalAvgPool(), dense(M)), 'signals'],
            'nearest 2-D 3x4 -> 5x2, flatten'    : [serial(conv(C, filter: [2, 2], padding: 'SAME', wStd: 1.2, bStd: 0.1), erf(), imageResize(shape: [5, 2], method: 'nearest'),
                                                          conv(C, filter: [2, 2], padding: 'CIRCULAR'), relu(), flatten(), dense(M)), 'images'],
        ]
    }

    @Unroll
    def "#name: analytic NNGP and NTK within 5 SE + 8/channels of seed-averaged finite networks"() {
        given:
        Layer net = spec[0]
        Tensor input = this."${spec[1]}"
        Kernel k = net.kernel(input)

        when:
        def (double rN, double rT) = MonteCarloKernels.worstRatios(net, input, k, C)
        println "MC imageResize $name: nngp $rN, ntk $rT"

        then:
        rN <= 1
        rT <= 1

        where:
        name << models().keySet().toList()
        spec << models().values().toList()
    }

    /** Half-pixel linear interpolation of one axis written out: sample point s = (o + 1/2) I/O - 1/2, clamped. */
    static double linear(List<Double> v, int o, int outSize) {
        int n = v.size()
        double s = (o + 0.5d) * n / outSize - 0.5d
        int i0 = (int) Math.floor(s)
        double t = s - i0
        v[Math.max(0, Math.min(n - 1, i0))] * (1 - t) + v[Math.max(0, Math.min(n - 1, i0 + 1))] * t
    }

    def "forward written out (1-D linear 5 -> 8, 2-D nearest); resizing to the same size is the identity"() {
        given:
        def y = imageResize(shape: [8]).apply([:], signals)
        def z = imageResize(shape: [5, 2], method: 'nearest').apply([:], images)
        double worst = 0
        for (int i = 0; i < 3; i++) for (int c = 0; c < 2; c++) for (int o = 0; o < 8; o++) {
            worst = Math.max(worst, Math.abs(y.get(i, o, c) - linear((0..<5).collect { signals.get(i, it, c) }, o, 8)))
        }
        boolean nearestOk = true
        for (int i = 0; i < 2; i++) for (int a = 0; a < 5; a++) for (int b = 0; b < 2; b++) for (int c = 0; c < 2; c++) {
            nearestOk &= z.get(i, a, b, c) == images.get(i, Math.min((int) Math.floor((a + 0.5d) * 3 / 5), 2), Math.min((int) Math.floor((b + 0.5d) * 4 / 2), 3), c)
        }

        expect:
        y.shape() == [3, 8, 2] as int[]
        worst <= 1e-15
        nearestOk
        imageResize(shape: [-1, 4]).apply([:], images).sub(images).maxAbs() <= 1e-15
    }

    def "the kernel is R Σ Rᵀ on every pair of examples, written out (1e-14)"() {
        given:
        def conv1 = conv(3, filter: [2], padding: 'CIRCULAR', wStd: 1.2, bStd: 0.3)
        def kin = conv1.kernel(signals)
        def k = serial(conv1, imageResize(shape: [7])).kernel(signals)
        double[][] r = new double[7][5]
        for (int o = 0; o < 7; o++) for (int i = 0; i < 5; i++) {
            r[o][i] = linear((0..<5).collect { it == i ? 1d : 0d }, o, 7)
        }
        double worst = 0
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int p = 0; p < 7; p++) for (int q = 0; q < 7; q++) {
            double s = 0, t = 0
            for (int a = 0; a < 5; a++) for (int b = 0; b < 5; b++) {
                s += r[p][a] * r[q][b] * kin.nngp().get(i, j, a, b)
                t += r[p][a] * r[q][b] * kin.ntk().get(i, j, a, b)
            }
            worst = Math.max(worst, Math.abs(k.nngp().get(i, j, p, q) - s) + Math.abs(k.ntk().get(i, j, p, q) - t))
        }

        expect:
        worst <= 1e-14 * kin.ntk().maxAbs()
        (0..<3).every { int i -> (0..<7).every { int p -> k.cov1().get(i, p, p) == k.nngp().get(i, i, p, p) } }
    }

    def "gradients through imageResize match central differences (1e-6); diagonalSpatial: true refused in one line"() {
        expect:
        LayerGradientSpec.gradError(serial(conv(2, filter: [2, 2], padding: 'SAME'), tanh(), imageResize(shape: [4, 3]), flatten(), dense(1)), [2, 3, 2, 2] as int[]) <= 1e-6

        when:
        serial(conv(2, filter: [2]), imageResize(shape: [4]), flatten(), dense(1)).kernel([diagonalSpatial: true], signals)
        then:
        thrown(IllegalArgumentException)
    }
}
