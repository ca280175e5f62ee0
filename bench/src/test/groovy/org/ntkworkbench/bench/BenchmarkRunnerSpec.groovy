package org.ntkworkbench.bench

import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir
import tools.jackson.databind.json.JsonMapper

class BenchmarkRunnerSpec extends Specification {

    @TempDir
    Path dir

    /** Returns the next value of a fixed sequence as "x" and counts its calls. */
    static class Scripted implements Benchmark {
        final List<Double> sequence
        int calls

        Scripted(List<Double> sequence) { this.sequence = sequence }

        String name() { 'scripted' }

        String description() { 'returns a fixed sequence' }

        Map<String, Object> defaultParams() { [n: 3, keep: 'default'] }

        Measurement run(Map<String, Object> params) {
            new Measurement([x: sequence[calls++]], [seen: "${params.n}/${params.keep}".toString()])
        }
    }

    def "median of #samples is #median (min #min, max #max)"() {
        expect:
        def s = Statistic.of(samples as double[])
        s.median() == median
        s.min() == min
        s.max() == max
        s.samples() == samples as double[]

        where:
        samples                 | median | min | max
        [7d]                    | 7d     | 7d  | 7d
        [3d, 1d, 2d]            | 2d     | 1d  | 3d
        [4d, 1d, 3d, 2d]        | 2.5d   | 1d  | 4d
        [5d, 5d, 1d, 9d, 5d]    | 5d     | 1d  | 9d
        [-1d, 10d]              | 4.5d   | -1d | 10d
    }

    def "an empty statistic is rejected"() {
        when:
        Statistic.of(new double[0])
        then:
        thrown(IllegalArgumentException)
    }

    def "warm-up runs are excluded and repeats are summarised"() {
        given: 'two warm-up values of 100 that must not count, then 3, 1, 2, 5, 4'
        def b = new Scripted([100d, 100d, 3d, 1d, 2d, 5d, 4d])

        when:
        def r = new BenchmarkRunner(2, 5).run(b, [n: 7])

        then:
        b.calls == 7
        r.status() == 'ok'
        r.numbers().x.samples() == [3d, 1d, 2d, 5d, 4d] as double[]
        r.median('x') == 3d
        r.numbers().x.min() == 1d
        r.numbers().x.max() == 5d
        r.numbers().wallSeconds.samples().length == 5
        r.params() == [n: 7, keep: 'default']
        r.info() == [seen: '7/default']
    }

    def "skipped and failed benchmarks are reported, not thrown"() {
        given:
        def skipping = [name: { 'a' }, description: { 'd' }, run: { p -> throw new BenchmarkSkippedException('no numpy') }] as Benchmark
        def failing = [name: { 'b' }, description: { 'd' }, run: { p -> throw new IllegalStateException('boom') }] as Benchmark

        when:
        def report = new BenchmarkRunner(0, 3).runAll([skipping, failing])

        then:
        report.result('a').status() == 'skipped'
        report.result('a').notes() == ['no numpy']
        report.result('a').numbers().isEmpty()
        report.result('b').status() == 'failed'
        report.result('b').notes() == ['IllegalStateException: boom']
    }

    def "the JSON report carries the machine and the statistics"() {
        given:
        def report = new BenchmarkRunner(0, 4).runAll([new Scripted([2d, 8d, 4d, 6d])])
        def file = dir.resolve('b.json')

        when:
        report.writeJson(file)
        def json = JsonMapper.builder().build().readTree(file.toFile())

        then:
        json.get('machine').get('cores').intValue() == Runtime.runtime.availableProcessors()
        json.get('machine').get('jvm').stringValue().contains(System.getProperty('java.runtime.version'))
        json.get('machine').get('openblasConfig').stringValue().contains('OpenBLAS')
        json.get('results').get(0).get('name').stringValue() == 'scripted'
        json.get('results').get(0).get('numbers').get('x').get('median').doubleValue() == 5d
        json.get('results').get(0).get('numbers').get('x').get('samples').size() == 4
    }

    def "dgemm reports 2n^3 flops over its time and computes the product"() {
        given:
        def b = new DgemmBenchmark()

        when:
        def m = b.run([n: 64])
        double[] c = b.lastProduct(), a = b.lastA(), bb = b.lastB()

        then:
        Math.abs(m.values().gflops - 2d * 64 * 64 * 64 / m.values().seconds * 1e-9) < 1e-9 * m.values().gflops
        [[0, 0], [5, 63], [63, 17]].every { i, j ->
            double s = 0
            for (int l = 0; l < 64; l++) s += a[i * 64 + l] * bb[l * 64 + j]
            Math.abs(c[i * 64 + j] - s) < 1e-12 * 64
        }
    }

    def "--param overrides the parameters of the benchmarks that have them; a key none has is refused"() {
        given:
        def b = new Scripted([1d])
        def other = new Scripted([2d]) {
            String name() { 'other' }
            Map<String, Object> defaultParams() { [m: 1] }
        }

        when:
        def report = new BenchmarkRunner(0, 1).runAll([b, other], [keep: 'given'])

        then:
        report.results()[0].params() == [n: 3, keep: 'given']
        report.results()[0].info().seen == '3/given'
        report.results()[1].params() == [m: 1]

        when:
        new BenchmarkRunner(0, 1).runAll([b], [nope: '1'])

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('nope') && e.message.contains('[keep, n]')
    }

    def "a benchmark that runs once is run once whatever the warm-up and repeats, and says so"() {
        given:
        def b = new Scripted([4d, 100d, 100d]) {
            boolean runsOnce() { true }
        }

        when:
        def r = new BenchmarkRunner(2, 5).run(b, [:])

        then:
        b.calls == 1
        r.status() == 'ok'
        r.warmup() == 0 && r.repeats() == 1
        r.median('x') == 4d
        r.notes() == ['run once: it warms up and bounds its own methods (warm-up and repeats ignored)']
    }

    def "unknown benchmark names are rejected with the known ones"() {
        when:
        Benchmarks.select(Path.of('..'), ['nope'])
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('dgemm')
    }
}
