package org.ntkworkbench.tensor

import spock.lang.Specification

/** Blas.gemm on Java arrays in place (critical downcall): all transposes, offsets, alpha and beta. */
class HeapGemmSpec extends Specification {

    def "gemm(transA=#ta, transB=#tb) with offsets, alpha and beta matches a naive triple loop"() {
        given: 'op(A) 5×7, op(B) 7×4, C 5×4, each stored after a few leading values'
        int m = 5, n = 4, k = 7, offA = 3, offB = 2, offC = 5
        double[] a = Tensor.randn(1, offA + m * k).data()
        double[] b = Tensor.randn(2, offB + k * n).data()
        double[] c = Tensor.randn(3, offC + m * n + 2).data()
        double[] c0 = c.clone()
        double alpha = 0.7d, beta = -1.3d
        def opA = { int i, int p -> ta ? a[offA + p * m + i] : a[offA + i * k + p] }
        def opB = { int p, int j -> tb ? b[offB + j * k + p] : b[offB + p * n + j] }

        when:
        Blas.gemm(ta, tb, m, n, k, alpha, a, offA, b, offB, beta, c, offC)

        then: 'entries agree to 1e-13; values outside C are untouched'
        (0..<m).every { int i ->
            (0..<n).every { int j ->
                double s = 0
                for (int p = 0; p < k; p++) s += opA(i, p) * opB(p, j)
                Math.abs(c[offC + i * n + j] - (alpha * s + beta * c0[offC + i * n + j])) < 1e-13
            }
        }
        (0..<offC).every { c[it] == c0[it] }
        c[offC + m * n] == c0[offC + m * n] && c[offC + m * n + 1] == c0[offC + m * n + 1]

        where:
        ta    | tb
        false | false
        true  | false
        false | true
        true  | true
    }

    def "an array too short for its matrix is refused before the native call"() {
        when:
        Blas.gemm(false, false, 3, 3, 3, 1d, new double[9], 1, new double[9], 0, 0d, new double[9], 0)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == 'gemm: A needs 9 values from offset 1 but its array has 9'
    }

    def "C sharing its array with A (BLAS forbids aliasing) still gives the product, through the copying path"() {
        given: 'A is 2×2 at offset 0 and C is written at offset 4 of the same array'
        double[] buf = [1d, 2d, 3d, 4d, 0d, 0d, 0d, 0d]
        double[] b = [5d, 6d, 7d, 8d]

        when:
        Blas.gemm(false, false, 2, 2, 2, 1d, buf, 0, b, 0, 0d, buf, 4)

        then:
        buf as List == [1d, 2d, 3d, 4d, 19d, 22d, 43d, 50d]
    }
}
