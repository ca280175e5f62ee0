package org.ntkworkbench.nn

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/** Convolution and pooling (im2col + gemm) against direct loops over the definition. */
class ConvSpec extends Specification {

    /** TensorFlow/JAX padding, written out: output size and padding before, per axis. */
    static List<Integer> geometry(int len, int f, int s, String pad) {
        if (pad == 'VALID') return [(int) Math.floor((len - f) / s) + 1, 0]
        int out = (int) Math.ceil(len / (double) s)
        int total = Math.max((out - 1) * s + f - len, 0)
        [out, total.intdiv(2)]
    }

    /** Value of x (n, H, W, C) at (e, i, j, c) with zero or circular padding. */
    static double pixel(Tensor x, int e, int i, int j, int c, String pad) {
        int h = x.dim(1), w = x.dim(2)
        if (pad == 'CIRCULAR') return x.get(e, Math.floorMod(i, h), Math.floorMod(j, w), c)
        (i < 0 || i >= h || j < 0 || j >= w) ? 0.0d : x.get(e, i, j, c)
    }

    /** Direct 2-D convolution z[e,p,q,o] = a Σ_{u,v,c} x[e, p s1 + u − pad1, q s2 + v − pad2, c] W[u,v,c,o] + bStd b[o]. */
    static Tensor naiveConv2d(Tensor x, Tensor w, Tensor b, int[] strides, String pad, double wStd, double bStd) {
        int n = x.dim(0), inC = x.dim(3), f1 = w.dim(0), f2 = w.dim(1), outC = w.dim(3)
        def (int o1, int p1) = geometry(x.dim(1), f1, strides[0], pad)
        def (int o2, int p2) = geometry(x.dim(2), f2, strides[1], pad)
        double a = wStd / Math.sqrt(f1 * f2 * inC)
        Tensor z = Tensor.zeros(n, o1, o2, outC)
        for (e in 0..<n) for (p in 0..<o1) for (q in 0..<o2) for (o in 0..<outC) {
            double s = 0
            for (u in 0..<f1) for (v in 0..<f2) for (c in 0..<inC) {
                s += pixel(x, e, p * strides[0] + u - p1, q * strides[1] + v - p2, c, pad) * w.get(u, v, c, o)
            }
            z.set(a * s + (b == null ? 0 : bStd * b.get(o)), e, p, q, o)
        }
        z
    }

    def "1-D conv: a hand-worked example of VALID, SAME and CIRCULAR padding"() {
        given: 'x = [1, 2, 3, 4], filter of ones of size 3, wStd = sqrt(3) so that the scale is 1'
        def x = Tensor.of([1, 2, 3, 4] as double[], 1, 4, 1)
        def layer = conv(1, [3] as int[], [1] as int[], Padding.parse(pad), Math.sqrt(3), 0)
        def p = ['W': Tensor.full(1.0, 3, 1, 1)]
        expect:
        layer.apply(p, x).data() == expected as double[]
        where:
        pad        || expected
        'VALID'    || [6, 9]
        'SAME'     || [3, 6, 9, 7]
        'CIRCULAR' || [7, 6, 9, 8]
    }

    def "2-D conv (#pad, strides #strides, filter #filter) equals the direct sum"() {
        given:
        def layer = conv(3, filter as int[], strides as int[], Padding.parse(pad), 1.3, 0.4)
        def x = Tensor.randn(1, 2, 5, 6, 2)
        def p = layer.init(2, 5, 6, 2)
        when:
        def z = layer.apply(p, x)
        def e = naiveConv2d(x, p['W'], p['b'], strides as int[], pad, 1.3, 0.4)
        then:
        z.shape() == e.shape()
        z.sub(e).maxAbs() < 1e-12
        where:
        pad        | strides | filter
        'VALID'    | [1, 1]  | [3, 3]
        'VALID'    | [2, 3]  | [2, 3]
        'SAME'     | [1, 1]  | [3, 2]
        'SAME'     | [2, 2]  | [3, 3]
        'SAME'     | [3, 2]  | [2, 4]
        'CIRCULAR' | [1, 1]  | [3, 3]
        'CIRCULAR' | [2, 1]  | [2, 3]
        'CIRCULAR' | [3, 2]  | [4, 2]
    }

