package org.ntkworkbench.dsl



import org.ntkworkbench.spi.DslException
import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

/** Model expressions from the command line are data: the accepted subset works, every escape is refused in one line. */
class ModelExpressionsSpec extends Specification {

    @Shared
    Workbench wb = Workbench.start([])

    @TempDir
    Path dir

    @Unroll
    def "accepted: #expr"() {
        when:
        Layer net = ModelExpressions.parse(wb, expr)

        then:
        net != null
        net.word() == top

        where:
        expr                                                                        | top
        'serial(dense(8), relu(), dense(1))'                                        | 'serial'
        'serial(dense(512, bStd: 0.1), relu(), dense(1))'                           | 'serial'
        "serial(dense(8, parameterization: 'standard', wStd: 2**0.5), erf(), dense(1))" | 'serial'
        'def w = 4 * 2\nserial(dense(w), relu(), dense(1))'                         | 'serial'
        'serial(dense(8), elementwise { x -> Math.sin(x) + 0.5 * x }, dense(1))'    | 'serial'
        'serial(dense(8), elementwise { double x -> x > 0 ? x : 0.1 * x }, dense(1))' | 'serial'
        'serial(dense(8), elementwise { it * it }, dense(1))'                       | 'serial'
        'serial(dense(8, wStd: -(-1.5)), leakyRelu(0.2), dense(1, bStd: Math.PI / 10))' | 'serial'
        'repeat(serial(dense(4), relu()), 2)'                                       | 'repeat'
        '// a comment\nserial(dense(4), identity(), dense(1)) // trailing'          | 'serial'
        '\uFEFFdense(3)'                                                            | 'dense'
        'serial(conv(4, filter: [3], padding: "CIRCULAR"), relu(), flatten(), dense(1))' | 'serial'
        "convTranspose(4, filter: [3, 2], strides: [2, 1], padding: 'CIRCULAR', bStd: 0.1, parameterization: 'standard')" | 'convTranspose'
        'aggregate(pattern: [[1, 1, 0], [0, 1, 1], [0.5, 0, 1]])'                   | 'aggregate'
        'aggregate(edges: [[0, 1], [1, 2], [2, 0]])'                                | 'aggregate'
        'dotGeneral(rhs: [[1, 0.5], [-1, 2]], axis: 1)'                             | 'dotGeneral'
        'dotGeneral(rhs: 2.5)'                                                      | 'dotGeneral'
        'dotGeneral(lhs: [[0, 1], [1, 0]], dimensionNumbers: [[[1], [1]], [[], []]])' | 'dotGeneral'
        'aggregate()'                                                               | 'aggregate'
        'index(axis: 1, start: -1, stop: 0, step: -2)'                              | 'index'
        'index(axis: -2, at: 0)'                                                    | 'index'
    }

    @Unroll
    def "#expr prints as a model string that parses back to the same kernel"() {
        given:
        def x = Tensor.randn(7, 3, 3, 2)
        Layer net = ModelExpressions.parse(wb, expr)
        Layer again = ModelExpressions.parse(wb, net.toString())

        expect:
        again.kernel(x).ntk().data() == net.kernel(x).ntk().data()
        again.kernel(x).nngp().data() == net.kernel(x).nngp().data()

        where:
        expr << ["serial(convTranspose(3, filter: [2], strides: [2], padding: 'SAME', bStd: 0.1), relu(), flatten(), dense(1))",
                 'serial(dense(3), relu(), aggregate(pattern: [[1, 1, 0], [0, 1, 1], [0.5, 0, 1]]), flatten(), dense(1))',
                 'serial(dense(3), aggregate(edges: [[0, 1], [1, 2], [2, 0], [2, 0]]), relu(), flatten(), dense(1))',
                 'serial(dense(3), dotGeneral(rhs: [[1, 0.5], [-1, 2], [0, 1]], axis: 1), relu(), dotGeneral(rhs: [1, -1], axis: 1), dotGeneral(rhs: 0.5), dense(1))',
                 'serial(dense(3), relu(), index(axis: 1, start: -1, stop: 0, step: -2), index(axis: 1, at: 0), dense(1))',
                 'serial(dense(3), dotGeneral(rhs: [[1, 2], [0.5, -1], [1, 3]], '
                         + 'dimensionNumbers: [[[], []], [[1], [0]]]), relu(), dotGeneral(lhs: [[1, -1, 0.5]], dimensionNumbers: [[[1], [1]], [[], []]]), '
                         + 'flatten(), dense(1))']
    }

