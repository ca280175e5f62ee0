package org.ntkworkbench.cli

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import spock.lang.Specification
import spock.lang.TempDir

/** {@code ntk run} of an experiment in a child JVM: killed mid-sweep and resumed, it ends where an uninterrupted run does. */
class ExperimentResumeSpec extends Specification {

    @TempDir
    Path dir

    /** Six small MLPs trained by GD; -Pdelay slows the analyse stage so that the run can be killed mid-sweep. */
    static final String SCRIPT = '''
int delay = param('delay', 0)
experiment('resume') {
    grid width: [4, 8, 16], seed: 0..1
    threads 1
    data { p ->
        def x = gaussian(10, dim: 2, seed: 5)
        def y = Tensor.zeros(10, 1)
        for (int i = 0; i < 10; i++) y.set(Math.cos(2 * x.get(i, 0)) * x.get(i, 1), i, 0)
        [x: x, y: y]
    }
    model { p -> serial(dense(p.width), erf(), dense(1)) }
    train { p, ctx -> [steps: 25, lr: 0.5] }
    analyse { p, ctx ->
        if (delay > 0) Thread.sleep(delay)
        [final_loss: ctx.training.finalLoss(), out0: ctx.model.apply(ctx.params, ctx.x).get(0, 0)]
    }
    report { r -> table('by_width', groupBy: 'width'); [mean_final_loss: r.ok.sum { it.final_loss } / r.ok.size()] }
}
'''

    static Process start(String... args) {
        String java = ProcessHandle.current().info().command().orElse('java')
        List<String> cmd = [java, '--enable-native-access=ALL-UNNAMED', '--sun-misc-unsafe-memory-access=allow',
                            '-Dsmile.linalg.backend=native', '-Djava.awt.headless=true',
                            '-cp', System.getProperty('java.class.path'), Main.name] + args.toList()
        def pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        pb.environment().put('HOME', System.getProperty('java.io.tmpdir'))
        pb.start()
    }

    static Map json(Path f) {
        new JsonSlurper().parse(f.toFile()) as Map
    }

    def "a sweep killed after some points and resumed ends with the results of an uninterrupted run"() {
        given:
        Path script = dir.resolve('resume.groovy')
        Files.writeString(script, SCRIPT)
        Path killedBase = dir.resolve('killed'), fullBase = dir.resolve('full')

        when: "the slowed-down run is killed once two points are complete"
        Process p = start('run', script.toString(), '--out', killedBase.toString(), '-Pdelay=700')
        def output = new StringBuffer()
        def reader = Thread.start { p.inputStream.eachLine { output << it << '\n' } }
        List<Path> okAtKill = []
        long deadline = System.currentTimeMillis() + 90_000
        while (System.currentTimeMillis() < deadline && p.alive) {
            okAtKill = !Files.isDirectory(killedBase) ? [] : Files.walk(killedBase).withCloseable { s ->
                s.filter { it.fileName.toString() == 'status.json' }.toList()
                        .findAll { f -> try { json(f).status == 'ok' } catch (ignored) { false } }
            }
            if (okAtKill.size() >= 2) break
            Thread.sleep(50)
        }
        p.destroyForcibly()
        p.waitFor(20, TimeUnit.SECONDS)
        reader.join(5000)
        Path runDir = Files.list(killedBase).withCloseable { it.toList() }.first()

        then: "it died mid-sweep: the manifest still says running and not every point is done"
        okAtKill.size() >= 2
        json(runDir.resolve('manifest.json')).status == 'running'
        Files.walk(runDir).withCloseable { s -> s.filter { it.fileName.toString() == 'status.json' }.toList() }
                .count { json(it).status == 'ok' } < 6

        when: "resumed with other parameters: refused, the run untouched (issue 15); then resumed with the same ones, and run once more elsewhere"
        def refused = NtkProcess.run('', 'run', script.toString(), '--out', killedBase.toString(), '--resume')
        def resumed = NtkProcess.run('', 'run', script.toString(), '--out', killedBase.toString(), '--resume', '-Pdelay=700')
        def full = NtkProcess.run('', 'run', script.toString(), '--out', fullBase.toString())
        Map r1 = json(runDir.resolve('manifest.json'))
        Path fullDir = Files.list(fullBase).withCloseable { it.toList() }.first()
        Map r2 = json(fullDir.resolve('manifest.json'))

        then: "both succeed; the resumed one reused the finished points and ends with the same results to the last bit"
        refused.exit == 2
        refused.err.trim() == "--resume: ${runDir} was computed with other parameters (delay: 700 -> (not given)); run without --resume for a new run directory"
        resumed.exit == 0
        resumed.err.contains('previous status interrupted')
        full.exit == 0
        resumed.err.contains("--resume: continuing ${runDir}")
        (resumed.err =~ /6 points, (\d) complete from a previous run/)[0][1].toInteger() >= 2
        r1.status == 'ok'
        r1.results.size() == 6 * 2 + 1
        r1.results == r2.results
        r1.results['width=16_seed=1/final_loss'] < 1.0
        Files.readString(runDir.resolve('log.txt')).contains('skipped (complete in a previous run)')
        Files.readString(runDir.resolve('tables/by_width.csv')) == Files.readString(fullDir.resolve('tables/by_width.csv'))
    }
}
