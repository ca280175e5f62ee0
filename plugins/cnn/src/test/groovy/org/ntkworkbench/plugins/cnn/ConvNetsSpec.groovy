package org.ntkworkbench.plugins.cnn

import org.ntkworkbench.data.Samplers
import org.ntkworkbench.kernel.Padding
import org.ntkworkbench.model.empirical.EmpiricalNngp
import org.ntkworkbench.model.empirical.EmpiricalNtk
import org.ntkworkbench.model.empirical.NtkMethod
import org.ntkworkbench.nn.Layers
import org.ntkworkbench.spectrum.MultiSphereSpectra
import org.ntkworkbench.spectrum.NativeSpectra
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

class ConvNetsSpec extends Specification {

    def "one conv block: the analytic CNTK and CGPK equal the seed-averaged finite net within 5 standard errors"() {
        given: 'one hidden conv layer: the finite net\'s expected NTK and NNGP equal the infinite-width ones at any width, so only Monte Carlo error remains'
        def net = ConvNets.cnn(64, 3, 1, readout, 1.0, 0.3)
        def x = Samplers.signals(3, 5, 2, 11)
        def x2 = Samplers.signals(2, 5, 2, 12)
        long[] seeds = (1..200).collect { it as long } as long[]

        when:
        def k = net.kernel(x, x2)
        def ntk = EmpiricalNtk.seedAverage(net, x, x2, seeds, NtkMethod.JACOBIAN_CONTRACTION)
        def nngp = EmpiricalNngp.monteCarlo(net, x, x2, seeds)

        then:
        for (i in 0..<3) for (j in 0..<2) {
            assert Math.abs(ntk.mean().get(i, j) - k.ntk().get(i, j)) < 5 * ntk.standardError().get(i, j)
            assert Math.abs(nngp.mean().get(i, j) - k.nngp().get(i, j)) < 5 * nngp.standardError().get(i, j)
            assert ntk.standardError().get(i, j) < 0.05 * Math.abs(k.ntk().get(i, j))   // the test has power
        }

        where:
        readout << [ConvNets.Readout.FLATTEN, ConvNets.Readout.GAP]
    }

    def "two conv blocks: the finite net at 256 channels agrees within Monte Carlo error plus a 1/channels bias"() {
        given:
        int ch = 256
        def net = ConvNets.cnn(ch, 2, 2, ConvNets.Readout.GAP, 1.0, 0.2)
        def x = Samplers.signals(2, 4, 2, 21)
        long[] seeds = (1..60).collect { it as long } as long[]

        when:
        def k = net.kernel(x, null)
        def ntk = EmpiricalNtk.seedAverage(net, x, null, seeds, NtkMethod.JACOBIAN_CONTRACTION)
        def nngp = EmpiricalNngp.monteCarlo(net, x, null, seeds)

        then:
        for (i in 0..<2) for (j in 0..<2) {
            assert Math.abs(ntk.mean().get(i, j) - k.ntk().get(i, j)) < 5 * ntk.standardError().get(i, j) + 4.0 / ch * k.ntk().get(i, j)
            assert Math.abs(nngp.mean().get(i, j) - k.nngp().get(i, j)) < 5 * nngp.standardError().get(i, j) + 4.0 / ch * k.nngp().get(i, j)
        }
    }

    /** t_j = <x1[a, j, :], x2[b, j, :]>. */
    static double[] dots(Tensor x1, int a, Tensor x2, int b) {
        int p = x1.dim(1)
        double[] t = new double[p]
        for (j in 0..<p) t[j] = x1.get(a, j, 0) * x2.get(b, j, 0) + x1.get(a, j, 1) * x2.get(b, j, 1)
        t
    }

