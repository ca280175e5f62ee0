package org.ntkworkbench.cli

import org.ntkworkbench.bench.Benchmark
import org.ntkworkbench.bench.Benchmarks
import org.ntkworkbench.bench.Measurement
import spock.lang.Specification

/** {@code ntk bench --help} names the benchmarks a user can pass as NAME, each with its description. */
class BenchCommandSpec extends Specification {

    def "the usage help lists every benchmark, built-in and contributed, with its description"() {
        when:
        def (code, out, err) = CliTreeSpec.run(Main.commandLine('bench', '--help'), ['bench', '--help'])
        def names = Benchmarks.all(Benchmarks.home())*.name()
        def listed = out.substring(out.indexOf('Benchmarks (NAME):')).readLines().drop(1)
                .findAll { it.startsWith('  ') && !it.startsWith('   ') }.collect { it.trim().split(/\s+/)[0] }

        then:
        code == 0
        err == ''
        names.size() >= 15
        listed == names
        out.contains('  analytic_kernel_numpy  NumPy reference: the same analytic NNGP+NTK recursion')
        out.readLines().every { it.length() <= 80 }
    }

    def "descriptions wrap at the width under their first word; a word longer than the line is not split"() {
        given:
        def b = { String name, String text -> [name: { name }, description: { text }, run: { p -> null }] as Benchmark }

        expect:
        BenchCommand.benchmarkList([b('ab', 'one two three four'), b('abcd', 'x ' + 'y' * 30)], 18) == """
Benchmarks (NAME):
  ab    one two
        three four
  abcd  x
        ${'y' * 30}
""".stripIndent().replace('\n', System.lineSeparator())
    }
}