    def "1-D conv (#pad, stride #s, filter #f) equals the direct sum (as a height-1 2-D conv)"() {
        given:
        def layer = conv(2, [f] as int[], [s] as int[], Padding.parse(pad), 0.9, 0.0)
        def x = Tensor.randn(3, 2, 7, 3)
        def p = layer.init(4, 7, 3)
        when:
        def z = layer.apply(p, x)
        def w2 = p['W'].reshape(1, f, 3, 2)
        def e = naiveConv2d(x.reshape(2, 1, 7, 3), w2, null, [1, s] as int[], pad == 'CIRCULAR' ? 'CIRCULAR' : pad, 0.9, 0)
        then:
        p.keySet() == ['W'] as Set
        p['W'].shape() == [f, 3, 2] as int[]
        z.shape() == [2, e.dim(2), 2] as int[]
        z.sub(e.reshape(z.shape())).maxAbs() < 1e-12
        where:
        pad        | s | f
        'VALID'    | 1 | 3
        'VALID'    | 2 | 2
        'SAME'     | 1 | 4
        'SAME'     | 3 | 3
        'CIRCULAR' | 1 | 3
        'CIRCULAR' | 2 | 4
    }

    def "standard parameterization of conv gives the same function with scaled parameters and scaled gradients"() {
        given:
        def ntk = conv(2, [2, 2] as int[], null, Padding.SAME, 1.5, 0.5)
        def std = conv(2, [2, 2] as int[], null, Padding.SAME, 1.5, 0.5, Parameterization.STANDARD)
        def p = ntk.init(5, 3, 3, 2)
        double a = 1.5 / Math.sqrt(8)
        def ps = [W: p.W.mul(a), b: p.b.mul(0.5)]
        def x = Tensor.randn(6, 2, 3, 3, 2)
        expect:
        ntk.apply(p, x).sub(std.apply(ps, x)).maxAbs() < 1e-12
        std.init(5, 3, 3, 2).W.sub(p.W.mul(a)).maxAbs() < 1e-15
    }

    def "#word equals the direct window #word (#pad, window #window, strides #strides)"() {
        given:
        def layer = word == 'avgPool' ? avgPool(window as int[], strides as int[], Padding.parse(pad))
                : sumPool(window as int[], strides as int[], Padding.parse(pad))
        def x = Tensor.randn(7, 2, 5, 4, 3)
        when:
        def z = layer.apply([:], x)
        def (int o1, int p1) = geometry(5, window[0], strides[0], pad)
        def (int o2, int p2) = geometry(4, window[1], strides[1], pad)
        double norm = word == 'avgPool' ? window[0] * window[1] : 1
        then:
        z.shape() == [2, o1, o2, 3] as int[]
        (0..<2).every { e -> (0..<o1).every { p -> (0..<o2).every { q -> (0..<3).every { c ->
            double s = 0
            for (u in 0..<window[0]) for (v in 0..<window[1]) s += pixel(x, e, p * strides[0] + u - p1, q * strides[1] + v - p2, c, pad)
            Math.abs(z.get(e, p, q, c) - s / norm) < 1e-12
        } } } }
        where:
        word      | pad        | window | strides
        'avgPool' | 'VALID'    | [2, 2] | [2, 2]
        'avgPool' | 'SAME'     | [3, 2] | [1, 1]
        'avgPool' | 'CIRCULAR' | [2, 3] | [2, 1]
        'sumPool' | 'VALID'    | [3, 1] | [1, 2]
        'sumPool' | 'SAME'     | [2, 2] | [2, 3]
        'sumPool' | 'CIRCULAR' | [3, 3] | [1, 1]
    }

    def "global pools and flatten"() {
        given:
        def x = Tensor.randn(8, 2, 3, 4, 5)
        def gap = globalAvgPool().apply([:], x)
        def gsp = globalSumPool().apply([:], x)
        def fl = flatten().apply([:], x)
        expect:
        gap.shape() == [2, 5] as int[] && gsp.shape() == [2, 5] as int[] && fl.shape() == [2, 60] as int[]
        (0..<2).every { e -> (0..<5).every { c ->
            double s = 0
            for (i in 0..<3) for (j in 0..<4) s += x.get(e, i, j, c)
            Math.abs(gsp.get(e, c) - s) < 1e-12 && Math.abs(gap.get(e, c) - s / 12) < 1e-12
        } }
        fl.get(1, (2 * 4 + 3) * 5 + 4) == x.get(1, 2, 3, 4)
    }
}
