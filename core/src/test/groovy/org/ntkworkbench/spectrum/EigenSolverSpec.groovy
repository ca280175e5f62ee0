package org.ntkworkbench.spectrum

import static org.ntkworkbench.spectrum.SpectrumFixtures.*

import spock.lang.Specification

class EigenSolverSpec extends Specification {

    Spectra spectra = new NativeSpectra()

    def "eigh returns a prescribed spectrum in descending order with eigenvectors"() {
        given: 'A = Q diag(λ) Qᵀ with known λ'
        int n = 60
        double[] lambda = (0..<n).collect { i -> Math.cos(0.37d * i) * (i + 1) } as double[]
        double[] a = withSpectrum(lambda, 3)
        double[] sorted = lambda.clone(); Arrays.sort(sorted)

        when:
        def e = spectra.eigh(a, n, true)

        then:
        (0..<n).every { j -> Math.abs(e.values()[j] - sorted[n - 1 - j]) < 1e-12 * n }
        maxResidual(a, n, e) < 1e-11
        orthonormalityError(e) < 1e-12
        and: 'signs are fixed: the largest-magnitude component of each vector is positive'
        (0..<n).every { j -> double[] v = e.vector(j); v.max { Math.abs(it) } > 0 }
    }

    def "top-k of a sphere Gram matrix agrees with the full decomposition to 1e-8"() {
        given: 'K/n of the ReLU NTK on n = 900 points of S^2 (clusters of near-equal eigenvalues)'
        int n = 900, d = 3, k = 20
        double[] x = spherePoints(n, d, 11)
        double[] g = gramOverN(x, n, d, RELU_NTK)

        when:
        def full = spectra.eigh(g, n, false)
        def top = spectra.topK(g, n, k, true)

        then:
        top.converged()
        top.count() == k
        (0..<k).every { j -> Math.abs(top.values()[j] - full.values()[j]) <= 1e-8 * Math.abs(full.values()[j]) }
        maxResidual(g, n, top) < 1e-10 * full.values()[0]
        orthonormalityError(top) < 1e-12
        and: 'far fewer products than a dense decomposition would need'
        top.products() < n
    }

    def "top-k of an implicit operator: diagonal plus low rank, never formed"() {
        given: 'A = D + u uᵀ with D = diag(1/(i+1)); eigenvalues are the roots of the secular equation'
        int n = 3000, k = 8
        double[] dg = (0..<n).collect { i -> 1.0d / (i + 1) } as double[]
        double[] u = (0..<n).collect { i -> Math.sin(i + 1.0d) / Math.sqrt(n) } as double[]
        def op = new SymmetricOperator() {
            int size() { n }
            void apply(double[] v, int count, double[] out) { diagPlusRank1(dg, u, v, count, out) }
        }
        // Independent oracle: secular equation 1 + Σ u_i²/(d_i − λ) = 0 solved by bisection on each
        // interval (d_{j}, d_{j-1}) (descending d), and above d_0 for the largest.
        double unorm2 = (0..<n).sum { i -> u[i] * u[i] } as double
        List<Double> expected = []
        for (int j = 0; j < k; j++) {
            double lo = dg[j], hi = j == 0 ? dg[0] + unorm2 : dg[j - 1]
            for (int it = 0; it < 200; it++) {
                double mid = 0.5d * (lo + hi)
                // f increases on each interval; from −∞ at lo+ to +∞ at hi−
                if (secular(dg, u, mid) < 0) lo = mid else hi = mid
            }
            expected << 0.5d * (lo + hi)
        }

        when:
        def top = spectra.topK(op, k, true, TopKOptions.defaults())

        then:
        top.converged()
        (0..<k).every { j -> Math.abs(top.values()[j] - expected[j]) <= 1e-9 * expected[j] }
    }

