package org.ntkworkbench.dsl

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.io.Npz
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.train.Loss
import org.ntkworkbench.train.ProgressMode
import org.ntkworkbench.train.Training
import org.ntkworkbench.train.TrainingConfig
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

class ExperimentWordsSpec extends Specification {

    @Shared
    Workbench wb = Workbench.start([])

    @TempDir
    Path dir

    ByteArrayOutputStream out = new ByteArrayOutputStream()
    ByteArrayOutputStream err = new ByteArrayOutputStream()

    @Shared
    String progressBefore

    def setupSpec() {
        progressBefore = System.getProperty('ntk.progress')
        System.setProperty('ntk.progress', 'false')   // no progress bars in the test log
    }

    def cleanupSpec() {
        progressBefore == null ? System.clearProperty('ntk.progress') : System.setProperty('ntk.progress', progressBefore)
    }

    def setup() {
        StageCounts.reset()
    }

    ScriptRunner.Outcome run(String text, Map params = [:], boolean resume = false, String name = 'exp.groovy', Path base = null) {
        Path script = dir.resolve(name)
        Files.writeString(script, text)
        err.reset()
        new ScriptRunner(wb, new PrintStream(out, true), new PrintStream(err, true))
                .run(script, params, base ?: dir.resolve('runs'), resume, false)
    }

