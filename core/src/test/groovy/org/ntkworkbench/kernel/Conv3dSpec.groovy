package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.nn.LayerGradientSpec
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification

/**
 * Convolutions and pooling with three spatial axes (inputs {@code (n, D, H, W, C)}): Monte Carlo against
 * finite networks (16 seeds, 5 SE + 8/channels), the 2-D rule on a depth-1 volume (a second derivation through
 * the 2-D code path), the diagonal layout against the full one, gradients against central differences.
 */
class Conv3dSpec extends Specification {
    static final int C = 128, M = 64

    @Shared Tensor volumes = Tensor.randn(21, 3, 2, 3, 3, 2)

    def "3-D conv net: analytic NNGP and NTK within 5 SE + 8/channels of seed-averaged finite networks"() {
        given:
        def net = serial(conv(C, [2, 2, 2] as int[], null, Padding.CIRCULAR, 1.3, 0.2), relu(),
                conv(C, [1, 2, 2] as int[], [1, 2, 1] as int[], Padding.SAME, 1.0, 0.1), erf(), globalAvgPool(), dense(M))
        Kernel k = net.kernel(volumes)

        when:
        def (double rN, double rT) = MonteCarloKernels.worstRatios(net, volumes, k, C)
        println "MC 3-D conv: nngp $rN, ntk $rT"

        then:
        k.spatial() == [] as int[]
        rN <= 1
        rT <= 1
    }

    def "a depth-1 volume with filter (1, fh, fw) has the 2-D conv kernel (1e-13); diagonal layout = full (flatten)"() {
        given:
        def img = Tensor.randn(4, 3, 3, 4, 2)
        def vol = img.reshape(3, 1, 3, 4, 2)
        def net3 = serial(conv(3, [1, 2, 3] as int[], [1, 1, 2] as int[], Padding.SAME, 1.2, 0.3), relu(), avgPool([1, 2, 2] as int[], null, Padding.VALID), flatten(), dense(1))
        def net2 = serial(conv(3, [2, 3] as int[], [1, 2] as int[], Padding.SAME, 1.2, 0.3), relu(), avgPool([2, 2] as int[], null, Padding.VALID), flatten(), dense(1))
        def flat3 = serial(conv(3, [2, 2, 2] as int[], null, Padding.CIRCULAR, 1.2, 0.3), tanh(), conv(3, [2, 1, 2] as int[], null, Padding.SAME, 1.0, 0.1), relu(), flatten(), dense(1))

        expect:
        net3.kernel(vol).ntk().sub(net2.kernel(img).ntk()).maxAbs() <= 1e-13 * net2.kernel(img).ntk().maxAbs()
        net3.kernel(vol).nngp().sub(net2.kernel(img).nngp()).maxAbs() <= 1e-13 * net2.kernel(img).nngp().maxAbs()
        flat3.kernel([diagonalSpatial: true], volumes).ntk().sub(flat3.kernel([diagonalSpatial: false], volumes).ntk()).maxAbs() <= 1e-13
    }

    def "gradients through 3-D conv and pooling match central differences (1e-6)"() {
        expect:
        LayerGradientSpec.gradError(serial(conv(2, [2, 2, 2] as int[], [1, 2, 1] as int[], Padding.SAME, 1.1, 0.2), tanh(),
                sumPool([2, 1, 2] as int[], null, Padding.CIRCULAR), flatten(), dense(1)), [2, 3, 3, 2, 2] as int[]) <= 1e-6
    }
}