    def "flatten readout: the multi-dot-product function reproduces net.kernel on random circle signals to 1e-12"() {
        given:
        int p = 5
        def net = ConvNets.cnn(8, 3, 2, ConvNets.Readout.FLATTEN, 1.3, 0.2)
        def x1 = Samplers.signals(4, p, 2, 1)
        def x2 = Samplers.signals(3, p, 2, 2)
        def f = new CircleKernelFunction(net, p)

        when:
        def k = net.kernel(x1, x2)
        double[][] ts = (0..<12).collect { dots(x1, it.intdiv(3), x2, it % 3) } as double[][]
        def batch = f.evaluate(ts)

        then:
        for (i in 0..<12) {
            int a = i.intdiv(3), b = i % 3
            assert Math.abs(batch[1][i] - k.ntk().get(a, b)) < 1e-12 * Math.abs(k.ntk().get(a, b))
            assert Math.abs(batch[0][i] - k.nngp().get(a, b)) < 1e-12 * Math.abs(k.nngp().get(a, b))
            assert Math.abs(f.ntk().value(ts[i]) - batch[1][i]) < 1e-14 * Math.abs(batch[1][i])
        }
    }

    def "GAP readout is not a multi-dot-product kernel: cross-position products change it"() {
        given:
        int p = 5
        def net = ConvNets.cnn(8, 3, 1, ConvNets.Readout.GAP, 1.0, 0.0)
        def x1 = Samplers.signals(3, p, 2, 1)
        def x2 = Samplers.signals(3, p, 2, 2)
        def f = new CircleKernelFunction(net, p)

        when:
        def k = net.kernel(x1, x2)
        double worst = (0..<9).collect { i ->
            Math.abs(f.ntk().value(dots(x1, i.intdiv(3), x2, i % 3)) - k.ntk().get(i.intdiv(3), i % 3)) / k.ntk().get(i.intdiv(3), i % 3)
        }.max()

        then:
        worst > 1e-3
    }

    /** n images (n, h, w, c) whose pixels are unit vectors of R^c. */
    static Tensor images(int n, int h, int w, int c, long seed) {
        Samplers.signals(n, h * w, c, seed).reshape(n, h, w, c)
    }

    def "2-D: one conv block's analytic CNTK and CGPK equal the seed-averaged finite net within 5 standard errors"() {
        given: 'a 3x3 filter on 3x4 two-channel images, both readouts; one hidden layer, so only Monte Carlo error remains'
        def net = ConvNets.cnn(2, 32, 3, 1, readout, 1.0, 0.3)
        def x = images(3, 3, 4, 2, 31)
        def x2 = images(2, 3, 4, 2, 32)
        long[] seeds = (1..200).collect { it as long } as long[]

        when:
        def k = net.kernel(x, x2)
        def ntk = EmpiricalNtk.seedAverage(net, x, x2, seeds, NtkMethod.JACOBIAN_CONTRACTION)
        def nngp = EmpiricalNngp.monteCarlo(net, x, x2, seeds)

        then:
        for (i in 0..<3) for (j in 0..<2) {
            assert Math.abs(ntk.mean().get(i, j) - k.ntk().get(i, j)) < 5 * ntk.standardError().get(i, j)
            assert Math.abs(nngp.mean().get(i, j) - k.nngp().get(i, j)) < 5 * nngp.standardError().get(i, j)
            assert ntk.standardError().get(i, j) < 0.05 * Math.abs(k.ntk().get(i, j))   // the test has power
        }

        where:
        readout << [ConvNets.Readout.FLATTEN, ConvNets.Readout.GAP]
    }

    def "2-D receptive fields: square windows on the torus by hand, and the pixels whose perturbation moves each output"() {
        expect:
        ConvNets.receptiveFields2d(3, 3, 2, 1).size() == 9
        ConvNets.receptiveFields2d(3, 3, 2, 1)[0] == [0, 1, 3, 4] as Set
        ConvNets.receptiveFields2d(3, 3, 2, 1)[8] == [8, 6, 2, 0] as Set              // wraps both ways
        ConvNets.receptiveFields2d(4, 5, 3, 2) == [(0..<20) as Set]                    // side 5 covers 4 rows and 5 columns
        ConvNets.receptiveFields2d(4, 4, 1, 3) == (0..<16).collect { [it] as Set }

        when: 'perturb one pixel of a 2-D conv stack (2x2 filters, depth 2) and record which outputs move'
        int h = 4, w = 5
        def conv = { Layers.conv(2, [2, 2] as int[], [1, 1] as int[], Padding.CIRCULAR, 1.0, 0.1) }
        def stack = Layers.serial(conv(), Layers.tanh(), conv(), Layers.tanh())
        def params = stack.init(5, h, w, 2)
        def x = images(1, h, w, 2, 3)
        def y = stack.apply(params, x)
        List<Set<Integer>> seen = (0..<h * w).collect { new TreeSet<Integer>() }
        for (j in 0..<h * w) {
            def xp = Tensor.of(x.data().clone(), 1, h, w, 2)
            xp.set(xp.get(0, j.intdiv(w), j % w, 0) + 0.5, 0, j.intdiv(w), j % w, 0)
            def yp = stack.apply(params, xp)
            for (i in 0..<h * w) {
                if ((0..<2).any { c -> Math.abs(yp.get(0, i.intdiv(w), i % w, c) - y.get(0, i.intdiv(w), i % w, c)) > 1e-12 }) seen[i] << j
            }
        }

        then:
        (seen as Set) == (ConvNets.receptiveFields2d(h, w, 2, 2) as Set)
    }

