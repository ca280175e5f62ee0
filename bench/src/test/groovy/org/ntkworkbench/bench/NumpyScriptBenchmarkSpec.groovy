package org.ntkworkbench.bench

import java.nio.file.Path
import spock.lang.Requires
import spock.lang.Specification

class NumpyScriptBenchmarkSpec extends Specification {

    /** Surefire runs in core/; the scripts live at the repository root. */
    static final Path HOME = Path.of('..')

    @Requires({ PythonScripts.numpyVersion().isPresent() })
    def "the NumPy MLP reference has a correct gradient and reports its rate"() {
        given: 'a tiny MLP so that the check is fast; finite-difference check inside the script'
        def b = Benchmarks.select(HOME, ['mlp_train_numpy'])[0]

        when:
        def r = new BenchmarkRunner(0, 1).run(b, [d: 5, width: 16, depth: 2, batch: 12, steps: 5, warmup: 1, gradcheck: 1])

        then:
        r.status() == 'ok'
        r.median('gradcheck_max_rel_error') < 1e-6
        r.median('steps_per_second') > 0
        Math.abs(r.median('seconds_per_step') * r.median('steps_per_second') - 1) < 1e-9
        r.median('loss_last') < r.median('loss_first')
        r.info().numpy == PythonScripts.numpyVersion().get()
    }

    def "a missing interpreter or script skips the benchmark with a note"() {
        given:
        def old = System.getProperty('ntk.python')
        System.setProperty('ntk.python', '/nonexistent/python3')
        def b = new NumpyScriptBenchmark('x', 'd', HOME.resolve('bench/numpy/mlp_train.py'), [:], 10)
        def missing = new NumpyScriptBenchmark('y', 'd', HOME.resolve('bench/numpy/nope.py'), [:], 10)

        when:
        def r = new BenchmarkRunner(0, 2).run(b, [:])
        def r2 = new BenchmarkRunner(0, 2).run(missing, [:])

        then:
        r.status() == 'skipped'
        r.notes()[0].contains('NumPy')
        r2.status() == 'skipped'
        r2.notes()[0].contains('not found')

        cleanup:
        if (old == null) System.clearProperty('ntk.python') else System.setProperty('ntk.python', old)
    }
}
