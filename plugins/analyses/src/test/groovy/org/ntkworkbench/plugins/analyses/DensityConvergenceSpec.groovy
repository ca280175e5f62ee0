package org.ntkworkbench.plugins.analyses

import org.ntkworkbench.nn.Layers
import org.ntkworkbench.train.DefaultNetworkTraining
import org.ntkworkbench.train.DefaultTraining
import spock.lang.Specification

class DensityConvergenceSpec extends Specification {

    static final DefaultNetworkTraining TRAINING = new DefaultNetworkTraining(new DefaultTraining())

    static DensityConvergence.Options options(Map o = [:]) {
        new DensityConvergence.Options((o.density ?: [4d, 2d, 1d]) as double[], o.n ?: 40, o.frequency ?: 1, 0d, 0.8d,
                o.steps ?: 0L, o.maxSteps ?: 20000L, 24d, 0.1d, 0.1d, 40, true, o.seed ?: 3L, 8L)
    }

    /** First recorded step with |r_i| < 0.1 max(|y_i|, 0.1), NaN if none; residuals as [step][point]. */
    static double[] firstBelow(double[] steps, List<double[]> r, double[] y) {
        double[] out = new double[y.length]
        Arrays.fill(out, Double.NaN)
        for (int t = 0; t < steps.length; t++) {
            for (int i = 0; i < y.length; i++) {
                if (Double.isNaN(out[i]) && Math.abs(r[t][i]) < 0.1 * Math.max(Math.abs(y[i]), 0.1)) out[i] = steps[t]
            }
        }
        out
    }

    static double median(List<Double> v) {
        def s = v.collect { Double.isNaN(it) ? Double.POSITIVE_INFINITY : it }.sort()
        s.size() % 2 ? s[s.size().intdiv(2)] : (s[s.size().intdiv(2) - 1] + s[s.size().intdiv(2)]) / 2
    }

    def "a linear net: trained and linearised convergence steps equal the closed form of the 2-D residual dynamics"() {
        given: 'f(x) = w . x / sqrt(2) on x = (cos t, sin t): NTK x.x\'/2, exact at any width; target sin t = x . e2'
        def r = DensityConvergence.run(TRAINING, Layers.dense(1), options(steps: 400L))
        double[][] x = r.sample().points().toArray2d()
        int n = x.length

        and: 'the residual stays X a_t with a_0 = -e2 and a_{t+1} = (I - lr A/(2n)) a_t, A = X^T X; A = sum mu_j u_j u_j^T in closed form'
        double a11 = (0..<n).sum { x[it][0] * x[it][0] }, a22 = (0..<n).sum { x[it][1] * x[it][1] }, a12 = (0..<n).sum { x[it][0] * x[it][1] }
        double tr = a11 + a22, disc = Math.sqrt((a11 - a22) * (a11 - a22) / 4 + a12 * a12)
        double[] mu = [tr / 2 + disc, tr / 2 - disc]
        // eigenvectors of the symmetric 2x2 matrix, unit length
        def u = mu.collect { m -> double vx = a12, vy = m - a11; double len = Math.hypot(vx, vy); [vx / len, vy / len] as double[] }
        double lr = r.lr()
        def residualAt = { double t ->
            double[] a = new double[2]
            for (int j = 0; j < 2; j++) {
                double c = -u[j][1] * Math.pow(1 - lr * mu[j] / (2 * n), t)   // (u_j . a_0) decayed
                a[0] += c * u[j][0]; a[1] += c * u[j][1]
            }
            (0..<n).collect { x[it][0] * a[0] + x[it][1] * a[1] } as double[]
        }
        double[] steps = r.curves().steps()
        double[] hand = firstBelow(steps, steps.collect { residualAt(it) }, r.targets())

        expect: 'the default rate is 0.8 x 2n / lambda_max(Theta), lambda_max = mu_max / 2 (relative 1e-10)'
        Math.abs(lr - 0.8 * 2 * n / (mu[0] / 2)) < 1e-10 * lr

        and: 'every point converges, at the same recorded step as the closed form, for the net and the linearised prediction'
        r.unconverged() == 0 && r.unconvergedNtk() == 0
        (0..<n).every { r.ntkPoints()[it] == hand[it] }
        (0..<n).every { r.finitePoints()[it] == hand[it] }
    }