    def "receptive fields by hand, and equal to the positions whose perturbation moves each output"() {
        expect:
        ConvNets.receptiveFields(5, 2, 2) == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [0, 3, 4], [0, 1, 4]].collect { it as Set }
        ConvNets.receptiveFields(4, 3, 2) == [[0, 1, 2, 3] as Set]   // 2(3-1)+1 = 5 > 4: everything
        ConvNets.receptiveFields(6, 1, 3) == (0..<6).collect { [it] as Set }
        ConvNets.isLocal([0, 2, 1, 0, 0] as int[], ConvNets.receptiveFields(5, 2, 2))
        !ConvNets.isLocal([1, 0, 1, 0, 1] as int[], ConvNets.receptiveFields(5, 2, 2))

        when: 'perturb one input position of a conv stack (filter 2, depth 2) and record which outputs move'
        int p = 7
        def stack = Layers.serial(Layers.conv(3, [2] as int[], [1] as int[], Padding.CIRCULAR, 1.0, 0.1), Layers.tanh(),
                Layers.conv(3, [2] as int[], [1] as int[], Padding.CIRCULAR, 1.0, 0.1), Layers.tanh())
        def params = stack.init(5, p, 2)
        def x = Samplers.signals(1, p, 2, 3)
        def y = stack.apply(params, x)
        List<Set<Integer>> seen = (0..<p).collect { new TreeSet<Integer>() }
        for (j in 0..<p) {
            def xp = Tensor.of(x.data().clone(), 1, p, 2)
            xp.set(xp.get(0, j, 0) + 0.5, 0, j, 0)
            def yp = stack.apply(params, xp)
            for (i in 0..<p) {
                if ((0..<3).any { c -> Math.abs(yp.get(0, i, c) - y.get(0, i, c)) > 1e-12 }) seen[i] << j
            }
        }

        then:
        (seen as Set) == (ConvNets.receptiveFields(p, 2, 2) as Set)
    }

    def "tabulated spectra equal those of the directly evaluated function; non-local eigenvalues vanish"() {
        given:
        int p = 4
        int K = 4
        int M = 10
        def net = ConvNets.cnn(4, 2, 1, ConvNets.Readout.FLATTEN, 1.0, 0.1)
        def fields = ConvNets.receptiveFields(p, 2, 1)

        when:
        def s = CnnSpectra.compute(new NativeSpectra(), net, p, fields, K, M)
        def direct = MultiSphereSpectra.circles(new CircleKernelFunction(net, p).ntk(), p, K, M)

        then:
        for (i in 0..<s.ntk().values().length) {
            assert Math.abs(s.ntk().values()[i] - direct.values()[i]) < 1e-14 * direct.maxAbs()
        }
        s.nonlocalMaxRel('ntk') < 1e-12
        s.nonlocalMaxRel('nngp') < 1e-12
        Math.abs(s.ntk().value(1, 0, 1, 0)) < 1e-12 * s.ntk().maxAbs()    // positions 0 and 2: in no window {j, j+1}
        s.ntk().value(1, 1, 0, 0) > 1e-6 * s.ntk().maxAbs()                // positions 0 and 1: in one
        s.ntk().value(1, 0, 0, 1) > 1e-6 * s.ntk().maxAbs()                // positions 3 and 0: the circular window
    }
}