    def "an elementwise closure computes what it says"() {
        when:
        def net = ModelExpressions.parse(wb, 'elementwise { x -> Math.exp(-x * x / 2) + (x ** 2) % 3 }')
        double v = 1.7

        then:
        Math.abs(net.value(v) - (Math.exp(-v * v / 2) + (v * v) % 3)) < 1e-15
    }

    def "the interpreted model gives the same kernel as the compiled script"() {
        given:
        def x = Tensor.of([[0.3d, -1.2d], [0.5d, 0.1d], [-0.7d, 0.9d]] as double[][])
        def expr = 'serial(dense(16, bStd: 0.1), elementwise { x -> Math.sin(x) + 0.5 * x }, dense(1))'
        def compiled = new GroovyShell(getClass().classLoader, ScriptRunner.binding(wb, [:]), ScriptRunner.compilerConfiguration())
                .evaluate(expr) as Layer

        when:
        def a = ModelExpressions.parse(wb, expr).kernel(x)
        def b = compiled.kernel(x)

        then:
        a.ntk().data() == b.ntk().data()
        a.nngp().data() == b.nngp().data()
    }

    /** Per-example shapes of the inputs below: a sequence (length 5, 3 channels), an image (4×4×2), a volume (3×3×3×2). */
    private static Tensor input(String kind) {
        def rnd = new Random(16)
        int[] shape = kind == 'seq' ? [3, 5, 3] : kind == 'img' ? [2, 4, 4, 2] : [2, 3, 3, 3, 2]
        int size = shape.inject(1) { a, b -> a * b }
        Tensor.of((0..<size).collect { rnd.nextGaussian() } as double[], shape)
    }

    @Unroll
    def "last session's word parses from --model and gives the compiled DSL's kernel bit for bit: #expr"() {
        given:
        def x = input(kind)
        def compiled = new GroovyShell(getClass().classLoader, ScriptRunner.binding(wb, [:]), ScriptRunner.compilerConfiguration())
                .evaluate(expr) as Layer

        when:
        def parsed = ModelExpressions.parse(wb, expr)
        def a = parsed.kernel(x)
        def b = compiled.kernel(x)

        then:
        a.ntk().data() == b.ntk().data()
        a.nngp().data() == b.nngp().data()
        a.ntk().maxAbs() > 0

        where:
        expr                                                                                                                | kind
        "serial(globalSelfAttention(4, keyChannels: 3, heads: 2, attention: 'softmax', wKeyStd: 1.2, bStd: 0.1), relu(), globalAvgPool(), dense(1))" | 'seq'
        "serial(globalSelfAttention(4, linearScaling: false, attention: 'identity', wValueStd: 0.9), flatten(), dense(1))" | 'seq'
        "serial(convLocal(3, filter: [2], padding: 'SAME', wStd: 1.3, bStd: 0.2), relu(), flatten(), dense(1))"            | 'seq'
        "serial(convLocal(2, filter: [2, 2], parameterization: 'standard'), erf(), flatten(), dense(1))"                    | 'img'
        "serial(imageResize(shape: [6, -1], method: 'linear'), conv(3, filter: [2, 2]), relu(), globalAvgPool(), dense(1))" | 'img'
        "serial(imageResize(shape: [3, 5], method: 'nearest'), flatten(), dense(1))"                                         | 'img'
        "serial(conv(3, filter: [2, 2, 2], padding: 'SAME', bStd: 0.1), relu(), avgPool([2, 2, 2]), flatten(), dense(1))"   | 'vol'
        "serial(conv(3, filter: [3], padding: 'CIRCULAR'), layerNorm(axis: [1, 2]), relu(), globalAvgPool(), dense(1))"     | 'seq'
        "serial(conv(3, filter: [2, 2]), layerNorm(axis: [-3, -1]), tanh(), flatten(), dense(1))"                           | 'img'
        "serial(dense(6, bStd: 0.2), relu(), dropout(0.3, mode: 'train'), dense(1))"                                        | 'seq'
        "serial(fanOut(2), parallel(conv(2, filter: [3], padding: 'CIRCULAR'), serial(conv(2, filter: [2]), erf())), fanInConcat(axis: 1), conv(2, filter: [1]), relu(), globalAvgPool(), dense(1))" | 'seq'
        "serial(fanOut(2), parallel(dense(3), dense(2)), fanInConcat(axis: -1), relu(), flatten(), dense(1))"              | 'seq'
    }