    def "regions are the density's arcs; medians and ratios are those of the per-point steps grouped by the arc boundaries"() {
        given:
        def r = DensityConvergence.run(TRAINING, Layers.dense(1), options(n: 300, steps: 200L, seed: 11L))
        double[] theta = r.sample().angles()
        int n = theta.length
        def arc = { double t -> (int) Math.floor(t / (2 * Math.PI / 3)) }

        expect: 'each point lies on its arc [2 pi j/3, 2 pi (j+1)/3)'
        (0..<n).every { theta[it] >= 0 && theta[it] < 2 * Math.PI && r.sample().pieces()[it] == arc(theta[it]) }

        and: 'arc counts match the probabilities 4/7, 2/7, 1/7 within 4 binomial standard deviations'
        [4d / 7, 2d / 7, 1d / 7].withIndex().every { double p, int j ->
            Math.abs((0..<n).count { arc(theta[it]) == j } - n * p) < 4 * Math.sqrt(n * p * (1 - p))
        }

        and: 'medians (unconverged = +infinity) and ratios to the densest arc, recomputed here, agree exactly'
        (0..2).every { j ->
            def idx = (0..<n).findAll { arc(theta[it]) == j }
            median(idx.collect { r.finitePoints()[it] }) == r.finiteMedians()[j] &&
                    median(idx.collect { r.ntkPoints()[it] }) == r.ntkMedians()[j] &&
                    Math.abs(r.ratios()[j] - r.finiteMedians()[j] / r.finiteMedians()[0]) <= 1e-15 * r.ratios()[j]
        }
        r.results().time_ratio_region2_ntk == r.ntkMedians()[2] / r.ntkMedians()[0]
        r.results().median_steps_region1 == r.finiteMedians()[1]
    }

    def "a ReLU net's linearised convergence steps equal plain GD iteration of r <- r - (lr/n) Theta r"() {
        given:
        def net = Layers.serial(Layers.dense(64, 1d, 1d), Layers.relu(), Layers.dense(1))
        def r = DensityConvergence.run(TRAINING, net, options(n: 30, frequency: 2, steps: 300L))
        int n = 30
        double[][] theta = net.kernel(r.sample().points()).ntk().toArray2d()
        double[] steps = r.curves().steps()

        and: 'the linearised dynamics stepped one GD update at a time (no eigendecomposition)'
        double[] res = r.targets().collect { -it } as double[]
        List<double[]> recorded = []
        int s = 0
        for (long t = 0; t <= 300; t++) {
            if (s < steps.length && steps[s] == t) { recorded << res.clone(); s++ }
            double[] g = (0..<n).collect { i -> (0..<n).sum { j -> theta[i][j] * res[j] } } as double[]
            for (int i = 0; i < n; i++) res[i] -= r.lr() / n * g[i]
        }
        double[] hand = firstBelow(steps, recorded, r.targets())

        expect: 'the same recorded step for every point (both NaN where a point never converged)'
        recorded.size() == steps.length
        (0..<n).every { (Double.isNaN(hand[it]) && Double.isNaN(r.ntkPoints()[it])) || hand[it] == r.ntkPoints()[it] }
        (0..<n).count { !Double.isNaN(hand[it]) } > n / 2
    }

    def "Basri et al.'s headline on a small case: the sparser the arc, the later its points converge (net and NTK)"() {
        given: 'two-layer ReLU net with bias, width 256, 200 points at density 4 : 2 : 1, target sin(4 theta), automatic length (at most 8000)'
        def net = Layers.serial(Layers.dense(256, 1d, 1d), Layers.relu(), Layers.dense(1))
        def r = DensityConvergence.run(TRAINING, net, options(n: 200, frequency: 4, seed: 0L, maxSteps: 8000L))
        println "headline: steps ${r.steps()}, ${String.format('%.2f', r.seconds())} s, finite ${r.finiteMedians()} ntk ${r.ntkMedians()}, unconverged ${r.unconverged()}"

        expect: 'the linearised NTK: every point converges, medians grow by > 1.3x per halving of the density'
        r.unconvergedNtk() == 0
        r.ntkRatios()[0] == 1d
        r.ntkRatios()[1] > 1.3 && r.ntkRatios()[2] > 1.3 * r.ntkRatios()[1]

        and: 'the trained net: fewer than a fifth unconverged, the quarter-density arc > 1.5x later than the densest'
        r.unconverged() < 40
        r.ratios()[1] > 1.1 && r.ratios()[2] > 1.5 && r.ratios()[2] > r.ratios()[1]

        and: 'the automatic length is 24x the slowest linearised median, capped at maxSteps'
        r.steps() == Math.min(8000L, (long) Math.ceil(24 * DensityConvergence.linearisedMedians(TRAINING, net.kernel(r.sample().points()).ntk(),
                r.targets(), r.sample().pieces(), 3, r.lr(), 8000L, 40, 0.1d, 0.1d).max()))
    }

    def "bad options are refused with a message naming them"() {
        when:
        new DensityConvergence.Options([4d, -1d] as double[], 10, 1, 0, 0.8, 0, 100, 24, 0.1, 0.1, 40, true, 0, 0)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('piece weights')
    }
}
