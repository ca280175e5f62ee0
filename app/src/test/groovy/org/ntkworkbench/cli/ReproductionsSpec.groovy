package org.ntkworkbench.cli

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.dsl.ScriptRunner
import org.ntkworkbench.runtime.Workbench
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/** The reproduction scripts at reduced scale, asserting each paper's headline result qualitatively. */
class ReproductionsSpec extends Specification {

    @Shared
    Workbench wb = Workbench.start([])

    @TempDir
    Path dir

    Map run(String script, Map params) {
        def out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream()
        def o = new ScriptRunner(wb, new PrintStream(out, true), new PrintStream(err, true))
                .run(Path.of('..', 'scripts', script), params, dir, false, false)
        assert o.exitCode() == 0: err.toString()
        def m = new JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile())
        assert Files.size(o.runDir().resolve('report.html')) > 1000
        [results: m.results, dir: o.runDir()]
    }

    def "wu2022/spectrum: odd CCP eigenvalues are non-zero where the ReLU ones vanish, and decay slower"() {
        when:
        def r = run('wu2022/spectrum.groovy', [degrees: 12])

        then: 'ReLU: mu_3 = 0 (below the 1e-13 zero threshold); CCP-3: clearly not'
        Math.abs(r.results.mu_ratio_relu_k3) < 1e-13
        r.results.mu_ratio_ccp3_k3 > 1e-3

        and: 'higher degree N keeps more of the high frequencies'
        r.results.mu_ratio_ccp3_k8 > 0
        r.results.mu_ratio_ccp9_k8 > r.results.mu_ratio_ccp6_k8
        r.results.mu_ratio_ccp6_k8 > r.results.mu_ratio_ccp3_k8
        r.results.decay_even_ccp3 > r.results.decay_even_relu   // less negative exponent: slower decay

        and: "the ccp preset's analytic NTK (layer recursions) equals the paper's closed form"
        r.results.closed_form_max_rel_err < 1e-12

        and:
        Files.exists(r.dir.resolve('plots/eigenvalue_ratios.png'))
    }

    def "basri2020/density: in a trained network the sparser regions converge later; the kernel predicts about 1 : 2 : 4"() {
        when:
        def r = run('basri2020/density.groovy', [n: 420, width: 256])

        then: 'the finite two-layer ReLU net with bias: median convergence step grows as the density falls (4 : 2 : 1)'
        r.results.unconverged_points < 420 / 5
        r.results.time_ratio_half > 1.2
        r.results.time_ratio_quarter > r.results.time_ratio_half

        and: 'the linearised dynamics of its NTK, and of Basri et al.\'s kernel: ratios near 1 : 2 : 4 (paper: 1 : 1.96 : 3.89)'
        r.results.unconverged_points_ntk == 0
        r.results.time_ratio_half_ntk > 1.2 && r.results.time_ratio_quarter_ntk > 2.5
        r.results.unconverged_points_kernel == 0
        r.results.time_ratio_half_kernel > 1.4 && r.results.time_ratio_half_kernel < 2.6
        r.results.time_ratio_quarter_kernel > 2.8 && r.results.time_ratio_quarter_kernel < 5.2

        and: 'eigenfunctions oscillate faster where the density is higher, by about sqrt(4) = 2'
        r.results.eigenfunction40_frequency_ratio_dense_over_quarter > 1.5
        r.results.eigenfunction40_frequency_ratio_dense_over_quarter < 2.6

        and: 'the report compares with the paper in one table and draws its ratios as reference markers'
        Files.exists(r.dir.resolve('plots/convergence_steps_finite.png'))
        Files.exists(r.dir.resolve('plots/time_ratio_vs_density.png'))
        Files.readString(r.dir.resolve('tables/paper_vs_ours.csv')).readLines()[0] ==
                'quantity,paper,ours (paper protocol),ours (NTK regime),ours (trained finite net)'
        r.results.ntk_regime_within_15pct_of_paper instanceof Boolean
    }

    def "wu2022/spectral_bias: trained CCP (N = 3) halves its degree-8 residual in fewer GD steps than the trained ReLU net"() {
        when:
        def r = run('wu2022/spectral_bias.groovy', [n: 150, steps: 20000, width: 512])

        then: 'finite networks, same learning rate: the degree-8 zonal-fit coefficient halves sooner for CCP'
        r.results.steps_to_half_k8_ccp3 > 0
        r.results.steps_to_half_k8_relu > 0
        r.results.steps_to_half_k8_ccp3 < r.results.steps_to_half_k8_relu

        and: 'as the linearised prediction of the same instrument says, and degree 1 is learned before degree 8 by both nets'
        r.results.steps_to_half_k8_ccp3_ntk_fit < r.results.steps_to_half_k8_relu_ntk_fit
        r.results.steps_to_half_k1_ccp3 < r.results.steps_to_half_k8_ccp3
        r.results.steps_to_half_k1_relu < r.results.steps_to_half_k8_relu

        and: 'the linearised NTK dynamics (exact term split) and the infinite-n (Funk-Hecke) prediction agree'
        r.results.steps_to_half_k8_ccp3_ntk < r.results.steps_to_half_k8_relu_ntk
        r.results.steps_to_half_k8_ccp3_population < r.results.steps_to_half_k8_relu_population
        r.results.steps_to_half_k1_ccp3_ntk < r.results.steps_to_half_k8_ccp3_ntk
        r.results.steps_to_half_k1_relu_ntk < r.results.steps_to_half_k8_relu_ntk

        and:
        Files.exists(r.dir.resolve('plots/residual_k8_compare.png'))
        Files.exists(r.dir.resolve('plots/residual_k8_finite.png'))
        Files.exists(r.dir.resolve('plots/residual_finite_relu.svg'))
    }

    def "geifman2022/cntk_spectra: non-local products have zero eigenvalues, the CGPK decays faster than the CNTK"() {
        when:
        def r = run('geifman2022/cntk_spectra.groovy', [positions: 4, filter: 2, degrees: 8])

        then: 'products of harmonics outside every receptive field (windows of 2 of 4 positions) are in the null space'
        r.results.receptive_field_size == 2
        r.results.nonlocal_eigen_max_rel < 1e-10

        and: 'local products decay polynomially in the total degree, the NNGP (CGPK) faster'
        r.results.cntk_local_decay_slope < -1
        r.results.cgpk_local_decay_slope < r.results.cntk_local_decay_slope

        and:
        Files.exists(r.dir.resolve('plots/local_eigenvalues.png'))
    }

    def "wu2022/extrapolation: outside the training interval the CCP follows the cubic better, the ReLU net turns linear"() {
        when:
        def r = run('wu2022/extrapolation.groovy', [n: 40, width: 128, steps: 400, nTest: 300, paperN: 2048, paperSteps: 60])

        then: 'both fit the training interval of the cubic (inside RMSE < 1 on targets 2..14)'
        r.results.test_rmse_inside_cubic_ccp < 1
        r.results.test_rmse_inside_cubic_relu < 1

        and: "the paper's headline for the cubic: the CCP extrapolates better, trained and as an NTK predictor"
        r.results.test_rmse_outside_cubic_ccp < r.results.test_rmse_outside_cubic_relu
        r.results.test_rmse_outside_cubic_ccp_ntk < r.results.test_rmse_outside_cubic_relu_ntk
        r.results.test_rmse_cubic_ccp < r.results.test_rmse_cubic_relu

        and: "ReLU becomes linear far outside: its mean |second difference| there is < 2% of the cubic's (NTK) and < 10% (trained); the CCP's is not"
        r.results.rel_curvature_far_outside_cubic_relu_ntk < 0.02
        r.results.rel_curvature_far_outside_cubic_relu < 0.10
        r.results.rel_curvature_far_outside_cubic_ccp_ntk > 0.3
        r.results.rel_curvature_far_outside_cos_relu_ntk < 0.02

        and: 'the four named results exist, with the plots and the report'
        ['test_rmse_cubic_ccp', 'test_rmse_cubic_relu', 'test_rmse_cos_ccp', 'test_rmse_cos_relu'].every { r.results[it] > 0 }
        Files.exists(r.dir.resolve('plots/extrapolation_cubic.png'))
        Files.exists(r.dir.resolve('plots/extrapolation_cos.png'))
        Files.readString(r.dir.resolve('report.html')).contains('extrapolation_cubic')

        and: 'the paper protocol (here a few Adam steps only) runs beside it and fills the comparison table'
        ['cubic', 'cos'].every { t -> ['ccp', 'relu'].every { net -> r.results["paper_test_rmse_outside_${t}_${net}".toString()] > 0 } }
        r.results.paper_claim_holds_cubic instanceof Boolean
        Files.readString(r.dir.resolve('tables/paper_vs_ours.csv')).readLines().size() == 1 + 6
        Files.exists(r.dir.resolve('plots/paper_protocol_cos.png'))
    }
}
