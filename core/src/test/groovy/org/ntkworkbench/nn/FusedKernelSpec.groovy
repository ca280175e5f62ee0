package org.ntkworkbench.nn

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.kernel.EntrywiseChain
import org.ntkworkbench.kernel.Kernel
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.Unroll

/**
 * The fused kernel path of serial networks (runs of dense/activation/identity layers evaluated in one
 * pass by EntrywiseChain) against the same layers applied one by one through their own kernel rules,
 * and the fused ReLU network against the textbook scalar recursion written out here.
 */
class FusedKernelSpec extends Specification {

    static final double TOL = 1e-12

    /** max |a − b| / max |b| over all entries (0 for two empty or identical arrays). */
    static double relDiff(Tensor a, Tensor b) {
        assert a.shape() == b.shape()
        double num = 0, den = 0
        double[] x = a.data(), y = b.data()
        for (int i = 0; i < x.length; i++) {
            num = Math.max(num, Math.abs(x[i] - y[i]))
            den = Math.max(den, Math.abs(y[i]))
        }
        return den == 0 ? num : num / den
    }

    static Tensor symmetrised(Tensor a) {
        int n = a.dim(0)
        double[] v = a.data(), o = new double[v.length]
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                o[i * n + j] = (v[i * n + j] + v[j * n + i]) * 0.5
            }
        }
        Tensor.of(o, n, n)
    }

    /** Each leaf layer's own kernels(...) rule in turn, from Kernel.fromInputs: no fusion anywhere. */
    static Kernel layerByLayer(List<Layer> leaves, Tensor x1, Tensor x2) {
        List<Kernel> k = [Kernel.fromInputs(x1, x2)]
        for (Layer l : leaves) {
            assert !(l instanceof Serial) && !(l instanceof Repeat)
            k = l.kernels(k)
        }
        assert k.size() == 1
        Kernel out = k[0]
        if (x2 == null) {
            out = out.withNngp(symmetrised(out.nngp())).withNtk(symmetrised(out.ntk()))
        }
        out
    }

    static Map<String, List> architectures() {
        [
            'relu MLP with bias (benchmark i)': [
                    [dense(32, 1.4, 0.1), relu(), dense(32, 1.4, 0.1), relu(), dense(1, 1.4, 0.1)],
                    { List<Layer> l -> serial(l) }],
            'leakyRelu, erf, no bias, nested serial': [
                    [dense(16, 1.2, 0.0), leakyRelu(0.1), dense(16, 0.9, 0.3), erf(), dense(1, 1.1, 0.2)],
                    { List<Layer> l -> serial(serial(l[0], l[1]), serial(l[2], l[3]), l[4]) }],
            'quadrature tanh and elementwise (finite differences), identity, dropout': [
                    [dense(8, 1.0, 0.2), tanh(), identity(), dense(8, 1.3, 0.1),
                     elementwise({ double v -> Math.sin(v) + 0.5 * v } as java.util.function.DoubleUnaryOperator),
                     dropout(0.3), dense(1, 1.0, 0.0)],
                    { List<Layer> l -> serial(l) }],
            'standard parameterization, gelu, abs': [
                    [dense(12, 1.3, 0.2, Parameterization.STANDARD), gelu(), dense(6, 0.8, 0.1, Parameterization.STANDARD),
                     abs(), dense(1, 1.0, 0.4, Parameterization.STANDARD)],
                    { List<Layer> l -> serial(l) }],
            'repeat, then a non-entrywise stretch (fanOut/parallel/fanInSum), then a fused tail': [
                    [dense(8, 1.4, 0.1), relu(), dense(8, 1.4, 0.1), relu(), fanOut(2), parallel(dense(4, 1.2, 0.1), dense(4, 0.8, 0.3)),
                     fanInSum(), relu(), dense(1, 1.0, 0.1)],
                    { List<Layer> l -> serial(repeat(serial(dense(8, 1.4, 0.1), relu()), 2), l[4], l[5], l[6], l[7], l[8]) }],
        ]
    }

    @Unroll
    def "fused serial kernel equals layer by layer to 1e-12: #name, x2 #x2Case"() {
        given:
        def (List<Layer> leaves, Closure build) = architectures()[name]
        Layer net = build(leaves)
        def x1 = Tensor.randn(11, 37, 5)
        def x2 = x2Case == 'null' ? null : (x2Case == 'x1' ? x1 : Tensor.randn(12, 23, 5).mul(1.7))

        when:
        Kernel fused = net.kernel(x1, x2)
        Kernel ref = layerByLayer(leaves, x1, x2Case == 'x1' ? null : x2)
        double dNngp = relDiff(fused.nngp(), ref.nngp()), dNtk = relDiff(fused.ntk(), ref.ntk())
        double dCov1 = relDiff(fused.cov1(), ref.cov1()), dCov2 = relDiff(fused.cov2(), ref.cov2())
        println "$name, x2 $x2Case: nngp $dNngp, ntk $dNtk, cov1 $dCov1, cov2 $dCov2"

        then:
        dNngp <= TOL
        dNtk <= TOL
        dCov1 <= TOL
        dCov2 <= TOL
        fused.channels() == ref.channels()
        fused.x1IsX2() == ref.x1IsX2()
        (fused.cov2().is(fused.cov1())) == (x2Case != 'other')

        where:
        [name, x2Case] << [architectures().keySet().toList(), ['null', 'x1', 'other']].combinations()
    }

    def "a kernel of x1 with itself from the fused path (several 64x64 tile bands) is symmetric to the last bit and equals layer by layer"() {
        given:
        def leaves = [dense(16, 1.4, 0.1), relu(), dense(16, 1.4, 0.1), tanh(), dense(1, 1.4, 0.1)]
        int n = 203
        def x = Tensor.randn(3, n, 6)
        Kernel k = serial(leaves).kernel(x)
        Kernel ref = layerByLayer(leaves, x, null)
        int asymmetric = 0
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (k.nngp().data()[i * n + j] != k.nngp().data()[j * n + i] || k.ntk().data()[i * n + j] != k.ntk().data()[j * n + i]) {
                    asymmetric++
                }
            }
        }

        expect:
        asymmetric == 0
        relDiff(k.nngp(), ref.nngp()) <= TOL
        relDiff(k.ntk(), ref.ntk()) <= TOL
        relDiff(k.cov1(), ref.cov1()) <= TOL
    }

    def "EntrywiseChain.apply without an NTK (NNGP only) equals the layers' rules and keeps the input untouched"() {
        given:
        def leaves = [dense(8, 1.2, 0.3), relu(), dense(8, 1.1, 0.1), sigmoid(), dense(1, 1.0, 0.2)]
        def x1 = Tensor.randn(5, 19, 4), x2 = Tensor.randn(6, 1100, 4) // x2 spans three row segments
        Kernel in = Kernel.fromInputs(x1, x2).withNtk(null)
        double[] before = in.nngp().data().clone()

        when:
        Kernel fused = EntrywiseChain.apply(in, leaves*.entrywiseKernelRule())
        Kernel ref = in
        for (Layer l : leaves) {
            ref = l.kernel(ref)
        }

        then:
        fused.ntk() == null
        relDiff(fused.nngp(), ref.nngp()) <= TOL
        relDiff(fused.cov1(), ref.cov1()) <= TOL
        relDiff(fused.cov2(), ref.cov2()) <= TOL
        in.nngp().data() == before
    }

    def "a layer without a kernel rule is still reported by name"() {
        given:
        def net = serial(dense(4), new Activation() {
            String word() { 'mystery' }
            double value(double v) { v }
            double derivative(double v) { 1 }
        }, dense(1))

        when:
        net.kernel(Tensor.randn(1, 5, 3))

        then:
        def e = thrown(RuntimeException)
        e.message.contains('mystery')
    }

    def "the fused ReLU MLP with bias matches the textbook scalar recursion (arc-cosine kernels) to 1e-12"() {
        given: 'Σ⁰ = x·x′/d, Θ⁰ = 0; dense: Σ = w²Σ + b², Θ = Σ + w²Θ; relu: ρ = Σ12/√(Σ11Σ22), θ = acos ρ'
        double w2 = 1.4 * 1.4, b2 = 0.1 * 0.1
        def x1 = Tensor.randn(21, 30, 7), x2 = Tensor.randn(22, 17, 7)
        Kernel k = serial(dense(64, 1.4, 0.1), relu(), dense(64, 1.4, 0.1), relu(), dense(1, 1.4, 0.1)).kernel(x1, x2)
        double worst = 0

        when:
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 17; j++) {
                double a = 0, b = 0, c = 0
                for (int m = 0; m < 7; m++) {
                    a += x1.get(i, m) * x1.get(i, m) / 7
                    b += x2.get(j, m) * x2.get(j, m) / 7
                    c += x1.get(i, m) * x2.get(j, m) / 7
                }
                double t = 0
                for (int layer = 0; layer < 3; layer++) {
                    if (layer > 0) {
                        double rho = Math.max(-1d, Math.min(1d, c / Math.sqrt(a * b)))
                        double th = Math.acos(rho)
                        double dot = (Math.PI - th) / (2 * Math.PI)
                        c = Math.sqrt(a * b) * (Math.sin(th) + (Math.PI - th) * Math.cos(th)) / (2 * Math.PI)
                        a = a / 2
                        b = b / 2
                        t = t * dot
                    }
                    a = w2 * a + b2
                    b = w2 * b + b2
                    c = w2 * c + b2
                    t = c + w2 * t
                }
                worst = Math.max(worst, Math.abs(k.nngp().get(i, j) - c) / Math.abs(c))
                worst = Math.max(worst, Math.abs(k.ntk().get(i, j) - t) / Math.abs(t))
            }
        }

        then:
        worst <= 1e-12
    }
}
