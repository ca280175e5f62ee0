package org.ntkworkbench.bench

import java.nio.file.Path
import spock.lang.Requires
import spock.lang.Specification

class EigenBenchmarksSpec extends Specification {

    /** Surefire runs in core/; the scripts live at the repository root. */
    static final Path HOME = Path.of('..')

    def "eigvalsh reports seconds and a spectrum whose sum and sum of squares match tr A and ||A||_F^2"() {
        given: 'A = G G^T/n + I is SPD with all eigenvalues >= 1; Marchenko-Pastur (ratio 1) puts the largest near 1 + 4'
        def b = Benchmarks.select(HOME, ['eigvalsh'])[0]

        when:
        def r = new BenchmarkRunner(0, 1).run(b, [n: 300, seed: 3])

        then:
        r.status() == 'ok'
        r.numbers().keySet().containsAll(['seconds', 'lambda_max', 'lambda_min', 'trace_rel_error', 'frobenius_rel_error'])
        r.median('seconds') > 0
        r.median('trace_rel_error') < 1e-12
        r.median('frobenius_rel_error') < 1e-12
        r.median('lambda_min') >= 1 - 1e-12        // G G^T/n is positive semi-definite
        Math.abs(r.median('lambda_max') - 5) < 0.6 // MP edge (1 + sqrt(1))^2 = 4, plus the identity; finite-n fluctuation
    }

    @Requires({ PythonScripts.numpyVersion().isPresent() })
    def "NumPy's eigvalsh of the very same matrix agrees with Java's eigenvalues"() {
        given:
        def b = Benchmarks.select(HOME, ['eigvalsh_numpy'])[0]

        when:
        def r = new BenchmarkRunner(0, 1).run(b, [n: 300, seed: 3])

        then:
        r.status() == 'ok'
        r.numbers().keySet().containsAll(['seconds', 'n', 'lambda_max', 'lambda_min', 'max_rel_difference_vs_java'])
        r.median('n') == 300
        r.median('max_rel_difference_vs_java') < 1e-12
        r.info().numpy == PythonScripts.numpyVersion().get()
    }

    def "eigvalsh_numpy is skipped, not failed, without NumPy"() {
        given:
        def old = System.getProperty('ntk.python')
        System.setProperty('ntk.python', '/nonexistent/python3')

        when:
        def r = new BenchmarkRunner(0, 1).run(new EigvalshNumpyBenchmark(HOME.resolve('bench/numpy/eigvalsh.py')), [n: 20, seed: 0])

        then:
        r.status() == 'skipped'
        r.notes()[0].contains('NumPy')

        cleanup:
        if (old == null) System.clearProperty('ntk.python') else System.setProperty('ntk.python', old)
    }

    def "topk_eigen finds the top eigenpairs of the implicit kernel, agreeing with the p x p dual F^T F"() {
        given:
        def b = Benchmarks.select(HOME, ['topk_eigen'])[0]

        when:
        def r = new BenchmarkRunner(0, 1).run(b, [n: 1200, d: 8, p: 96, k: 5, n_ref: 300, seed: 1])

        then:
        r.status() == 'ok'
        r.numbers().keySet().containsAll(['seconds', 'full_seconds_measured_n_ref', 'full_seconds_extrapolated',
                                          'fraction', 'max_rel_residual', 'max_rel_difference_vs_dual', 'converged'])
        r.median('converged') == 1
        r.median('max_rel_residual') < 1e-9
        r.median('max_rel_difference_vs_dual') < 1e-10
        Math.abs(r.median('full_seconds_extrapolated') / r.median('full_seconds_measured_n_ref') - 64) < 1e-9 // (1200/300)^3
        Math.abs(r.median('fraction') * r.median('full_seconds_extrapolated') / r.median('seconds') - 1) < 1e-12
        r.median('lambda_1') >= r.median('lambda_k')
        r.info().full_decomposition.contains('extrapolated')
    }

    def "topk_eigen measures the full decomposition at n only when asked, and its top eigenvalues agree with top-k and the dual"() {
        given:
        def b = Benchmarks.select(HOME, ['topk_eigen'])[0]
        def params = [n: 900, d: 8, p: 96, k: 5, n_ref: 300, seed: 2]

        when:
        def off = new BenchmarkRunner(0, 1).run(b, params)
        def on = new BenchmarkRunner(0, 1).run(b, params + [full_at_n: 1])

        then: 'by default nothing is formed at n'
        off.status() == 'ok'
        !off.numbers().containsKey('full_values_seconds_measured')

        and: 'opted in: dsyevd of the formed 900 x 900 K; its largest eigenvalues are the top-k ones (and the dual ones)'
        on.status() == 'ok'
        on.median('full_values_seconds_measured') > 0
        Math.abs(on.median('fraction_vs_measured') * on.median('full_values_seconds_measured') / on.median('seconds') - 1) < 1e-12
        on.median('max_rel_difference_full_vs_topk') < 1e-10
        on.median('max_rel_difference_vs_dual') < 1e-10
        on.median('full_values_cpu_seconds') > 0
        Math.abs(on.median('cpu_fraction_vs_measured') * on.median('full_values_cpu_seconds') / on.median('cpu_seconds') - 1) < 1e-12
        on.info().full_decomposition_at_n.contains('measured once at n = 900')
    }
}
