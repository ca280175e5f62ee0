package org.ntkworkbench.bench

import java.nio.file.Path
import spock.lang.Specification

/** Plugins contribute benchmarks through ServiceLoader; the test class path registers {@link FixtureBenchmarks}. */
class BenchmarkProviderSpec extends Specification {

    def "a contributed benchmark is listed after the built-in ones and runs by name"() {
        when:
        def all = Benchmarks.all(Path.of('..'))
        def names = all*.name()

        then:
        names.indexOf('fixture_contributed') > names.indexOf('dgemm')
        names.count('fixture_contributed') == 1

        when:
        def r = new BenchmarkRunner(0, 2).run(Benchmarks.select(Path.of('..'), ['fixture_contributed'])[0], [:])

        then:
        r.status() == 'ok'
        r.median('answer') == 42d
    }

    /** The provider the test resources register. */
    static final class FixtureBenchmarks implements BenchmarkProvider {
        @Override
        List<Benchmark> benchmarks(Path home) {
            [new Benchmark() {
                String name() { 'fixture_contributed' }
                String description() { 'a test fixture contributed through BenchmarkProvider' }
                Measurement run(Map<String, Object> params) { Measurement.of([answer: 42d]) }
            }]
        }
    }
}