    @Unroll
    def "refused (#why): #expr"() {
        given:
        Path marker = dir.resolve('pwned')
        String e = expr.replace('MARK', marker.toString())

        when:
        ModelExpressions.parse(wb, e)

        then:
        DslException ex = thrown()
        !ex.message.contains('\n')
        ex.message.startsWith('--model')
        ex.message.toLowerCase().contains(says.toLowerCase())
        !Files.exists(marker)

        where:
        why                   | expr                                                                          | says
        'execute'             | "'touch MARK'.execute().waitFor(); serial(dense(8), relu(), dense(1))"        | 'method calls on values'
        'System.exit'         | 'System.exit(3)'                                                              | 'method calls on values'
        'System property'     | 'System.out'                                                                  | 'property access'
        'GString'             | '"${\'touch MARK\'.execute()}"'                                               | 'GString'
        'GString in arg'      | 'dense(8, parameterization: "${1 + 1}")'                                      | 'GString'
        'new'                 | "new File('MARK').text = 'x'"                                                 | 'not allowed'
        'new in def'          | "def f = new File('MARK')\ndense(1)"                                         | "'new'"
        'new ProcessBuilder'  | "new ProcessBuilder('touch', 'MARK').start()"                                 | 'not allowed'
        'import'              | "import java.nio.file.Files\ndense(1)"                                        | 'imports'
        'static import'       | "import static java.lang.System.exit\nexit(3)"                                | 'imports'
        '@Grab'               | "@Grab('org.foo:bar:1.0') def x = 1\ndense(x)"                                | 'annotations'
        'annotation on def'   | "@groovy.transform.ASTTest(value = { 'touch MARK'.execute() }) def x = 1\ndense(1)" | 'annotations'
        'class'               | "class A { static { 'touch MARK'.execute() } }\ndense(1)"                     | 'class declarations'
        'method decl'         | "def f() { 'touch MARK'.execute() }\nf()"                                     | 'method declarations'
        'method pointer'      | "def e = 'touch MARK'.&execute\ne()"                                         | 'method pointer'
        'method reference'    | 'def e = System::exit\ne(3)'                                                  | 'method reference'
        'Class.forName'       | "Class.forName('java.lang.Runtime')"                                          | 'method calls on values'
        'getClass'            | 'getClass().classLoader'                                                      | 'property access'
        'this.class'          | 'this.class.classLoader'                                                      | 'property access'
        'this'                | 'this.dense(1)'                                                               | 'method calls on values'
        'metaClass'           | "dense.metaClass.foo = { 'touch MARK'.execute() }"                            | 'not allowed'
        'metaClass on String' | "String.metaClass.x = 1"                                                      | 'not allowed'
        'delegate in closure' | "elementwise { x -> delegate.evaluate('System.exit(3)') }"                    | 'method calls on values'
        'owner in closure'    | "elementwise { x -> owner }"                                                  | 'unknown name'
        'closure calls value' | "elementwise { x -> x.getClass() }"                                           | 'method calls on values'
        'evaluate'            | "evaluate('System.exit(3)')"                                                  | 'not a dsl word'
        'Eval'                | "Eval.me('System.exit(3)')"                                                   | 'method calls on values'
        'run'                 | 'run()'                                                                       | 'not a dsl word'
        'println'             | 'println(1)'                                                                  | 'not a dsl word'
        'sleep'               | 'sleep(100000)'                                                               | 'not a dsl word'
        'binding variable'    | 'workbench'                                                                   | 'unknown name'
        'binding services'    | 'arrayIO'                                                                     | 'unknown name'
        'save word'           | "save('MARK', dense(1))"                                                      | 'reads or writes files'
        'load word'           | "load('/etc/passwd')"                                                         | 'reads or writes files'
        'threads word'        | 'threads(1)'                                                                  | 'reads or writes files'
        'experiment word'     | "experiment('x') { }"                                                         | 'reads or writes files'
        'cast'                | "('touch MARK' as String[])"                                                  | 'cast'
        'assignment'          | 'def x = 1\nx = 2\ndense(x)'                                                  | "operator '='"
        'subscript'           | '[1, 2][0]'                                                                   | "operator '['"
        'spread'              | 'dense(*[1])'                                                                 | 'spread'
        'loop'                | "while (true) { }"                                                            | 'not allowed'
        'for loop'            | "for (i in [1]) { 'touch MARK'.execute() }"                                   | 'not allowed'
        'try'                 | "try { dense(1) } finally { }"                                                | 'not allowed'
        'throw'               | "throw new Error()"                                                           | 'not allowed'
        'lambda'              | "elementwise(x -> x)"                                                         | 'lambda'
        'attribute'           | "dense(1).@word"                                                              | 'not allowed'
        'safe navigation'     | "dense(1)?.word()"                                                            | 'not allowed'
        'string concat call'  | "('touch ' + 'MARK').execute()"                                               | 'method calls on values'
        'string arithmetic'   | "dense('a' * 3)"                                                              | 'numbers only'
        'shadow Math'         | "def Math = 'x'\nMath.sin(1)"                                                 | 'cannot be defined'
        'Math not pure'       | "Math.random()"                                                               | 'method calls on values'
        'Runtime'             | "Runtime.runtime.exec('touch MARK')"                                          | 'method calls on values'
        'java.lang.Runtime'   | "java.lang.Runtime.getRuntime().exec('touch MARK')"                           | 'method calls on values'
        'label'               | "a: dense(1)"                                                                 | 'labels'
        'closure 2 params'    | "elementwise { x, y -> x }"                                                   | 'at most one parameter'
        'closure default'     | "elementwise { x = 'touch MARK'.execute() -> x }"                             | 'default values'
        'typed closure param' | "elementwise { File x -> x }"                                                 | 'untyped or double'
        'unknown word'        | 'dens(8)'                                                                     | 'did you mean dense'
        'word as name'        | 'serial(dense(8), relu)'                                                      | 'call it'
        'not a model'         | '1 + 2'                                                                       | 'not a model'
        'syntax'              | 'serial(dense(8),'                                                            | 'line'
        'instanceof'          | 'dense(1) instanceof Object'                                                  | 'not allowed'
        'regex'               | "'a' =~ 'b'"                                                                  | 'not allowed'
        'in'                  | "1 in [1]"                                                                    | 'not allowed'
        'elvis'               | "null ?: dense(1)"                                                            | 'elvis'
        'range'               | "dense((1..2).size())"                                                        | 'not allowed'
        'array'               | "dense(new int[1])"                                                           | 'array'
        'package'             | "package a\ndense(1)"                                                         | 'imports and packages'
        'trait'               | "trait T { }\ndense(1)"                                                       | 'class declarations'
        'enum'                | "enum E { A }\ndense(1)"                                                      | 'class declarations'
        'interface'           | "interface I { }\ndense(1)"                                                   | 'class declarations'
        'record'              | "record R(int a) { }\ndense(1)"                                               | 'class declarations'
        'static block'        | "static { }\ndense(1)"                                                        | 'line 1'
        'bitwise'             | "dense(8 << 1)"                                                               | "operator '<<'"
        'prefix'              | "def i = 1\n++i"                                                              | '++/--'
        'unicode escape'      | "\\u0053ystem.exit(3)"                                                        | 'line 1'
        'words list'          | "[dense(1), 'touch MARK'.execute()]"                                          | 'method calls on values'
        'named arg value'     | "dense(1, wStd: 'touch MARK'.execute().waitFor())"                            | 'method calls on values'
        'map key expression'  | "dense(1, ('a' + 'b'): 1)"                                                    | 'plain names or strings'
        'dynamic method name' | "def m = 'exit'\nSystem.\"\$m\"(3)"                                           | 'not allowed'
        'closure call'        | "def c = { x -> x }\nc(1)"                                                    | 'not a dsl word'
        'call on closure'     | "{ x -> x }.call(1)"                                                          | 'method calls on values'
        'local word'          | "def dense = 3\ndense"                                                        | 'cannot be defined'
        'switch'              | "switch (1) { case 1: dense(1) }"                                             | 'not allowed'
        'assert'              | "assert 'touch MARK'.execute()"                                               | 'not allowed'
        'synchronized'        | "synchronized (this) { }"                                                     | 'not allowed'
    }

