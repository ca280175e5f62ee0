package org.ntkworkbench.bench

import java.nio.file.Path
import org.ntkworkbench.model.empirical.EmpiricalNtk
import org.ntkworkbench.model.empirical.NtkMethod
import spock.lang.Requires
import spock.lang.Specification

/** The empirical NTK benchmarks (ii) at tiny sizes: flop count, agreement, and the NumPy reference. */
class EmpiricalNtkBenchmarkSpec extends Specification {

    static final Path HOME = Path.of('..')

    def "the flop count of the structured NTK of an MLP, written out for sizes 3-4-5-1 and n = 6"() {
        expect: 'forward 2·6·(12+20+5) = 444, backward 2·6·(20+5) = 300, syrks 6·7·(7+9+6) = 924'
        EmpiricalNtkBenchmark.structuredMlpFlops(6, [3, 4, 5, 1] as int[]) == 444d + 300d + 924d
    }

    def "empirical_ntk runs at small sizes and reports the kernel's diagonal mean of the Jacobian-contraction kernel"() {
        given:
        def params = [d: 5, width: 16, depth: 2, n: 9]
        def mlp = EmpiricalNtkBenchmark.Mlp.create(5, 16, 2, 9, 0)
        def reference = EmpiricalNtk.ntk(mlp.net(), mlp.params(), mlp.x(), null, NtkMethod.JACOBIAN_CONTRACTION, true)

        when:
        def r = new BenchmarkRunner(0, 1).run(new EmpiricalNtkBenchmark(), params)

        then:
        r.status() == 'ok'
        r.median('gflop') == EmpiricalNtkBenchmark.structuredMlpFlops(9, [5, 16, 16, 1] as int[]) * 1e-9
        Math.abs(r.median('kernel_diagonal_mean') - EmpiricalNtkBenchmark.diagonalMean(reference)) <= 1e-12 * EmpiricalNtkBenchmark.diagonalMean(reference)
        Math.abs(r.median('gflops') * r.median('seconds') - r.median('gflop')) <= 1e-9 * r.median('gflop')
    }

    def "empirical_ntk_ratio: both methods agree and the ratio is reported"() {
        when:
        def r = new BenchmarkRunner(0, 1).run(new EmpiricalNtkRatioBenchmark(), [d: 4, width: 12, depth: 2, n: 10])

        then:
        r.status() == 'ok'
        r.median('max_rel_difference') <= 1e-10
        Math.abs(r.median('speedup') - r.median('seconds_jacobian') / r.median('seconds_structured')) <= 1e-9 * r.median('speedup')
    }

    def "bad sizes fail the benchmark with a message naming them"() {
        when:
        def r = new BenchmarkRunner(0, 1).run(new EmpiricalNtkBenchmark(), [n: 0])
        then:
        r.status() == 'failed'
        r.notes()[0].contains('n=0')
    }

    @Requires({ PythonScripts.numpyVersion().isPresent() })
    def "the NumPy reference computes the same structured kernel as its per-example Jacobian and the same flop count"() {
        given:
        def b = Benchmarks.select(HOME, ['empirical_ntk_numpy'])[0]

        when:
        def r = new BenchmarkRunner(0, 1).run(b, [d: 4, width: 8, depth: 2, n: 7, repeats: 1, warmup: 0, check: 1])

        then:
        r.status() == 'ok'
        r.median('check_max_rel_difference') <= 1e-12
        Math.abs(r.median('gflop') - EmpiricalNtkBenchmark.structuredMlpFlops(7, [4, 8, 8, 1] as int[]) * 1e-9) <= 1e-15
        r.median('kernel_diagonal_mean') > 0
    }
}
