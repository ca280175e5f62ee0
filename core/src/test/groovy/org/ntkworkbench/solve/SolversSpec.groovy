package org.ntkworkbench.solve

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.memory.MemoryBudgetException
import org.ntkworkbench.memory.MemoryPlanner
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Lapack
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/** The iterative and out-of-core solvers against direct LAPACK solves (dpotrf/dpotrs) on small problems. */
class SolversSpec extends Specification {
    static final Layer NET = serial(dense(64, 1.0, 0.1), relu(), dense(64, 1.0, 0.1), relu(), dense(1))

    static double[] targets(int n, int k, long seed) {
        def t = Tensor.randn(seed, n, k)
        t.data()
    }

    static double relErr(double[] a, double[] b) {
        double num = 0, den = 0
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i])
            den += b[i] * b[i]
        }
        Math.sqrt(num / den)
    }

    static double[] ridge(double[] k, int n, double r) {
        double[] a = k.clone()
        for (int i = 0; i < n; i++) a[i * n + i] += r
        a
    }

    def "conjugate gradients on K + rI with three right-hand sides agree with a Cholesky solve to the stated tolerance"() {
        given:
        int n = 120
        int k = 3
        def x = Tensor.randn(1, n, 5)
        double[] kk = ridge(NET.kernel(x).ntk().data(), n, 0.05)
        double[] b = targets(n, k, 2)
        double[] direct = Lapack.potrs(Lapack.potrf(kk, n), n, b, k)

        when:
        def r = ConjugateGradients.solve(LinearOperator.dense(kk, n), b, k, ConjugateGradients.Preconditioner.IDENTITY,
                1e-10, 1000, ProgressBar.silent())

        then:
        r.converged()
        r.relativeResidual() <= 1e-9
        r.iterations() > 5 && r.iterations() <= n + 20
        relErr(r.x(), direct) <= 1e-7

        when: 'a Jacobi preconditioner reaches the same solution'
        def jac = { double[] res, int kk2, double[] out ->
            for (int i = 0; i < n; i++) for (int c = 0; c < kk2; c++) out[i * kk2 + c] = res[i * kk2 + c] / kk[i * n + i]
        } as ConjugateGradients.Preconditioner
        def rj = ConjugateGradients.solve(LinearOperator.dense(kk, n), b, k, jac, 1e-10, 1000, ProgressBar.silent())

        then:
        rj.converged()
        relErr(rj.x(), direct) <= 1e-7

        when: 'an iteration cap too small is reported, not hidden'
        def capped = ConjugateGradients.solve(LinearOperator.dense(kk, n), b, k, ConjugateGradients.Preconditioner.IDENTITY,
                1e-14, 2, ProgressBar.silent())
        then:
        !capped.converged()
        capped.iterations() == 2
    }

    def "FALKON with m = n centres is kernel ridge regression: predictions equal the direct solve to the stated tolerance"() {
        given: 'lambda n = 0.1 mean(diag K) (diag-reg 0.1)'
        int n = 150
        int k = 2
        def x = Tensor.randn(3, n, 5)
        def xt = Tensor.randn(4, 40, 5)
        double[] kk = NET.kernel(x).ntk().data()
        double meanDiag = (0..<n).sum { kk[it * n + it] } / n
        double lambda = Falkon.lambdaForDiagReg(0.1, meanDiag, n)
        double[] y = targets(n, k, 5)
        double[] coef = Lapack.potrs(Lapack.potrf(ridge(kk, n, lambda * n), n), n, y, k)
        double[] kt = NET.kernel(xt, x).ntk().data()
        double[] direct = new double[40 * k]
        org.ntkworkbench.tensor.Blas.gemm(false, false, 40, k, n, 1.0, kt, coef, 0.0, direct)

        when:
        def opts = Falkon.Options.of(n, lambda).withTolerance(1e-10, 200).withBlockRows(37)
        def f = Falkon.fit(KernelFunction.of(NET, 'ntk'), x, y, k, opts, MemoryPlanner.ofBytes(1L << 30), ProgressBar.silent())
        def p = f.predict(xt, 16)

        then:
        f.report().converged()
        f.report().iterations() < 60
        f.report().method() == 'falkon'
        f.report().toMap().centres == n
        relErr(p.data(), direct) <= 1e-7

        when: 'float32 storage of K(X, C) with float64 accumulation: close to float32 precision'
        def f32 = Falkon.fit(KernelFunction.of(NET, 'ntk'), x, y, k, opts.withFloat32(true), MemoryPlanner.ofBytes(1L << 30),
                ProgressBar.silent())
        then:
        relErr(f32.predict(xt, 16).data(), direct) <= 1e-4
        f32.report().toMap().storage == 'float32'
    }

    def "FALKON with m < n centres approaches the full solution as m grows, and the planner refuses a solve over budget"() {
        given:
        int n = 300
        def x = Tensor.randn(6, n, 4)
        double[] y = new double[n]
        for (int i = 0; i < n; i++) y[i] = Math.sin(2 * x.get(i, 0)) + x.get(i, 1)
        double[] kk = NET.kernel(x).ntk().data()
        double meanDiag = (0..<n).sum { kk[it * n + it] } / n
        double lambda = Falkon.lambdaForDiagReg(1e-3, meanDiag, n)
        double[] full = new double[n]
        org.ntkworkbench.tensor.Blas.gemm(false, false, n, 1, n, 1.0, kk,
                Lapack.potrs(Lapack.potrf(ridge(kk, n, lambda * n), n), n, y, 1), 0.0, full)

        when:
        def errs = [30, 100, 300].collect { m ->
            def f = Falkon.fit(KernelFunction.of(NET, 'ntk'), x, y, 1, Falkon.Options.of(m, lambda).withTolerance(1e-9, 300),
                    MemoryPlanner.ofBytes(1L << 30), ProgressBar.silent())
            relErr(f.predict(x, 64).data(), full)
        }

        then:
        errs[0] > errs[1]
        errs[1] > errs[2]
        errs[2] <= 1e-6

        when:
        Falkon.fit(KernelFunction.of(NET, 'ntk'), x, y, 1, Falkon.Options.of(100, lambda), MemoryPlanner.ofBytes(10_000),
                ProgressBar.silent())
        then:
        MemoryBudgetException e = thrown()
        e.message.contains('Nystrom solve with 100 centres of 300 examples')
    }

    def "the blocked Cholesky over file tiles agrees with dpotrf/dpotrs: float64 to 1e-10, float32 tiles to 1e-4"() {
        given: 'n = 203 with 64-row tiles (the last one ragged), K + 0.1 I, two right-hand sides'
        int n = 203
        int k = 2
        def x = Tensor.randn(8, n, 5)
        double[] kk = ridge(NET.kernel(x).ntk().data(), n, 0.1)
        double[] b = targets(n, k, 9)
        double[] direct = Lapack.potrs(Lapack.potrf(kk, n), n, b, k)
        def source = { int r0, int r1, int c0, int c1, double[] out ->
            for (int i = r0; i < r1; i++) for (int j = c0; j < c1; j++) out[(i - r0) * (c1 - c0) + (j - c0)] = kk[i * n + j]
        } as BlockedCholesky.TileSource
        def dir = java.nio.file.Files.createTempDirectory('chol')

        when:
        def c64 = BlockedCholesky.factor(n, 64, false, dir.resolve('t64'), source, MemoryPlanner.ofBytes(1L << 30), ProgressBar.silent())
        def x64 = c64.solve(b, k)
        def c32 = BlockedCholesky.factor(n, 64, true, dir.resolve('t32'), source, MemoryPlanner.ofBytes(1L << 30), ProgressBar.silent())
        def x32 = c32.solve(b, k)

        then:
        relErr(x64, direct) <= 1e-10
        relErr(x32, direct) <= 1e-4
        relErr(x32, direct) > 1e-12
        java.nio.file.Files.size(dir.resolve('t32')) * 2 == java.nio.file.Files.size(dir.resolve('t64'))

        when:
        c64.close()
        c32.close()
        then:
        dir.toFile().list().length == 0

        when: 'not positive definite'
        double[] bad = kk.clone()
        bad[150 * n + 150] = -1
        def badSource = { int r0, int r1, int c0, int c1, double[] out ->
            for (int i = r0; i < r1; i++) for (int j = c0; j < c1; j++) out[(i - r0) * (c1 - c0) + (j - c0)] = bad[i * n + j]
        } as BlockedCholesky.TileSource
        BlockedCholesky.factor(n, 64, false, dir.resolve('tb'), badSource, MemoryPlanner.ofBytes(1L << 30), ProgressBar.silent())
        then:
        ArithmeticException e = thrown()
        e.message.contains('not positive definite in rows 128..192')
        dir.toFile().list().length == 0
    }

    def "a diagonal regulariser r gives lambda = r mean(diag K(C, C)) / n; centresFor picks the most centres the budget holds"() {
        given:
        int n = 80
        def x = Tensor.randn(11, n, 4)
        double[] kk = NET.kernel(x).ntk().data()
        double meanDiag = (0..<n).sum { kk[it * n + it] } / n
        double[] y = targets(n, 1, 12)

        when: 'm = n: the centres are all rows, so the mean diagonal is exact'
        def byReg = Falkon.fit(KernelFunction.of(NET, 'ntk'), x, y, 1, Falkon.Options.ofDiagReg(n, 0.01).withTolerance(1e-10, 200),
                MemoryPlanner.ofBytes(1L << 30), ProgressBar.silent())
        def byLambda = Falkon.fit(KernelFunction.of(NET, 'ntk'), x, y, 1,
                Falkon.Options.of(n, Falkon.lambdaForDiagReg(0.01, meanDiag, n)).withTolerance(1e-10, 200),
                MemoryPlanner.ofBytes(1L << 30), ProgressBar.silent())

        then:
        Math.abs(byReg.report().toMap().lambda - 0.01 * meanDiag / n) <= 1e-12 * meanDiag
        relErr(byReg.alpha(), byLambda.alpha()) <= 1e-9

        expect:
        int m = Falkon.centresFor(60000, 10, true, 1024, 8_000_000_000L, 100_000)
        Falkon.estimateBytes(60000, m, 10, true, 1024) <= 8_000_000_000L
        Falkon.estimateBytes(60000, m + 1, 10, true, 1024) > 8_000_000_000L
        Falkon.centresFor(100, 1, false, 64, 10, 50) == 0
        Falkon.centresFor(100, 1, false, 64, Long.MAX_VALUE, 50) == 50
    }
}