    Map manifest(ScriptRunner.Outcome o) {
        new JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile()) as Map
    }

    String errLine() { err.toString().readLines().last() }

    /** A small regression: 12 Gaussian points in R^3, y = sin(x0) + x1 x2; an MLP of width p.width trained by GD. */
    static final String MLP = '''
experiment('mlp') {
    grid width: [8, 32], seed: 0..2
    data { p ->
        StageCounts.hit('data')
        def x = gaussian(12, dim: 3, seed: 100)
        def y = Tensor.zeros(12, 1)
        for (int i = 0; i < 12; i++) y.set(Math.sin(x.get(i, 0)) + x.get(i, 1) * x.get(i, 2), i, 0)
        [x: x, y: y]
    }
    model { p -> StageCounts.hit('model'); serial(dense(p.width), relu(), dense(1)) }
    train { p, ctx -> StageCounts.hit('train'); [steps: 30, lr: 0.3] }
    analyse { p, ctx ->
        StageCounts.hit('analyse')
        [final_loss: ctx.training.finalLoss(), f0: ctx.model.apply(ctx.params, ctx.x).get(0, 0)]
    }
    report { r ->
        StageCounts.hit('report')
        table('by_width', groupBy: 'width')
        plot('loss_vs_width', series: [mean: series(x: 'width', y: 'final_loss')], logX: true)
        [mean_final_loss: r.ok.collect { it.final_loss }.sum() / r.ok.size()]
    }
}
'''

    def "grid and sweep expand to the product of their factors, named axis=value"() {
        given:
        Script s = new GroovyShell().parse('1')
        def spec = new ExperimentSpec('e', s, wb)

        when:
        build.delegate = spec
        build.resolveStrategy = Closure.DELEGATE_FIRST
        build()
        def points = spec.points()

        then:
        points*.name == names
        points*.index == (0..<names.size()).toList()
        points*.seed == seeds

        where:
        build                                                                  || names                                                                                  | seeds
        ({ -> grid(width: [64, 256], seed: 0..1) })                            || ['width=64_seed=0', 'width=64_seed=1', 'width=256_seed=0', 'width=256_seed=1']      | [0, 1, 0, 1]
        ({ -> grid(a: [1, 2]); sweep(lr: [0.1, 0.5], steps: [10, 20]) })       || ['a=1_lr=0.1_steps=10', 'a=1_lr=0.5_steps=20', 'a=2_lr=0.1_steps=10', 'a=2_lr=0.5_steps=20'] | [0, 0, 0, 0]
        ({ -> sweep(seed: 3..5) })                                             || ['seed=3', 'seed=4', 'seed=5']                                                        | [3, 4, 5]
        ({ -> sweep(act: ['relu', 'erf']); grid(depth: 2) })                  || ['act=relu_depth=2', 'act=erf_depth=2']                                               | [0, 0]
        ({ -> })                                                               || ['point']                                                                             | [0]
    }

    def "decimal axis values become doubles and points read them as p.axis"() {
        given:
        Script s = new GroovyShell().parse('1')
        def spec = new ExperimentSpec('e', s, wb)

        when:
        spec.grid([lr: [0.5G, 1e-3G], seed: [7]])
        def p = spec.points()

        then:
        p[0].getProperty('lr') instanceof Double
        p[0].getProperty('lr') == 0.5d
        p[1].name == 'lr=0.001_seed=7'
        p[1].getProperty('seed') == 7
        p[1].seed == 7L
    }

    def "misuse is one line naming the script line: #why"() {
        when:
        def o = run(text)

        then:
        o.exitCode() == 2
        errLine() == "${dir.resolve('exp.groovy')}:${line}: ${message}"

        where:
        why                   | text                                                                                              | line | message
        'empty axis'          | "x = 1\nexperiment('e') {\n  grid width: [], seed: 0..2\n  analyse { p -> [a: 1] }\n}\n"          | 3    | "grid: axis 'width' is empty; give at least one value"
        'unknown stage'       | "experiment('e') {\n  grid width: [1]\n  evaluate { p -> [a: 1] }\n}\n"                          | 3    | "experiment 'e': unknown stage or word 'evaluate' (stages: data, model, train, analyse, report; settings: grid, sweep, threads, engine, notes)"
        'misspelt stage'      | "experiment('e') {\n  grid width: [1]\n  analyes { p -> [a: 1] }\n}\n"                           | 3    | "experiment 'e': unknown stage or word 'analyes' (did you mean 'analyse'?) (stages: data, model, train, analyse, report; settings: grid, sweep, threads, engine, notes)"
        'unequal sweep'       | "experiment('e') {\n\n  sweep a: [1, 2], b: [1]\n  analyse { p -> [a: 1] }\n}\n"                  | 3    | "sweep: paired axes need equal lengths, but 'b' has 1 values and the first axis 2 (use grid for every combination)"
        'nothing to compute'  | "\nexperiment('e') {\n  grid a: [1]\n}\n"                                                         | 2    | "experiment 'e': declares no train, analyse or report stage, so it would compute nothing"
        'data not a map'      | "experiment('e') {\n  grid a: [1, 2]\n  data { p -> [1, 2] }\n  analyse { p -> [a: 1] }\n}\n"    | 3    | "data stage must return a map of named values, e.g. [x: x, y: y], got ArrayList [1, 2] (point a=1; 2 of 2 points failed, see points/<point>/status.json)"
        'analyse not a map'   | "experiment('e') {\n  grid a: [1]\n\n  analyse { p ->\n 0.5 }\n}\n"                              | 4    | "analyse stage must return a map of named scalar results, e.g. [test_rmse: 0.12], got BigDecimal 0.5 (point a=1; 1 of 1 points failed, see points/<point>/status.json)"
        'train not options'   | "experiment('e') {\n  grid a: [1]\n  model { serial(dense(2)) }\n  train { p, c -> 'gd' }\n}\n"   | 4    | "train stage must return training options such as [steps: 200, lr: 0.5] (x and y default to the data's x and y), a TrainingResult of train(...), or null, got String 'gd' (point a=1; 1 of 1 points failed, see points/<point>/status.json)"
        'unknown p axis'      | "experiment('e') {\n  grid width: [1]\n  analyse { p ->\n    [a: p.widht] }\n}\n"                 | 4    | "point width=1 has no parameter 'widht' (did you mean 'width'?) (parameters: width) (point width=1; 1 of 1 points failed, see points/<point>/status.json)"
    }

    def "a failing point is recorded with its file:line error, the others complete, and the run exits 1"() {
        when:
        def o = run('''
experiment('e') {
    grid seed: 0..3
    analyse { p ->
        if (p.seed == 2) throw new IllegalStateException('boom at seed 2')
        [sq: p.seed * p.seed]
    }
}
''')
        def m = manifest(o)
        def failed = new JsonSlurper().parse(o.runDir().resolve('points/seed=2/status.json').toFile())
        def ok = new JsonSlurper().parse(o.runDir().resolve('points/seed=3/status.json').toFile())

        then:
        o.exitCode() == 1
        errLine() == "${dir.resolve('exp.groovy')}:5: IllegalStateException: boom at seed 2 (point seed=2; 1 of 4 points failed, see points/<point>/status.json)"
        failed.status == 'failed'
        failed.error == "${dir.resolve('exp.groovy')}:5: IllegalStateException: boom at seed 2"
        failed.failedStage == 'analyse'
        ok.status == 'ok'
        ok.results == [sq: 9]
        m.status == 'failed'
        m.results == ['seed=0/sq': 0, 'seed=1/sq': 1, 'seed=3/sq': 9]
        Files.readString(o.runDir().resolve('tables/points.csv')).readLines()[3].startsWith('seed=2,2,failed,')
        Files.exists(o.runDir().resolve('report.html'))
    }

    def "points computed on 3 threads give the same bits as on 1 thread, and as training the point by hand"() {
        when:
        def seq = run(MLP, [threads: 1], false, 'exp.groovy', dir.resolve('seq'))
        def par = run(MLP, [threads: 3], false, 'exp.groovy', dir.resolve('par'))
        Map rs = manifest(seq).results, rp = manifest(par).results

        then:
        seq.exitCode() == 0 && par.exitCode() == 0
        rs.size() == 6 * 2 + 1
        rs == rp
        ['width=8_seed=0', 'width=32_seed=2'].every { pt ->
            def a = Npz.read(seq.runDir().resolve("points/$pt/params.npz")), b = Npz.read(par.runDir().resolve("points/$pt/params.npz"))
            a.keySet() == b.keySet() && a.every { k, t -> Arrays.equals(t.data(), b[k].data()) }
        }

        when: "the point width=32, seed=2 trained directly with the Training service and seed 2"
        def x = wb.word('gaussian', [dim: 3, seed: 100], 12) as Tensor
        def y = Tensor.zeros(12, 1)
        for (int i = 0; i < 12; i++) y.set(Math.sin(x.get(i, 0)) + x.get(i, 1) * x.get(i, 2), i, 0)
        def net = wb.word('serial', wb.word('dense', 32), wb.word('relu'), wb.word('dense', 1))
        def direct = wb.service(Training).train(net, x, y, Loss.byName('mse'),
                TrainingConfig.builder().optimizer('gd').learningRate(0.3).steps(30).seed(2).progress(ProgressMode.NEVER).build(), null)

        then: "the same loss to the last bit, and the loss decreased"
        rs['width=32_seed=2/final_loss'] == direct.finalLoss()
        direct.finalLoss() < direct.losses()[0]
        rs['width=32_seed=0/final_loss'] != rs['width=32_seed=2/final_loss']
    }

    def "the report's grouped table holds each width's mean and sample std over the seeds"() {
        when:
        def o = run(MLP, [threads: 2])
        Map r = manifest(o).results
        def lines = Files.readString(o.runDir().resolve('tables/by_width.csv')).readLines()
        def byWidth = { int w -> (0..2).collect { r["width=${w}_seed=${it}/final_loss".toString()] as double } }
        def mean = { List<Double> v -> v.sum() / v.size() }
        def std = { List<Double> v -> double m = mean(v); Math.sqrt(v.sum { (it - m) * (it - m) } / (v.size() - 1)) }

        then:
        o.exitCode() == 0
        lines[0] == 'width,n,final_loss_mean,final_loss_std,f0_mean,f0_std'
        def row8 = lines[1].split(',')
        row8[0] == '8' && row8[1] == '3'
        Math.abs((row8[2] as double) - mean(byWidth(8))) <= 1e-15 * Math.abs(mean(byWidth(8)))
        Math.abs((row8[3] as double) - std(byWidth(8))) <= 1e-12 * std(byWidth(8))
        Math.abs(r.mean_final_loss - mean(byWidth(8) + byWidth(32))) <= 1e-15 * r.mean_final_loss
        Files.size(o.runDir().resolve('plots/loss_vs_width.png')) > 1000
        Files.readString(o.runDir().resolve('plots/loss_vs_width.svg')).contains('<svg')
        def html = Files.readString(o.runDir().resolve('report.html'))
        html.contains('tables/by_width.csv') && html.contains('plots/loss_vs_width.png') && html.contains('<th>final_loss_mean</th>')
        ['arrays/x.npy', 'arrays/y.npy', 'params.npz', 'loss.csv', 'status.json'].every { Files.exists(o.runDir().resolve("points/width=8_seed=1/$it")) }
    }

    def "a second run with --resume recomputes nothing; a half-done point resumes after its last completed stage"() {
        when:
        def first = run(MLP, [threads: 2])
        def firstCounts = StageCounts.snapshot()
        StageCounts.reset()
        def second = run(MLP, [threads: 2], true)

        then:
        firstCounts == [data: 6, model: 6, train: 6, analyse: 6, report: 1]
        StageCounts.snapshot() == [:]
        second.runDir() == first.runDir()
        manifest(second).results == manifest(first).results
        Files.readString(first.runDir().resolve('log.txt')).contains('point width=8_seed=0 skipped (complete in a previous run)')
        Files.readString(first.runDir().resolve('log.txt')).contains('report stage skipped')

        when: "a point whose analyse stage never finished, as after a kill"
        Path st = first.runDir().resolve('points/width=32_seed=1/status.json')
        def status = new JsonSlurper().parse(st.toFile()) as Map
        status.status = 'running'
        status.stages.remove('analyse')
        status.remove('results')
        Files.writeString(st, groovy.json.JsonOutput.toJson(status))
        StageCounts.reset()
        def third = run(MLP, [threads: 2], true)

        then: "only its model and analyse run again (data and params come from disk), then the report"
        StageCounts.snapshot() == [model: 1, analyse: 1, report: 1]
        manifest(third).results == manifest(first).results
    }

    def "report words aggregate closed-form results: series by an axis, grouped means and sample stds, custom rows"() {
        when: "v = a * b over a in 1..3, b in {10, 20}"
        def o = run('''
experiment('closed') {
    grid a: 1..3, b: [10, 20]
    analyse { p -> [v: p.a * p.b, half: p.a / 2] }
    report {
        def s = series(x: 'a', y: 'v', by: 'b')
        def m = series(x: 'a', y: 'v', stat: 'max')
        table('by_a', groupBy: 'a')
        table('mine', rows: points.collect { [point: it.name, twice: 2 * it.v] })
        [b10_ys: s['b=10'][1].toList().toString(), b20_x3: s['b=20'][0][2], max_a2: m[1][1], n_ok: ok.size(), n_axes: axes.size()]
    }
}
''')
        Map r = manifest(o).results
        def byA = Files.readString(o.runDir().resolve('tables/by_a.csv')).readLines()
        def mine = Files.readString(o.runDir().resolve('tables/mine.csv')).readLines()

        then:
        o.exitCode() == 0
        r.b10_ys == '[10.0, 20.0, 30.0]'
        r.b20_x3 == 3.0d
        r.max_a2 == 40.0d
        r.n_ok == 6 && r.n_axes == 2
        r['a=2_b=20/v'] == 40 && r['a=3_b=10/half'] == 1.5d
        byA[0] == 'a,n,v_mean,v_std,half_mean,half_std'
        // mean of {10a, 20a} = 15a; sample std = |20a - 10a| / sqrt(2)
        (1..3).every { a ->
            def f = byA[a].split(',')
            f[0] == "$a" && f[1] == '2' && (f[2] as double) == 15d * a && Math.abs((f[3] as double) - 10 * a / Math.sqrt(2)) < 1e-12 * a
        }
        mine == ['point,twice', 'a=1_b=10,20', 'a=1_b=20,40', 'a=2_b=10,40', 'a=2_b=20,80', 'a=3_b=10,60', 'a=3_b=20,120']
    }

    def "a failing report stage fails the run at its line, and report.html still shows the points"() {
        when:
        def o = run("experiment('e') {\n  grid a: [1, 2]\n  analyse { p -> [v: p.a] }\n  report {\n    throw new IllegalStateException('bad report')\n  }\n}\n")

        then:
        o.exitCode() == 1
        errLine() == "${dir.resolve('exp.groovy')}:5: IllegalStateException: bad report"
        Files.readString(o.runDir().resolve('report.html')).contains('tables/points.csv')
        manifest(o).results == ['a=1/v': 1, 'a=2/v': 2]
    }

    static String customOrOptions(String train) {
        """
experiment('custom') {
    sweep seed: [3, 4]
    data { p ->
        def x = gaussian(8, dim: 2, seed: 1)
        def y = Tensor.zeros(8, 1)
        for (int i = 0; i < 8; i++) y.set(x.get(i, 0) - 2 * x.get(i, 1), i, 0)
        [x: x, y: y]
    }
    model { p -> serial(dense(16), tanh(), dense(1)) }
    train { p, ctx -> $train }
    analyse { p, ctx ->
        save('f', ctx.model.apply(ctx.params, ctx.x))
        plot('loss', y: ctx.training.losses() as List, logY: true)
        result('extra', 1.5)
        [loss: ctx.training.finalLoss()]
    }
}
"""
    }

    def "custom training with the train word equals training by options; words inside a point write to its directory"() {
        when:
        def custom = run(customOrOptions('train(ctx.model, ctx.x, ctx.y, steps: 15, lr: 0.2, seed: p.seed)'), [:], false, 'exp.groovy', dir.resolve('custom'))
        def options = run(customOrOptions('[steps: 15, lr: 0.2]'), [:], false, 'exp.groovy', dir.resolve('options'))
        Map rc = manifest(custom).results, ro = manifest(options).results
        Path d = custom.runDir()

        then:
        custom.exitCode() == 0 && options.exitCode() == 0
        rc == ro
        rc.keySet() == ['seed=3/extra', 'seed=3/loss', 'seed=4/extra', 'seed=4/loss'] as Set
        rc['seed=3/extra'] == 1.5d
        rc['seed=3/loss'] != rc['seed=4/loss']
        Files.size(d.resolve('points/seed=3/plots/loss.png')) > 1000
        !Files.exists(d.resolve('plots/loss.png'))
        Files.exists(d.resolve('points/seed=4/arrays/f.npy'))
        Files.exists(d.resolve('points/seed=4/params.npz'))
        new JsonSlurper().parse(d.resolve('points/seed=4/status.json').toFile()).optimizer == 'gd'
    }

    def "script variables keep their meaning inside the block, whatever the experiment calls its own state"() {
        when:
        def o = run('''
name = 'script name'
notes = 'script notes'
threads = 42
stages = 'script stages'
experiment('e') {
    grid a: [1]
    analyse { p -> [name: name, notes: notes, threads: threads, stages: stages, a: p.a] }
    report { [run_is_script_run: run.is(workbench.service(CurrentRun).get()), report_name: name] }
}
''')

        then:
        o.exitCode() == 0
        manifest(o).results == ['a=1/name': 'script name', 'a=1/notes': 'script notes', 'a=1/threads': 42, 'a=1/stages': 'script stages', 'a=1/a': 1,
                                run_is_script_run: true, report_name: 'script name']
    }
}