    @Unroll
    def "hostile text (#why) is refused in one line, quickly (the parser is linear; session 6)"() {
        when:
        long t0 = System.nanoTime()
        ModelExpressions.parse(wb, text)

        then:
        DslException ex = thrown()
        !ex.message.contains('\n')
        ex.message.startsWith('--model')
        ex.message.toLowerCase().contains(says.toLowerCase())
        (System.nanoTime() - t0) / 1e9 < 5

        where:
        why                      | text                                                  | says
        'deep parentheses'       | '(' * 200_000 + '1' + ')' * 200_000                   | 'nests'
        'deep calls'             | 'serial(' * 100_000 + 'relu()' + ')' * 100_000        | 'nests'
        'deep lists in args'     | 'dense(' + '[(' * 100_000                            | 'nests'
        'deep closures'          | 'elementwise { ' * 50_000 + 'it' + ' }' * 50_000      | 'nests'
        'many signs'             | '- ' * 500_000 + '1'                                  | 'nests'
        'long sum'               | 'dense(' + '1 + ' * 250_000 + '1)'                    | 'nests'
        'long ternary chain'     | 'true ? 1 : ' * 100_000 + '1'                         | 'nests'
        '1 MB number'            | 'dense(' + '9' * 1_000_000 + ')'                      | 'number literal of'
        'huge exponent'          | 'dense(1, wStd: 1e999999999 + 1)'                     | 'out of range'
        'NUL byte'               | 'dense(1)\u0000'                                      | 'NUL'
        'NUL in a string'        | "dense(1, parameterization: 'a\u0000')"               | 'NUL'
        'unterminated string'    | "dense(1, parameterization: 'ntk)"                    | 'unterminated string'
        'unterminated triple'    | 'dense(1, parameterization: """ntk)'                  | 'unterminated string'
        'unterminated comment'   | 'dense(1) /* ...'                                     | 'unterminated comment'
        '1 MB of calls'          | 'serial(' + 'relu(), ' * 130_000 + 'relu()) x'        | 'unexpected'
        'division by zero'       | 'dense(1, wStd: 1 / 0)'                               | 'division by zero'
    }

