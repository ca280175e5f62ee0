package org.ntkworkbench.plugins.spark

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.dsl.EngineKernels
import org.ntkworkbench.dsl.ScriptRunner
import org.ntkworkbench.runtime.Workbench
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

/**
 * A two-point sweep with {@code -Pengine=spark -Pmaster=local[2]} (and with {@code engine 'spark'} in the
 * block): points run as Spark tasks into the same run directory and give the thread pool's results,
 * point statuses and report; {@code --resume} skips the completed points.
 */
class SparkSweepSpec extends Specification {
    /** Two points whose results depend on the point's width and seed (trained weights, finite width). */
    static final String SWEEP = '''
experiment('widths') {
    grid(width: [4, 8])
    data { p -> [x: Tensor.randn(p.seed + 1, 6, 3), y: Tensor.randn(p.seed + 2, 6, 1)] }
    model { p -> serial(dense(p.width, bStd: 0.1), relu(), dense(1)) }
    train { p, ctx -> [steps: 5, lr: 0.1] }
    analyse { p, ctx -> [k01: ctx.model.kernel(ctx.x).ntk().get(0, 1) * p.width, loss: ctx.training.losses()[ctx.training.losses().length - 1]] }
}
'''

    @Shared Workbench wb = Workbench.start(List.of())
    @TempDir Path dir

    def cleanupSpec() {
        EngineKernels.closeShared()
    }

    static ScriptRunner.Outcome run(Workbench wb, Path dir, String text, Map params, boolean resume = false) {
        def o = attempt(wb, dir, text, params, resume)
        assert o.exitCode() == 0 : o.error()
        o
    }

    /** Runs the sweep script and returns the outcome, whatever its exit code. */
    static ScriptRunner.Outcome attempt(Workbench wb, Path dir, String text, Map params, boolean resume = false) {
        Files.createDirectories(dir)
        Path script = dir.resolve('sweep.groovy')
        Files.writeString(script, text)
        new ScriptRunner(wb, new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(new ByteArrayOutputStream(), true))
                .run(script, params, dir.resolve('runs'), resume, false)
    }

    /**
     * The sweep with a point that throws while the file {@code flag} exists (the point width=8, in its analyse
     * stage): the same script text fails and, once the flag is gone, resumes to the thread pool's results.
     */
    static String failing(Path flag) {
        SWEEP.replace("analyse { p, ctx -> [",
                "analyse { p, ctx -> if (p.width == 8 && new File('${flag}').exists()) { throw new IllegalStateException('boom at width 8') }; [")
    }

    static Map results(ScriptRunner.Outcome o) {
        (new JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile()) as Map).results as Map
    }

    static Map status(ScriptRunner.Outcome o, String point) {
        new JsonSlurper().parse(o.runDir().resolve("points/$point/status.json").toFile()) as Map
    }

    def "-Pengine=spark on local[2]: the same results, statuses and report as the thread pool; --resume skips done points"() {
        when:
        def local = run(wb, dir.resolve('a'), SWEEP, [threads: 1])
        def spark = run(wb, dir.resolve('b'), SWEEP, [engine: 'spark', master: 'local[2]'])

        then: 'every point result equal (same computation, any placement)'
        results(local).keySet().containsAll(['width=4/k01', 'width=8/k01', 'width=4/loss', 'width=8/loss'])
        results(spark) == results(local)
        ['width=4', 'width=8'].every { status(spark, it).status == 'ok' && status(spark, it).results == status(local, it).results }
        Files.exists(spark.runDir().resolve('report.html'))
        Files.readString(spark.runDir().resolve('log.txt')).contains('to compute on spark local[2] (2 tasks)')
        and: 'the engine is not a script parameter (resume across engines is allowed)'
        status(spark, 'width=4').scriptParameters == [:]

        when: 'resumed with the engine: nothing left to compute'
        def again = run(wb, dir.resolve('b'), SWEEP, [engine: 'spark', master: 'local[2]'], true)

        then:
        again.runDir() == spark.runDir()
        results(again) == results(local)
        Files.readString(again.runDir().resolve('log.txt')).contains('point width=8 skipped (complete in a previous run)')
    }

    def "a point that throws on Spark is recorded failed with its one-line error, the other completes; --resume recomputes only it"() {
        given:
        Path flag = Files.writeString(dir.resolve('fail-flag'), '')
        String text = failing(flag)

        when:
        def failed = attempt(wb, dir.resolve('b'), text, [engine: 'spark', master: 'local[2]'])

        then: 'exit 1 (a computation failed), one line naming the point'
        failed.exitCode() == 1
        failed.error() == "${dir.resolve('b/sweep.groovy')}:7: IllegalStateException: boom at width 8 (point width=8; 1 of 2 points failed, see points/<point>/status.json)"
        status(failed, 'width=8').status == 'failed'
        (status(failed, 'width=8').error as String).endsWith('IllegalStateException: boom at width 8')
        !(status(failed, 'width=8').error as String).contains('\n')
        status(failed, 'width=4').status == 'ok'

        when: 'the cause gone, the same script resumed on Spark'
        Files.delete(flag)
        def resumed = run(wb, dir.resolve('b'), text, [engine: 'spark', master: 'local[2]'], true)
        def log = Files.readString(resumed.runDir().resolve('log.txt'))
        def local = run(wb, dir.resolve('a'), text, [threads: 1])

        then: 'only width=8 was computed again, and the results are those of the thread pool'
        resumed.runDir() == failed.runDir()
        log.contains('point width=4 skipped (complete in a previous run)')
        log.contains('point width=8 resumes (previous status failed')
        log.contains('1 complete from a previous run, 1 to compute on spark local[2] (1 task)')
        results(resumed) == results(local)
        status(resumed, 'width=8').status == 'ok'
    }

    def "an unreachable master for a sweep: one line, exit 2, no point computed and nothing under a final name"() {
        when:
        def o = attempt(wb, dir, SWEEP, [engine: 'spark', master: 'spark://127.0.0.1:1'])

        then:
        o.exitCode() == 2
        o.error() == "${dir.resolve('sweep.groovy')}:2: experiment 'widths': --master spark://127.0.0.1:1: unreachable (nothing accepts connections there; start one with ntk cluster start)"
        !o.error().contains('\n')
        and: 'no point, no report, no arrays: the run directory records only the failure'
        o.runDir() == null || !Files.exists(o.runDir().resolve('points'))
        o.runDir() == null || !Files.exists(o.runDir().resolve('report.html'))
    }

    def "engine 'spark' in the experiment block"() {
        when:
        def spark = run(wb, dir, SWEEP.replace("grid(width: [4, 8])", "grid(width: [4, 8]); engine 'spark', master: 'local[2]'"), [:])

        then:
        results(spark).keySet().containsAll(['width=4/k01', 'width=8/k01'])
        Files.readString(spark.runDir().resolve('log.txt')).contains('on spark local[2]')
    }
}
