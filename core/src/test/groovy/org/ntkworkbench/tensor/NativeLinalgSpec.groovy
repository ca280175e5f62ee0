package org.ntkworkbench.tensor

import spock.lang.Specification

class NativeLinalgSpec extends Specification {

    def "the native library passes the start-up check"() {
        when:
        NativeCheck.verify()
        then:
        noExceptionThrown()
    }

    def "gemm with transposes matches a naive product"() {
        given:
        def a = Tensor.randn(1, 7, 5)
        def b = Tensor.randn(2, 7, 4)
        double[] c = new double[5 * 4]

        when: 'C = A^T B'
        Blas.gemm(true, false, 5, 4, 7, 1.0, a.data(), b.data(), 0.0, c)

        then:
        (0..<5).every { i ->
            (0..<4).every { j ->
                double s = 0
                for (int l = 0; l < 7; l++) s += a.get(l, i) * b.get(l, j)
                Math.abs(c[i * 4 + j] - s) < 1e-12
            }
        }
    }

    def "syrk gives the symmetric Gram matrix"() {
        given:
        def a = Tensor.randn(3, 6, 9)
        double[] c = new double[36]
        Blas.syrk(false, 6, 9, 1.0, a.data(), 0.0, c)
        def ref = a.matmul(a.transpose())

        expect:
        (0..<36).every { Math.abs(c[it] - ref.data()[it]) < 1e-12 }
        (0..<6).every { i -> (0..<6).every { j -> c[i * 6 + j] == c[j * 6 + i] } }
    }

    def "dsyevd finds the eigenvalues of the path Laplacian"() {
        given: 'tridiagonal 2,-1 of size n: eigenvalues 2 - 2 cos(k pi/(n+1))'
        int n = 50
        double[] a = new double[n * n]
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 2
            if (i > 0) { a[i * n + i - 1] = -1; a[(i - 1) * n + i] = -1 }
        }

        when:
        def eig = Lapack.syevd(a, n, true)

        then:
        (1..n).every { k -> Math.abs(eig.values()[k - 1] - (2 - 2 * Math.cos(k * Math.PI / (n + 1)))) < 1e-12 }

        and: 'A v = lambda v for the first vector (column 0)'
        (0..<n).every { i ->
            double av = 0
            for (int j = 0; j < n; j++) av += a[i * n + j] * eig.vectors()[j * n]
            Math.abs(av - eig.values()[0] * eig.vectors()[i * n]) < 1e-10
        }
    }

    def "potrf factors an SPD matrix and names a failing minor"() {
        given:
        double[] a = [4, 2, 2, 3] as double[]

        when:
        def l = Lapack.potrf(a, 2)

        then:
        Math.abs(l[0] - 2) < 1e-15
        Math.abs(l[2] - 1) < 1e-15
        Math.abs(l[3] - Math.sqrt(2)) < 1e-15
        l[1] == 0

        when:
        Lapack.potrf([1, 2, 2, 1] as double[], 2)

        then:
        def e = thrown(Lapack.LapackException)
        e.info() == 2
        e.message.contains('order 2')
    }
}