    def "a model file is read and held to the same rules"() {
        given:
        def good = dir.resolve('m.groovy')
        Files.writeString(good, '// width 8\ndef w = 8\nserial(dense(w), relu(), dense(1))\n')
        def bad = dir.resolve('bad.groovy')
        Files.writeString(bad, "dense(1)\n'touch ${dir.resolve('pwned')}'.execute()\n")

        when:
        def net = ModelExpressions.parse(wb, good.toString())
        ModelExpressions.parse(wb, bad.toString())

        then:
        net.word() == 'serial'
        DslException ex = thrown()
        ex.message.startsWith("--model ${bad}: line 2")
        !Files.exists(dir.resolve('pwned'))
    }

    def "seeded random model strings end in a model or one DslException line, never anything else"() {
        given:
        def rnd = new Random(15)
        def atoms = ['dense(', 'relu()', 'serial(', 'elementwise {', 'x ->', 'x', ')', '}', ',', '8', '-1', '0.5', 'bStd:', "'s'",
                     '"g${1}"', '.', 'execute()', 'System', 'Math.sin(', '*', '+', '**', '[', ']', ':', 'new ', 'def ', '=', '\n', ';',
                     '@', '&', '?', '..', 'this', 'class', '{', '"', "'", '\\', '/*', '*/', '//', 'Double.NaN', 'parallel(', 'repeat(']
        int models = 0, refused = 0

        when:
        2000.times {
            def s = new StringBuilder()
            (1 + rnd.nextInt(12)).times { s.append(atoms[rnd.nextInt(atoms.size())]) }
            try {
                def m = ModelExpressions.parse(wb, s.toString())
                assert m instanceof Layer
                models++
            } catch (DslException e) {
                assert !e.message.contains('\n'): s
                assert e.message.startsWith('--model'): s
                refused++
            }
        }

        then:
        models + refused == 2000
        refused > 1000
    }
}
