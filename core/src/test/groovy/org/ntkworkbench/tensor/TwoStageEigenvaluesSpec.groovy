package org.ntkworkbench.tensor

import java.nio.file.Path
import org.ntkworkbench.io.NpyReader
import spock.lang.Specification

/**
 * Eigenvalues only ({@code Lapack.syevd(a, n, false)}) by the Java-driven two-stage reduction
 * ({@link TwoStageEigenvalues}), checked against independent results: NumPy's {@code eigvalsh} of a committed
 * matrix (fixture made by src/test/resources/eigen/make_fixture.py), the trace and Frobenius identities
 * Σλ = tr A and Σλ² = ‖A‖_F², and the one-stage dsyevd (the vectors path) on the same matrix. The route is
 * forced on small matrices by lowering {@code minOrder}; band widths 1, 8 and 32 cover one panel, several
 * panels, and a last panel narrower than the band.
 */
class TwoStageEigenvaluesSpec extends Specification {

    int savedMin, savedBand

    def setup() {
        savedMin = TwoStageEigenvalues.minOrder
        savedBand = TwoStageEigenvalues.bandWidth
        TwoStageEigenvalues.minOrder = 1
    }

    def cleanup() {
        TwoStageEigenvalues.minOrder = savedMin
        TwoStageEigenvalues.bandWidth = savedBand
    }

    static Path fixture(String name) {
        Path.of(TwoStageEigenvaluesSpec.getResource("/eigen/" + name).toURI())
    }

    static double maxAbs(double[] x) {
        double m = 0
        for (double v : x) m = Math.max(m, Math.abs(v))
        m
    }

    def "two-stage eigenvalues (band #kd) of NumPy's fixture equal np.linalg.eigvalsh to 1e-13 of the largest, A unchanged"() {
        given:
        TwoStageEigenvalues.bandWidth = kd
        double[] a = NpyReader.read(fixture("sym45.npy")).data()
        double[] numpy = NpyReader.read(fixture("sym45_eigvalsh.npy")).data()
        double[] a0 = a.clone()

        expect:
        TwoStageEigenvalues.available()

        when:
        double[] ours = Lapack.syevd(a, 45, false).values()
        double diff = 0
        for (int i = 0; i < 45; i++) diff = Math.max(diff, Math.abs(ours[i] - numpy[i]))

        then: 'ascending, as dsyevd; NumPy min -8.74, max 43.07'
        ours.length == 45
        (0..<44).every { ours[it] <= ours[it + 1] }
        diff / maxAbs(numpy) < 1e-13
        a == a0

        where:
        kd << [1, 8, 32, 44]
    }

    def "n = #n, band #kd: trace and Frobenius identities to 1e-13, and the one-stage dsyevd to 1e-12"() {
        given: 'A = G Gᵀ/n + I minus a shift, so that eigenvalues of both signs occur'
        TwoStageEigenvalues.bandWidth = kd
        double[] a = BlockedLinalgSpec.spd(n, 11 + n)
        for (int i = 0; i < n; i++) a[i * n + i] -= 1.5
        double tr = 0, fro = 0
        for (int i = 0; i < n; i++) tr += a[i * n + i]
        for (double x : a) fro += x * x

        when:
        double[] two = Lapack.syevd(a, n, false).values()
        double[] one = Lapack.syevd(a, n, true).values() // with vectors: one dsyevd call
        double sum = 0, sumSq = 0, diff = 0
        for (int i = 0; i < n; i++) {
            sum += two[i]; sumSq += two[i] * two[i]
            diff = Math.max(diff, Math.abs(two[i] - one[i]))
        }

        then:
        Math.abs(sum - tr) / (Math.abs(tr) + maxAbs(two)) < 1e-13
        Math.abs(sumSq - fro) / fro < 1e-13
        diff / maxAbs(one) < 1e-12
        two[0] < 0 && two[n - 1] > 0

        where:
        n   | kd
        2   | 32
        33  | 32
        34  | 32
        97  | 8
        130 | 32
    }

    def "a matrix with tiny entries is scaled as dsyevd scales it: eigenvalues of 1e-160·A are 1e-160 times those of A"() {
        given:
        TwoStageEigenvalues.bandWidth = 8
        double[] a = NpyReader.read(fixture("sym45.npy")).data()
        double[] tiny = a.collect { it * 1e-160 } as double[]

        when:
        double[] big = Lapack.syevd(a, 45, false).values()
        double[] small = Lapack.syevd(tiny, 45, false).values()
        double diff = 0
        for (int i = 0; i < 45; i++) diff = Math.max(diff, Math.abs(small[i] / 1e-160 - big[i]))

        then:
        diff / maxAbs(big) < 1e-13
    }

    def "the overwriting variant (ntk eigen's) gives the same values, bit for bit, and the descending Spectra view of them"() {
        given:
        TwoStageEigenvalues.bandWidth = 8
        double[] a = NpyReader.read(fixture("sym45.npy")).data()
        double[] work = a.clone()

        when:
        double[] kept = Lapack.syevd(a, 45, false).values()
        double[] over = Lapack.eigenvaluesOverwriting(a.clone(), 45)
        double[] desc = new org.ntkworkbench.spectrum.NativeSpectra().eigenvaluesOverwriting(work, 45).values()

        then:
        over == kept
        desc == ((kept as List).reverse() as double[])
        work != a // it was used as the workspace
    }

    def "OpenBLAS's thread count is the same after the call as before"() {
        given:
        int before = BlasThreads.current()
        double[] a = BlockedLinalgSpec.spd(80, 3)

        when:
        Lapack.syevd(a, 80, false)

        then:
        BlasThreads.current() == before
    }
}
