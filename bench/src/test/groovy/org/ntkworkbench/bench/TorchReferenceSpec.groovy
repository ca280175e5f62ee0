package org.ntkworkbench.bench

import java.nio.file.Path
import spock.lang.Requires
import spock.lang.Specification

/** The PyTorch references: the same numbers as the NumPy ones where they overlap; skipped with a note without torch. */
class TorchReferenceSpec extends Specification {
    static final Path HOME = Path.of('..')

    @Requires({ PythonScripts.moduleVersion('torch').isPresent() })
    def "mlp_train_torch starts from NumPy's weights and data: the first loss agrees with mlp_train_numpy to 1e-12"() {
        given:
        def p = [d: 8, width: 32, depth: 2, batch: 16, steps: 2, warmup: 1]

        when:
        def torch = new BenchmarkRunner(0, 1).run(Benchmarks.select(HOME, ['mlp_train_torch'])[0], p)
        def numpy = new BenchmarkRunner(0, 1).run(Benchmarks.select(HOME, ['mlp_train_numpy'])[0], p)

        then:
        torch.status() == 'ok'
        Math.abs(torch.median('loss_first') - numpy.median('loss_first')) <= 1e-12 * numpy.median('loss_first')
        Math.abs(torch.median('loss_last') - numpy.median('loss_last')) <= 1e-10 * numpy.median('loss_last')
        torch.info().torch == PythonScripts.moduleVersion('torch').get()
    }

    @Requires({ PythonScripts.moduleVersion('torch').isPresent() })
    def "empirical_ntk_torch: functorch's Jacobian contraction and NTK-vector products agree to 1e-12"() {
        when:
        def r = new BenchmarkRunner(0, 1).run(Benchmarks.select(HOME, ['empirical_ntk_torch'])[0], [d: 8, width: 16, depth: 2, n: 20])

        then:
        r.status() == 'ok'
        r.median('max_rel_difference') <= 1e-12
        r.median('seconds_jacobian_contraction') > 0
        r.median('seconds_ntk_vector_products') > 0
    }

    def "a reference whose Python module does not import is skipped with a note, not failed"() {
        given:
        def b = new NumpyScriptBenchmark('x_ref', 'd', HOME.resolve('bench/torch/mlp_train.py'), [:], 10, 'no_such_module_ntk')

        when:
        def r = new BenchmarkRunner(0, 1).run(b, [:])

        then:
        r.status() == 'skipped'
        r.notes().any { it.contains('no_such_module_ntk') || it.contains('NumPy') }
    }
}
