package org.ntkworkbench.cli

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.dsl.ScriptRunner
import org.ntkworkbench.runtime.Workbench
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/** scripts/examples at reduced scale, checked against the theory they illustrate. */
class ExamplesSpec extends Specification {

    @Shared
    Workbench wb = Workbench.start([])

    @TempDir
    Path dir

    def "examples/width_sweep: the empirical NTK approaches the analytic one like width^(-1/2)"() {
        when: "widths 64 and 4096, two seeds each, a few GD steps"
        def err = new ByteArrayOutputStream()
        def o = new ScriptRunner(wb, new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true))
                .run(Path.of('..', 'scripts', 'examples', 'width_sweep.groovy'), [widths: [64, 4096], seeds: 2, steps: 20], dir, false, false)
        Map r = new JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile()).results as Map

        then: "the fitted log-log slope of ||Θ_emp − Θ||/||Θ|| is the Monte Carlo rate −1/2, within the noise of two seeds"
        o.exitCode() == 0
        r.size() == 4 * 5 + 2
        r.ntk_rel_err_slope > -0.75 && r.ntk_rel_err_slope < -0.35
        (0..1).every { s -> r["width=4096_seed=$s/ntk_rel_err".toString()] < r["width=64_seed=$s/ntk_rel_err".toString()] }

        and: "the infinite-width reference does not depend on the point"
        r['width=64_seed=0/ntk_test_rmse'] == r['width=4096_seed=1/ntk_test_rmse']

        and: "tables, plots and the report"
        Files.readString(o.runDir().resolve('tables/by_width.csv')).readLines().size() == 3
        ['error_vs_width.png', 'error_vs_width.svg', 'test_rmse_vs_width.png'].every { Files.exists(o.runDir().resolve("plots/$it")) }
        Files.readString(o.runDir().resolve('report.html')).contains('plots/error_vs_width.png')
    }

    def "examples/graph_kernels: padded graphs with masked padding nodes = each graph at its own size; Monte Carlo and predict run"() {
        when: "6 graphs of up to 5 nodes, width 64, 2 seeds"
        def o = new ScriptRunner(wb, new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(new ByteArrayOutputStream(), true))
                .run(Path.of('..', 'scripts', 'examples', 'graph_kernels.groovy'), [n: 6, nodes: 5, seeds: 2, width: 64], dir, false, false)
        Map r = new JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile()).results as Map

        then: "the per-example graph kernel of the padded batch is each pair's own-size kernel to rounding"
        o.exitCode() == 0
        r.own_size_max_rel_diff <= 1e-14
        r.mc_rel_err < 0.5
        r.degree_rmse_ntk > 0 && r.degree_rmse_mean > 0
    }
}
