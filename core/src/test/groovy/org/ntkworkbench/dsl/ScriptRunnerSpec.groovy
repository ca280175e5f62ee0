package org.ntkworkbench.dsl

import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.runtime.Workbench
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

class ScriptRunnerSpec extends Specification {

    @Shared
    Workbench wb = Workbench.start([])

    @TempDir
    Path dir

    ByteArrayOutputStream out = new ByteArrayOutputStream()
    ByteArrayOutputStream err = new ByteArrayOutputStream()

    ScriptRunner.Outcome run(String text, Map params = [:], String name = 'exp.groovy') {
        Path script = dir.resolve(name)
        Files.writeString(script, text)
        new ScriptRunner(wb, new PrintStream(out, true), new PrintStream(err, true))
                .run(script, params, dir.resolve('runs'), false, false)
    }

    String errText() { err.toString().readLines().first() }

    def "an unknown DSL word on line 2 exits 2 with one line naming line 2"() {
        when:
        def o = run("x = 1\nfrobnicate(3)\n")

        then:
        o.exitCode() == 2
        errText() == "${dir.resolve('exp.groovy')}:2: unknown DSL word 'frobnicate'"
        err.toString().readLines().size() == 1
    }

    def "a misspelt word gets a suggestion"() {
        when:
        run("\n\neigvalhs([[1d]])")

        then:
        errText().endsWith(":3: unknown DSL word 'eigvalhs' (did you mean 'eigvalsh'?)")
    }

    def "a syntax error names its line"() {
        when:
        def o = run("x = 1\ny = (2 +\nz = ]\n")

        then:
        o.exitCode() == 2
        errText() ==~ /.*exp\.groovy:3: .+/
        o.runDir() == null
    }

    def "a wrong argument type names the word, the argument and the line"() {
        when:
        def o = run("a = 1\nb = 2\ncircleGrid('many')\n")

        then:
        o.exitCode() == 2
        errText().endsWith(":3: circleGrid: argument 1 must be an integer, got String 'many'")
    }

