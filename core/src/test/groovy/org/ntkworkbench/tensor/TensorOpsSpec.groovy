package org.ntkworkbench.tensor

import spock.lang.Specification

/** Tensor ops against naive index loops written here from the definitions. */
class TensorOpsSpec extends Specification {

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length]
        for (int i = shape.length - 1; i >= 0; i--) { idx[i] = flat % shape[i]; flat = flat.intdiv(shape[i]) }
        idx
    }

    /** Element of t at a broadcast index of the output shape (NumPy rule, written out). */
    static double at(Tensor t, int[] outIdx) {
        int[] s = t.shape()
        int[] idx = new int[s.length]
        for (int i = 0; i < s.length; i++) {
            int o = outIdx[outIdx.length - s.length + i]
            idx[i] = s[i] == 1 ? 0 : o
        }
        t.get(idx)
    }

    def "broadcasting add/sub/mul/div agree with the NumPy rule elementwise"() {
        given:
        def a = Tensor.randn(1, aShape as int[])
        def b = Tensor.uniform(2, 0.5, 2.0, bShape as int[])
        def out = Tensor.broadcastShape(a.shape(), b.shape())

        expect:
        out == (expected as int[])
        [a.add(b), a.sub(b), a.mul(b), a.div(b)].eachWithIndex { r, k ->
            assert r.shape() == out
            for (int f = 0; f < r.size(); f++) {
                int[] i = unravel(f, out)
                double x = at(a, i), y = at(b, i)
                double e = [x + y, x - y, x * y, x / y][k]
                assert r.data()[f] == e
            }
        }

        where:
        aShape    | bShape    || expected
        [3, 4]    | [3, 4]    || [3, 4]
        [3, 4]    | [4]       || [3, 4]
        [2, 1, 4] | [3, 1]    || [2, 3, 4]
        [5]       | []        || [5]
        [1, 3]    | [2, 1]    || [2, 3]
    }

    def "incompatible shapes name both shapes"() {
        when:
        Tensor.zeros(2, 3).add(Tensor.zeros(4))
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('[2, 3]') && e.message.contains('[4]')
    }

    def "scalar ops"() {
        given:
        def a = Tensor.randn(3, 2, 3)
        expect:
        (0..<6).every { i ->
            a.add(2.5).data()[i] == a.data()[i] + 2.5 && a.mul(-3).data()[i] == -3 * a.data()[i] &&
                    a.sub(1).data()[i] == a.data()[i] - 1 && a.div(4).data()[i] == a.data()[i] / 4
        }
    }

    def "sum and mean over axes, with and without kept axes, match loops"() {
        given:
        def a = Tensor.randn(4, 2, 3, 4)

        when:
        def s02 = a.sum([0, 2] as int[], false)
        def s1k = a.sum([-2] as int[], true)
        def m = a.mean([1] as int[], false)

        then:
        s02.shape() == [3] as int[]
        s1k.shape() == [2, 1, 4] as int[]
        m.shape() == [2, 4] as int[]
        (0..<3).every { j ->
            double e = 0
            for (i in 0..<2) for (k in 0..<4) e += a.get(i, j, k)
            Math.abs(s02.get(j) - e) < 1e-12
        }
        (0..<2).every { i -> (0..<4).every { k ->
            double e = 0
            for (j in 0..<3) e += a.get(i, j, k)
            Math.abs(s1k.get(i, 0, k) - e) < 1e-12 && Math.abs(m.get(i, k) - e / 3) < 1e-12
        } }
        Math.abs(a.mean() - a.sum() / 24) < 1e-15
    }

    def "sumTo is the adjoint of broadcastTo"() {
        given:
        def small = Tensor.randn(5, 3, 1)
        def big = Tensor.randn(6, 2, 3, 4)
        expect:
        Math.abs(small.broadcastTo(2, 3, 4).dot(big) - small.dot(big.sumTo(3, 1))) < 1e-12
    }

    def "permute and transposeLast2 move elements as specified"() {
        given:
        def a = Tensor.randn(7, 2, 3, 4)
        def p = a.permute(2, 0, 1)
        def t = a.transposeLast2()
        expect:
        p.shape() == [4, 2, 3] as int[]
        t.shape() == [2, 4, 3] as int[]
        (0..<2).every { i -> (0..<3).every { j -> (0..<4).every { k ->
            p.get(k, i, j) == a.get(i, j, k) && t.get(i, k, j) == a.get(i, j, k) } } }
        Tensor.randn(1, 3, 5).transpose().get(4, 2) == Tensor.randn(1, 3, 5).get(2, 4)
    }

    def "rows by index list and range, slice and concat round trip"() {
        given:
        def a = Tensor.randn(8, 5, 2, 3)
        expect:
        a.rows(4, 0, 4).shape() == [3, 2, 3] as int[]
        (0..<2).every { j -> a.rows(4, 0, 4).get(1, j, 2) == a.get(0, j, 2) }
        a.rowRange(1, 3).get(0, 1, 1) == a.get(1, 1, 1) && a.rowRange(1, 3).dim(0) == 2
        a.rows(3, 1).get(0, 1, 1) == a.get(3, 1, 1) && a.rows(3, 1).get(1, 0, 2) == a.get(1, 0, 2)
        Tensor.concat(2, a.slice(2, 0, 1), a.slice(2, 1, 3)).bitwiseEquals(a)
        Tensor.concat(0, a.rowRange(0, 2), a.rowRange(2, 5)).bitwiseEquals(a)
        Tensor.concat(-1, a.slice(-1, 0, 2), a.slice(-1, 2, 3)).bitwiseEquals(a)
    }

    def "matmul: plain, folded batch with a shared matrix, and batched match naive sums"() {
        given:
        def a = Tensor.randn(9, 2, 3, 4)
        def w = Tensor.randn(10, 4, 5)
        def bb = Tensor.randn(11, 2, 4, 5)
        def shared = a.matmul(w)
        def batched = a.matmul(bb)
        expect:
        shared.shape() == [2, 3, 5] as int[]
        (0..<2).every { b -> (0..<3).every { i -> (0..<5).every { j ->
            double s = 0, t = 0
            for (k in 0..<4) { s += a.get(b, i, k) * w.get(k, j); t += a.get(b, i, k) * bb.get(b, k, j) }
            Math.abs(shared.get(b, i, j) - s) < 1e-12 && Math.abs(batched.get(b, i, j) - t) < 1e-12
        } } }
    }

    def "gatherPerExample and scatterAddPerExample are adjoint and pad with zeros"() {
        given:
        def x = Tensor.randn(12, 3, 4, 2)
        int[] index = [0, 7, -1, 3, 3, 5]
        def g = x.gatherPerExample(index, 2, 3)
        def y = Tensor.randn(13, 3, 2, 3)
        expect:
        g.shape() == [3, 2, 3] as int[]
        g.get(1, 0, 1) == x.data()[8 + 7]
        g.get(2, 0, 2) == 0.0d
        Math.abs(g.dot(y) - x.dot(y.scatterAddPerExample(index, 4, 2))) < 1e-12
    }
}
