package org.ntkworkbench.model

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.Unroll

/**
 * {@link KernelService#analyticRows}: the kernel handed over in row blocks (the NPZ stream of {@code ntk kernel})
 * equals {@link KernelService#analytic} bit for bit: x2 = x1 (upper triangle, mirrored through the Gram array) and
 * x2 ≠ x1 (the same row blocks per worker), sizes around the 64-row band.
 */
class KernelRowsSpec extends Specification {

    static final Layer RELU = serial(dense(32, 1.4, 0.1), relu(), dense(32, 1.4, 0.1), relu(), dense(1, 1.4, 0.1))
    static final Layer ERF = serial(dense(16, 1.2, 0.3), erf(), dense(1, 0.9, 0.0))

    /** The streamed rows put together, checking they come in order and cover every row once. */
    static List<double[]> rows(KernelService ks, Layer net, Tensor x1, Tensor x2) {
        int n1 = x1.dim(0), n2 = x2 == null ? n1 : x2.dim(0)
        double[] nngp = new double[n1 * n2], ntk = new double[n1 * n2]
        int next = 0
        boolean ok = ks.analyticRows(net, x1, x2, { int from, int to, double[] a, double[] b ->
            assert from == next && to > from
            System.arraycopy(a, 0, nngp, from * n2, (to - from) * n2)
            System.arraycopy(b, 0, ntk, from * n2, (to - from) * n2)
            next = to
        } as org.ntkworkbench.kernel.EntrywiseChain.RowSink)
        assert ok && next == n1
        [nngp, ntk]
    }

    static boolean bits(double[] a, double[] b) {
        a.length == b.length && (0..<a.length).every { Double.doubleToRawLongBits(a[it]) == Double.doubleToRawLongBits(b[it]) }
    }

    @Unroll
    def "#name, n1 = #n1, n2 = #n2: rows streamed in order, bit for bit the in-memory kernel (#threads threads)"() {
        given:
        def ks = new RowBlockKernelService(threads)
        def rnd = new Random(n1 * 7 + n2)
        def x1 = Tensor.randn(rnd.nextLong(), n1, 6)
        def x2 = n2 == 0 ? null : Tensor.randn(rnd.nextLong(), n2, 6)

        when:
        def (nngp, ntk) = rows(ks, net, x1, x2)
        def ref = ks.analytic(net, x1, x2)

        then:
        bits(nngp, ref.nngp().data())
        bits(ntk, ref.ntk().data())

        where:
        name   | net  | n1  | n2  | threads
        'relu' | RELU | 1   | 0   | 2
        'relu' | RELU | 63  | 0   | 2
        'relu' | RELU | 64  | 0   | 2
        'relu' | RELU | 65  | 0   | 2
        'relu' | RELU | 128 | 0   | 2
        'relu' | RELU | 200 | 0   | 2
        'relu' | RELU | 200 | 0   | 1
        'relu' | RELU | 130 | 7   | 2
        'relu' | RELU | 150 | 150 | 2
        'relu' | RELU | 5   | 3   | 2
        'erf'  | ERF  | 140 | 0   | 2
        'erf'  | ERF  | 140 | 90  | 2
    }

    @Unroll
    def "a sink that takes the NNGP first, n1 = #n1, n2 = #n2: #order, each in row order, bit for bit the in-memory kernel"() {
        given:
        def ks = new RowBlockKernelService(2)
        def rnd = new Random(n1 * 11 + n2)
        def x1 = Tensor.randn(rnd.nextLong(), n1, 6)
        def x2 = n2 == 0 ? null : Tensor.randn(rnd.nextLong(), n2, 6)
        int cols = n2 == 0 ? n1 : n2
        double[] nngp = new double[n1 * cols], ntk = new double[n1 * cols]
        int nextNngp = 0, nextNtk = 0
        List<String> calls = []
        def sink = new org.ntkworkbench.kernel.EntrywiseChain.RowSink() {
            void rows(int from, int to, double[] a, double[] b) {
                calls << ((a != null ? 'nngp' : '') + (b != null ? 'ntk' : ''))
                if (a != null) {
                    assert from == nextNngp && to > from
                    System.arraycopy(a, 0, nngp, from * cols, (to - from) * cols)
                    nextNngp = to
                }
                if (b != null) {
                    assert from == nextNtk && to > from
                    System.arraycopy(b, 0, ntk, from * cols, (to - from) * cols)
                    nextNtk = to
                }
            }
            boolean nngpFirst() { true }
        }

        when:
        boolean ok = ks.analyticRows(RELU, x1, x2, sink)
        def ref = ks.analytic(RELU, x1, x2)

        then:
        ok && nextNngp == n1 && nextNtk == n1
        calls.unique() == expected
        calls == calls.sort(false) // every NNGP block before the first NTK block
        bits(nngp, ref.nngp().data())
        bits(ntk, ref.ntk().data())

        where:
        n1  | n2  | order                                    | expected
        1   | 0   | 'the NNGP rows, then the NTK rows'        | ['nngp', 'ntk']
        64  | 0   | 'the NNGP rows, then the NTK rows'        | ['nngp', 'ntk']
        65  | 0   | 'the NNGP rows, then the NTK rows'        | ['nngp', 'ntk']
        128 | 0   | 'the NNGP rows, then the NTK rows'        | ['nngp', 'ntk']
        200 | 0   | 'the NNGP rows, then the NTK rows'        | ['nngp', 'ntk']
        130 | 7   | 'x2 given: both in every block'           | ['nngpntk']
    }

    def "a model that is not one fused pass is not streamed (nothing computed): the caller computes it in memory"() {
        given:
        def ks = new RowBlockKernelService(2)
        def x = Tensor.randn(1L, 10, 4)
        int calls = 0
        def sink = { int f, int t, double[] a, double[] b -> calls++ } as org.ntkworkbench.kernel.EntrywiseChain.RowSink

        expect:
        !ks.analyticRows(dense(1), x, null, sink)
        !ks.analyticRows(serial(dense(4), relu(), layerNorm(), dense(1)), x, null, sink)
        !ks.analyticRows(serial(dense(4), relu(), dense(1)), Tensor.randn(2L, 3, 2, 2), null, sink)
        calls == 0
    }
}