    def "identity() is the layer word at the top level and inside closures (not Groovy's Object.identity)"() {
        when:
        def o = run('''
            def top = identity()
            def nested = { -> parallel(dense(2), identity()) }()
            result('top_is_layer', top instanceof org.ntkworkbench.nn.Identity ? 1 : 0)
            result('nested_branches', nested.toString() == "parallel(dense(2, wStd: 1.0, bStd: 0.0, parameterization: 'ntk'), identity())" ? 1 : 0)
        ''')

        then:
        o.exitCode() == 0
        def results = new JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile()).results
        results.top_is_layer == 1
        results.nested_branches == 1
    }

    def "-P parameters arrive typed, as variables and through param()"() {
        when:
        def o = run('''
            assert n instanceof Integer && n == 7
            assert lr instanceof Double && lr == 0.5
            assert flag instanceof Boolean && flag
            assert widths == [1, 2, 3]
            assert param('n', 1) == 7
            assert param('missing', 2.5d) == 2.5d
            assert param('n', 1.0d) instanceof Double
            result('n_squared', n * n)
        ''', Parameters.parse(['n=7', 'lr=0.5', 'flag=true', 'widths=1,2,3']))

        then:
        o.exitCode() == 0
        def m = new JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile())
        m.status == 'ok'
        m.parameters == [n: 7, lr: 0.5, flag: true, widths: [1, 2, 3]]
        m.results == [n_squared: 49]
        m.versions.smile == '7.1.0'
        m.scriptSha256.size() == 64
    }

    def "a parameter of the wrong type for its default is a one-line error"() {
        when:
        def o = run("\nk = param('k', 3)\n", [k: 'abc'])

        then:
        o.exitCode() == 2
        errText().endsWith(":2: parameter 'k': expected an integer like the default 3, got String 'abc'")
    }

    def "a run directory gets manifest, log, plots and report"() {
        when:
        def o = run('''
            println "hello log"
            def x = circleGrid(16)
            def w = eigvalsh(gram(x) { u, v -> Math.exp(u[0]*v[0] + u[1]*v[1]) })
            plot('eigs', y: w as List, logY: true)
            report(title: 'demo')
        ''', [:], 'demo.groovy')

        then:
        o.exitCode() == 0
        Path d = o.runDir()
        d.fileName.toString() ==~ /demo-\d{8}-\d{6}/
        Files.readString(d.resolve('log.txt')).contains('hello log')
        Files.size(d.resolve('plots/eigs.png')) > 1000
        Files.readString(d.resolve('plots/eigs.svg')).contains('<svg')
        Files.readString(d.resolve('report.html')).contains('plots/eigs.png')
        new JsonSlurper().parse(d.resolve('manifest.json').toFile()).files.containsAll(['log.txt', 'plots/eigs.png', 'report.html'])
    }

    def "a failing computation exits 1 and marks the manifest failed"() {
        when:
        def o = run("x = 1\nthrow new ArithmeticException('diverged at step 3')\n")

        then:
        o.exitCode() == 1
        errText().endsWith(':2: ArithmeticException: diverged at step 3')
        new JsonSlurper().parse(o.runDir().resolve('manifest.json').toFile()).status == 'failed'
    }

    def "data words sample, save and load arrays in the run directory"() {
        when:
        def o = run('''
            def x = sphere(50, dim: 3, seed: 4)
            assert x.shape() == [50, 3] as int[]
            assert (0..<50).every { i -> Math.abs(x.get(i, 0)**2 + x.get(i, 1)**2 + x.get(i, 2)**2 - 1) < 1e-12 }
            def p = save('x', x)
            def back = load(p.toString())
            assert back.data() == x.data()
            def c = circle(30, density: [4, 2, 1], seed: 1)
            assert c.points().shape() == [30, 2] as int[]
            save('both', [a: x, b: c.points()])
        ''')

        then:
        o.exitCode() == 0
        Files.exists(o.runDir().resolve('arrays/x.npy'))
        Files.exists(o.runDir().resolve('arrays/both.npz'))
    }

    def "layer words build models that init and apply"() {
        when:
        def o = run('''
            def net = serial(dense(16, bStd: 0.1), relu(), dense(8, parameterization: 'standard'), elementwise { x -> x * x }, dense(1))
            def p = net.init(0, 3)
            assert p.keySet() as List == ['0/W', '0/b', '2/W', '4/W']
            def x = sphere(5, dim: 3)
            def y = net.apply(p, x)
            assert y.shape() == [5, 1] as int[]
            def cnn = serial(conv(4, filter: [3], padding: 'CIRCULAR'), relu(), globalAvgPool(), dense(1))
            assert cnn.apply(cnn.init(1, 6, 2), signals(2, positions: 6, channels: 2)).shape() == [2, 1] as int[]
        ''')

        then:
        o.exitCode() == 0
    }

    def "bad layer arguments name the word"() {
        when:
        def o = run(text)

        then:
        o.exitCode() == 2
        errText().endsWith(message)

        where:
        text                          | message
        "dense('wide')"               | ":1: dense: no form takes (String); usage: dense(width, wStd: 1, bStd: 0, parameterization: 'ntk'|'standard')"
        "\ndense(3, fooStd: 1)"       | ":2: dense: dense has no option 'fooStd' (options: wStd, bStd, parameterization)"
    }

    def "parameters parse to types"() {
        expect:
        Parameters.typed(text) == value
        Parameters.typed(text).getClass() == type

        where:
        text          | value         | type
        '3'           | 3             | Integer
        '3000000000'  | 3000000000L   | Long
        '0.25'        | 0.25d         | Double
        '1e-3'        | 1e-3d         | Double
        'true'        | true          | Boolean
        'relu'        | 'relu'        | String
        '1,2'         | [1, 2]        | ArrayList
    }
}