    def "top-k takes the algebraically largest eigenvalues of an indefinite matrix and handles low rank"() {
        given:
        int n = 700
        double[] lambda = new double[n]
        // rank 6: three positive, three strongly negative eigenvalues, rest exactly zero
        [5.0d, 3.0d, 2.0d, -9.0d, -7.0d, -6.0d].eachWithIndex { double v, int i -> lambda[i * 50] = v }
        double[] a = withSpectrum(lambda, 5)

        when:
        def top = spectra.topK(a, n, 4, false)

        then: 'the top four are 5, 3, 2 and 0 although |−9| is the largest magnitude'
        top.converged()
        Math.abs(top.values()[0] - 5) < 1e-10
        Math.abs(top.values()[1] - 3) < 1e-10
        Math.abs(top.values()[2] - 2) < 1e-10
        Math.abs(top.values()[3]) < 1e-10
    }

    def "top-k of a Gram operator F F^T with n = 50 000 (never formed) matches the dense eigenvalues of F^T F"() {
        given: 'F is (n, 40) with decaying column scales; the non-zero eigenvalues of F F^T are those of F^T F'
        int n = 50000, p = 40, k = 12
        double[] f = decayingFeatures(n, p, 9)
        double[] small = new double[p * p]
        org.ntkworkbench.tensor.Blas.gemm(true, false, p, p, n, 1.0d, f, f, 0.0d, small)
        def dense = spectra.eigh(small, p, false)

        when:
        def top = spectra.topK(SymmetricOperator.gram(f, n, p), k, true, TopKOptions.defaults().withSeed(4))

        then:
        top.converged()
        (0..<k).every { int j -> Math.abs(top.values()[j] - dense.values()[j]) <= 1e-10 * dense.values()[j] }
        orthonormalityError(top) < 1e-12
    }

    def "the dense operator (matrix resident in native memory) applies A to each vector of a block"() {
        given: 'a symmetric 37x37 matrix and a block of three vectors'
        int n = 37
        int count = 3
        double[] a = withSpectrum((0..<n).collect { it * 0.1d - 1 } as double[], 8)
        double[] v = new double[count * n]
        org.ntkworkbench.tensor.SeededRandom.derived(2, 'block').fillGaussian(v)
        double[] out = new double[count * n]

        when:
        SymmetricOperator.dense(a, n).apply(v, count, out)

        then: 'naive sums over the row-major matrix'
        (0..<count).every { int j ->
            (0..<n).every { int i ->
                double s = 0
                for (int l = 0; l < n; l++) s += a[i * n + l] * v[j * n + l]
                Math.abs(out[j * n + i] - s) < 1e-13
            }
        }
    }

    def "the matrix-free kernel operator gives the same top-k as the stored Gram matrix"() {
        given: 'n = 700 points on S^2, K/n of the ReLU NTK, rows recomputed in blocks of 128'
        int n = 700, d = 3, k = 10
        double[] x = spherePoints(n, d, 31)
        double[] g = gramOverN(x, n, d, RELU_NTK)
        def full = spectra.eigh(g, n, false)

        when:
        def top = spectra.topK(SymmetricOperator.dotProductKernel(x, n, d, RELU_NTK, n, 128), k, false, TopKOptions.defaults())

        then:
        top.converged()
        (0..<k).every { int j -> Math.abs(top.values()[j] - full.values()[j]) <= 1e-8 * full.values()[j] }
    }

    def "the Guice module binds the service"() {
        expect:
        com.google.inject.Guice.createInjector(new SpectrumModule()).getInstance(Spectra) instanceof NativeSpectra
    }

    def "bad input is rejected with a message naming the argument"() {
        when:
        spectra.topK(new double[16], 4, 5, false)
        then:
        def ex = thrown(IllegalArgumentException)
        ex.message.contains('k=5')

        when:
        spectra.eigh(new double[15], 4, false)
        then:
        ex = thrown(IllegalArgumentException)
        ex.message.contains('4x4')
    }
}
