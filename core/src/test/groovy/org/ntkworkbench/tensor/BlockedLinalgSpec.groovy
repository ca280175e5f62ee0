package org.ntkworkbench.tensor

import spock.lang.Specification

/**
 * The in-place (critical downcall) BLAS/LAPACK paths when they split big calls into pieces: the blocked
 * Cholesky (diagonal dpotrf, panel dtrsm, trailing dsyrk/dgemm), row-panel gemm and syrk, column/row-panel
 * trsm. The split is forced on small matrices by lowering the piece size; every result is checked against
 * plain triple loops (a second derivation sharing no code with BLAS).
 */
class BlockedLinalgSpec extends Specification {

    double savedChunk
    int savedBlock

    def setup() {
        savedChunk = Blas.chunkMultiplyAdds
        savedBlock = Lapack.potrfBlock
    }

    def cleanup() {
        Blas.chunkMultiplyAdds = savedChunk
        Lapack.potrfBlock = savedBlock
    }

    /** A = G Gᵀ / k + I, SPD, row-major n×n. */
    static double[] spd(int n, long seed) {
        int k = n + 3
        double[] g = Tensor.randn(seed, n * k).data()
        double[] a = new double[n * n]
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0
                for (int p = 0; p < k; p++) s += g[i * k + p] * g[j * k + p]
                a[i * n + j] = s / k + (i == j ? 1 : 0)
            }
        }
        a
    }

    /** Cholesky–Banachiewicz by hand. */
    static double[] naiveCholesky(double[] a, int n) {
        double[] l = new double[n * n]
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j]
                for (int p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p]
                l[i * n + j] = i == j ? Math.sqrt(s) : s / l[j * n + j]
            }
        }
        l
    }

    def "blocked potrf (block #block, pieces of at most #chunk multiply-adds) equals the hand-written Cholesky and leaves A alone"() {
        given:
        Lapack.potrfBlock = block
        Blas.chunkMultiplyAdds = chunk
        int n = 23
        double[] a = spd(n, 7)
        double[] a0 = a.clone()

        when:
        double[] l = Lapack.potrf(a, n)
        double[] ref = naiveCholesky(a, n)

        then: 'every entry to 1e-13 (entries are O(1)); the upper triangle is exactly 0; the input is unchanged'
        (0..<n * n).every { Math.abs(l[it] - ref[it]) < 1e-13 }
        (0..<n).every { int i -> ((i + 1)..<n).every { int j -> l[i * n + j] == 0d } }
        a == a0

        and: 'potrs solves A x = b for two right-hand sides to 1e-12'
        double[] b = Tensor.randn(3, n * 2).data()
        double[] x = Lapack.potrs(l, n, b, 2)
        (0..<n).every { int i ->
            (0..<2).every { int c ->
                double s = 0
                for (int j = 0; j < n; j++) s += a[i * n + j] * x[j * 2 + c]
                Math.abs(s - b[i * 2 + c]) < 1e-12
            }
        }

        where:
        block | chunk
        512   | 1e18
        5     | 1e18
        4     | 60
        1     | 1
    }

    def "a failing leading minor inside a later block is reported with its global order"() {
        given: 'an SPD matrix whose entry (17, 17) is made negative'
        Lapack.potrfBlock = 5
        int n = 20
        double[] a = spd(n, 11)
        a[17 * n + 17] = -1

        when:
        Lapack.potrf(a, n)

        then:
        def e = thrown(Lapack.LapackException)
        e.info() == 18
        e.message.contains('order 18')
    }

    def "gemm (transA=#ta, transB=#tb) in row panels of one row equals the triple loop"() {
        given:
        Blas.chunkMultiplyAdds = 1
        int m = 7, n = 5, k = 6
        double[] a = Tensor.randn(1, m * k).data()
        double[] b = Tensor.randn(2, k * n).data()
        double[] c = Tensor.randn(3, m * n).data()
        double[] c0 = c.clone()

        when:
        Blas.gemm(ta, tb, m, n, k, 0.5d, a, b, 2d, c)

        then:
        (0..<m).every { int i ->
            (0..<n).every { int j ->
                double s = 0
                for (int p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j])
                Math.abs(c[i * n + j] - (0.5d * s + 2d * c0[i * n + j])) < 1e-13
            }
        }

        where:
        ta << [false, true, false, true]
        tb << [false, false, true, true]
    }

    def "syrk (trans=#tr) in row panels gives the full symmetric Gram matrix"() {
        given:
        Blas.chunkMultiplyAdds = 20
        int n = 9, k = 4
        double[] a = Tensor.randn(5, n * k).data()
        double[] c = new double[n * n]

        when:
        Blas.syrk(tr, n, k, 1.5d, a, 0d, c)

        then:
        (0..<n).every { int i ->
            (0..<n).every { int j ->
                double s = 0
                for (int p = 0; p < k; p++) s += tr ? a[p * n + i] * a[p * n + j] : a[i * k + p] * a[j * k + p]
                Math.abs(c[i * n + j] - 1.5d * s) < 1e-13
            }
        }

        where:
        tr << [false, true]
    }

    def "trsm (left=#left, transA=#ta) in pieces solves the triangular system"() {
        given: 'a well-conditioned lower-triangular A'
        Blas.chunkMultiplyAdds = 1
        int m = 6, n = 4
        int na = left ? m : n
        double[] a = Tensor.randn(8, na * na).data()
        for (int i = 0; i < na; i++) {
            a[i * na + i] = 3 + Math.abs(a[i * na + i])
        }
        double[] b = Tensor.randn(9, m * n).data()
        double[] x = b.clone()
        def lowerA = { int i, int j -> j <= i ? a[i * na + j] : 0d }
        def op = { int i, int j -> ta ? lowerA(j, i) : lowerA(i, j) }

        when:
        Blas.trsm(left, true, ta, m, n, 2d, a, x)

        then: 'op(A) X = 2 B (left) or X op(A) = 2 B (right), to 1e-12'
        (0..<m).every { int i ->
            (0..<n).every { int j ->
                double s = 0
                if (left) {
                    for (int p = 0; p < m; p++) s += op(i, p) * x[p * n + j]
                } else {
                    for (int p = 0; p < n; p++) s += x[i * n + p] * op(p, j)
                }
                Math.abs(s - 2 * b[i * n + j]) < 1e-12
            }
        }

        where:
        left  | ta
        true  | false
        true  | true
        false | false
        false | true
    }
}
