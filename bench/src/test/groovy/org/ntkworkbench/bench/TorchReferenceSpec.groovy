package org.ntkworkbench.bench

import java.nio.file.Files
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

    @Requires({ PythonScripts.moduleVersion('torch').isPresent() && PythonScripts.moduleVersion('functorch').isPresent() })
    def "empirical_ntk_torch: functorch's kernels on our parameters and inputs equal our structured kernel to 1e-10"() {
        when: 'a tiny MLP at two sizes, well within the budget'
        def r = new BenchmarkRunner(1, 3).run(Benchmarks.select(HOME, ['empirical_ntk_torch'])[0],
                [d: 8, width: 16, depth: 2, sizes: '6,12', budget: 120])

        then: 'run once; every method of both sides ran at both sizes and agrees'
        r.status() == 'ok'
        r.repeats() == 1
        [6, 12].every { n ->
            ['structured', 'jacobian', 'vector_products', 'torch_jacobian_contraction', 'torch_ntk_vector_products',
             'torch_ntk_vector_products_batch'].every { m -> r.median("n${n}_seconds_${m}") > 0 && r.median("n${n}_cpu_seconds_${m}") >= 0 }
        }
        [6, 12].every { n ->
            ['jacobian', 'vector_products', 'torch_jacobian_contraction', 'torch_ntk_vector_products',
             'torch_ntk_vector_products_batch'].every { m -> r.median("n${n}_max_rel_difference_${m}") <= 1e-12 }
        }
        r.median('n12_ratio_structured_to_jacobian_contraction') ==
                r.median('n12_seconds_structured') / r.median('n12_seconds_torch_jacobian_contraction')
        r.median('n12_torch_process_seconds') > 0
        r.info().torch == PythonScripts.moduleVersion('torch').get()
    }

    @Requires({ PythonScripts.moduleVersion('torch').isPresent() && PythonScripts.moduleVersion('functorch').isPresent() })
    def "empirical_ntk_torch: a method over budget at a size is named with the reason and not run at larger sizes"() {
        when: 'our vector products (one VJP + JVP per column) projected from n = 16 to n = 400 (x 625) cannot fit in 3 s'
        def r = new BenchmarkRunner(0, 1).run(Benchmarks.select(HOME, ['empirical_ntk_torch'])[0],
                [d: 8, width: 512, depth: 1, sizes: '16,400,401', budget: 3])

        then: 'stated at 400, not run at 401, while the structured kernel (the reference, not budgeted) runs at both'
        r.status() == 'ok'
        r.info().n400_vector_products ==~ /over budget at n = 400: projected \d+ s \(from [0-9.]+ s at n = 16\) > 3 s/
        r.info().n401_vector_products == 'not run: ' + r.info().n400_vector_products
        !r.numbers().containsKey('n400_seconds_vector_products')
        r.median('n16_seconds_vector_products') > 0
        r.median('n401_seconds_structured') > 0
    }

    @Requires({ PythonScripts.moduleVersion('torch').isPresent() })
    def "eigvalsh_torch: torch.linalg.eigvalsh of the very same matrix agrees with Java's eigenvalues to 1e-12"() {
        when:
        def r = new BenchmarkRunner(0, 1).run(Benchmarks.select(HOME, ['eigvalsh_torch'])[0], [n: 300, seed: 3])

        then:
        r.status() == 'ok'
        r.median('n') == 300
        r.median('max_rel_difference_vs_java') < 1e-12
        r.info().torch == PythonScripts.moduleVersion('torch').get()
    }

    def "empirical_ntk_torch without torch: skipped with one note before anything is computed (a fake python, no torch needed)"() {
        given: 'a python3 that has NumPy but fails every other import'
        def fake = Files.createTempDirectory('ntk-fake-python').resolve('python3')
        Files.writeString(fake, '''#!/bin/sh
case "$*" in
  *"import numpy;"*) echo 1.99.0 ;;
  *) echo "ModuleNotFoundError: No module named 'torch'" >&2; exit 1 ;;
esac
''')
        fake.toFile().setExecutable(true)
        def before = System.getProperty('ntk.python')
        System.setProperty('ntk.python', fake.toString())

        when: 'sizes that would take hours and a heap far beyond this JVM if anything were computed'
        long t0 = System.nanoTime()
        def r = new BenchmarkRunner(1, 3).run(Benchmarks.select(HOME, ['empirical_ntk_torch'])[0],
                [width: 8192, sizes: '200000'])
        double seconds = (System.nanoTime() - t0) * 1e-9

        then:
        r.status() == 'skipped'
        r.notes().size() == 1
        r.notes()[0] == fake.toString() + ' cannot import torch; the torch reference is skipped (on Debian: apt install python3-torch, or -Dntk.python=…)'
        r.numbers().isEmpty()
        seconds < 10

        when: 'the other PyTorch references'
        def others = ['mlp_train_torch', 'eigvalsh_torch'].collect { new BenchmarkRunner(0, 1).run(Benchmarks.select(HOME, [it])[0], [:]) }

        then:
        others.every { it.status() == 'skipped' && it.notes() == [r.notes()[0]] }

        cleanup:
        before == null ? System.clearProperty('ntk.python') : System.setProperty('ntk.python', before)
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
