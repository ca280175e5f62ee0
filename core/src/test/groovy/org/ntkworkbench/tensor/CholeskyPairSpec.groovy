package org.ntkworkbench.tensor

import spock.lang.Specification

/**
 * {@link CholeskyPair}: both FALKON factors in one m × m array. Checked against products formed
 * independently: T = Lᵀ from {@link Lapack#potrf} of the same K, and M = Lᵀ L · scale + λ I formed by
 * gemm (M = Aᵀ A, so A⁻¹ A⁻ᵀ u solves M x = u). m = 300 is not a multiple of the 64-entry copy tiles.
 */
class CholeskyPairSpec extends Specification {
    static double[] spd(int m, int rank, long seed, double ridge) {
        def g = Tensor.randn(seed, m, rank)
        double[] k = g.matmul(g.transpose()).data()
        for (int i = 0; i < m; i++) k[i * m + i] += ridge
        k
    }

    static double[] times(double[] a, int m, double[] x, int k) {
        Tensor.of(a, m, m).matmul(Tensor.of(x, m, k)).data()
    }

    static double relErr(double[] a, double[] b) {
        double d = 0, s = 0
        for (int i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); s = Math.max(s, Math.abs(b[i])) }
        d / s
    }

    static CholeskyPair factored(double[] kk, int m, double scale, double lambda) {
        def p = CholeskyPair.allocate(m)
        p.setRows(0, Arrays.copyOfRange(kk, 0, 100 * m), 100)       // in two row blocks, as Falkon gives them
        p.setRows(100, Arrays.copyOfRange(kk, 100 * m, m * m), m - 100)
        p.factor(scale, lambda)
        p
    }

    def "T = L^T and A with A^T A = L^T L scale + lambda I solve as the independently formed matrices (1e-10)"() {
        given:
        int m = 300
        int k = 3
        double scale = 1.0 / m
        double lambda = 1e-3
        double[] kk = spd(m, 400, 1, 0.0)
        def p = factored(kk, m, scale, lambda)
        double[] l = Lapack.potrf(kk, m)
        double[] t = Tensor.of(l, m, m).transpose().data()
        double[] mm = Tensor.of(t, m, m).matmul(Tensor.of(l, m, m)).data()     // Lᵀ L
        for (int i = 0; i < m * m; i++) mm[i] *= scale
        for (int i = 0; i < m; i++) mm[i * m + i] += lambda
        double[] u = Tensor.randn(2, m, k).data()

        expect: 'no jitter for a positive definite K'
        p.jitter() == 0d

        when:
        double[] x1 = u.clone(); p.solveT(x1, k)
        double[] x2 = u.clone(); p.solveTTransposed(x2, k)
        double[] x3 = u.clone(); p.solveATransposed(x3, k); p.solveA(x3, k)
        double[] tt = Tensor.of(t, m, m).transpose().data()

        then: 'T x1 = u, T^T x2 = u, M x3 = u'
        relErr(times(t, m, x1, k), u) < 1e-10
        relErr(times(tt, m, x2, k), u) < 1e-10
        relErr(times(mm, m, x3, k), u) < 1e-10
    }

    def "a singular K (rank 50 of 300) is factored with the smallest jitter that works, and T is the factor of K + jitter I"() {
        given:
        int m = 300
        int k = 2
        double[] kk = spd(m, 50, 3, 0.0)
        def p = factored(kk, m, 1.0 / m, 1e-2)

        expect:
        p.jitter() > 0

        when:
        double[] kj = kk.clone()
        for (int i = 0; i < m; i++) kj[i * m + i] += p.jitter()
        double[] t = Tensor.of(Lapack.potrf(kj, m), m, m).transpose().data()
        double[] u = Tensor.randn(4, m, k).data()
        double[] x = u.clone(); p.solveT(x, k)

        then: 'T x = u to 1e-4 (measured 3.2e-6: T has condition number ~ sqrt(max eigenvalue / jitter), so the residual is far from 1e-16)'
        relErr(times(t, m, x, k), u) < 1e-4
    }
}
