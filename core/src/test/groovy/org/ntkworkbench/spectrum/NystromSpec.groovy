package org.ntkworkbench.spectrum

import org.ntkworkbench.data.CircleDensity
import groovy.transform.CompileStatic
import java.util.function.DoubleUnaryOperator
import spock.lang.Specification

class NystromSpec extends Specification {

    Spectra spectra = new NativeSpectra()

    /** Basri et al.'s two-layer ReLU NTK with bias on S^1: (1/4pi)(t + 1)(pi - arccos t). */
    static final DoubleUnaryOperator BASRI = NystromSpec.&basri as DoubleUnaryOperator

    @CompileStatic
    static double basri(double t) {
        double c = Math.max(-1d, Math.min(1d, t))
        (c + 1) * (Math.PI - Math.acos(c)) / (4 * Math.PI)
    }

    /** Column j of a row-major (m, k) array. */
    @CompileStatic
    static double[] column(double[] a, int k, int j) {
        int m = a.length.intdiv(k) as int
        double[] out = new double[m]
        for (int q = 0; q < m; q++) out[q] = a[q * k + j]
        out
    }

    static double[] grid(int m) { (0..<m).collect { 2 * Math.PI * (it + 0.5d) / m } as double[] }

    def "uniform density: Nystrom eigenvalues approach mu_k and eigenfunctions are cos/sin of frequency k"() {
        given:
        int n = 800
        double[] angles = CircleDensity.uniform(1).sample(n, 4).angles()
        def ny = Nystrom.fitCircle(angles, BASRI, 9, spectra)
        def mu = spectra.sphere(BASRI, 2, 10).expandedDescending(9)
        double[] g = grid(4000)
        double[] phi = ny.eigenfunctionsOnCircle(g)

        expect: 'eigenvalues within 6 CLT standard deviations mu sqrt(2/n)'
        (0..<9).every { int j -> Math.abs(ny.eigenvalues()[j] - mu[j]) <= 6 * mu[j] * Math.sqrt(2d / n) }

        and: 'eigenfunctions 2k-1, 2k (k = 1..4) lie in span{cos k theta, sin k theta}: projection norm^2 > 0.98 of the L2 norm^2'
        (1..4).every { int k ->
            [2 * k - 1, 2 * k].every { int j ->
                double[] f = column(phi, 9, j)
                double c = 0, s = 0, norm = 0
                for (int i = 0; i < g.length; i++) {
                    c += f[i] * Math.cos(k * g[i]); s += f[i] * Math.sin(k * g[i]); norm += f[i] * f[i]
                }
                // uniform measure: (2/m) (c^2 + s^2) is the squared norm of the projection, norm/m the squared norm
                (2d / g.length) * (c * c + s * s) / (norm / g.length) > 0.98d
            }
        }

        and: 'local frequency: 2k zero crossings around the circle, i.e. omega = k'
        (1..4).every { int k ->
            double[] f = column(phi, 9, 2 * k)
            Math.abs(Nystrom.localFrequency(g, f, 0, 2 * Math.PI) - k) < 1e-9
        }

        and: 'at the samples the eigenfunction is sqrt(n) times the eigenvector (the Nystrom identity)'
        Math.abs(ny.eigenfunctionOnCircle(3, [angles[17]] as double[])[0] - Math.sqrt(n) * ny.vectors()[17 * 9 + 3]) < 1e-9
    }

    def "density 4:1 on two half circles: local frequency of high eigenfunctions scales like sqrt(p), ratio about 2"() {
        given:
        def density = new CircleDensity([4d, 1d] as double[])   // weights over the two half circles
        double[] angles = density.sample(1200, 1).angles()
        def ny = Nystrom.fitCircle(angles, BASRI, 41, spectra)
        double[] g = grid(8000)
        double[] phi = ny.eigenfunctionsOnCircle(g)

        when: 'crossing counts summed over eigenfunctions 20..40, away from the density jumps'
        double dense = 0, sparse = 0
        for (int j = 20; j <= 40; j++) {
            double[] f = column(phi, 41, j)
            dense += Nystrom.localFrequency(g, f, 0.3d, Math.PI - 0.3d)
            sparse += Nystrom.localFrequency(g, f, Math.PI + 0.3d, 2 * Math.PI - 0.3d)
        }

        then: 'WKB: -lambda phi_xx = c p phi gives omega ~ sqrt(p / lambda); sqrt(4) = 2 within 15%'
        Math.abs(dense / sparse - 2) < 0.3d
        and: 'the sampler honours the density: 4/5 of the samples in the first half'
        Math.abs((angles as List<Double>).findAll { it < Math.PI }.size() / 1200d - 0.8d) < 4 * Math.sqrt(0.8d * 0.2d / 1200)
        Math.abs(density.density(1d) - 4 / (5 * Math.PI)) < 1e-15
    }

    def "rejection sampling on S^2 from p(x) proportional to 1 + x_0 has E[x_0] = E[x_0^2] = 1/3"() {
        given: 'E_p[x0] = E_u[x0 (1 + x0)] / E_u[1 + x0] = 1/d'
        int n = 20000, d = 3
        double[] x = SphereSampler.fromDensity(n, d, { double[] v -> 1 + v[0] } as java.util.function.ToDoubleFunction, 2d, 3)
        double mean = 0, norms = 0
        for (int i = 0; i < n; i++) { mean += x[i * d]; norms += Math.abs(x[i * d] ** 2 + x[i * d + 1] ** 2 + x[i * d + 2] ** 2 - 1) }
        mean /= n

        expect: 'sd of x0 under p is sqrt(E_p x0^2 - 1/9) = sqrt(1/3 - 1/9) = 0.47 < 0.6, so 4 sd/sqrt(n) < 0.017'
        Math.abs(mean - 1d / 3) < 4 * 0.6d / Math.sqrt(n)
        norms < 1e-12 * n

        when: 'a bound below the density (x0 > 0.5 has uniform probability 1/4, so it is met within 200 draws)'
        SphereSampler.fromDensity(200, d, { double[] v -> 1 + v[0] } as java.util.function.ToDoubleFunction, 1.5d, 3)
        then:
        def ex = thrown(IllegalArgumentException)
        ex.message.contains('outside [0, bound=1.5]')
    }
}
