package org.ntkworkbench.dsl

import java.nio.file.Files
import java.nio.file.Path
import org.ntkworkbench.nn.Activation
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.runtime.Workbench
import org.ntkworkbench.spi.DslException
import org.ntkworkbench.tensor.Tensor
import spock.lang.Shared
import spock.lang.Specification

/**
 * {@link ModelParser} (the hand-written parser of model expressions, session 6) against the session-5 interpreter
 * over Groovy's own parser ({@link GroovyModelOracle}, test-only): on every model-expression-like text of the
 * repository (specs, README, docs, scripts, whole script files) and on a seeded random corpus (valid expressions from
 * a small grammar, then mutated token soups), both accept or both refuse, and what they accept has the same value:
 * numbers of the same class and value, equal strings, lists and maps, layers with the same description and model
 * text, closures and closure-built layers with the same values and kernels.
 */
class ModelParserOracleSpec extends Specification {
    @Shared
    Workbench wb = Workbench.start([])

    /** -Dntk.oracleScale=N runs N times the random corpora (CI runs 1: seconds). */
    static final int SCALE = Integer.getInteger('ntk.oracleScale', 1)

    /** Texts on which Groovy's parser itself crashed (an Error): not compared. */
    @Shared
    int crashes

    /** Outcome of one interpreter: a value, or the refusal (any exception: the old one let ArithmeticException through). */
    private static Map run(Closure<Object> c) {
        try {
            [ok: true, value: c.call()]
        } catch (DslException e) {
            [ok: false, error: e, dsl: true]
        } catch (RuntimeException e) {
            [ok: false, error: e, dsl: false]
        } catch (Error e) {
            // Groovy's parser fails with GroovyBugError on some texts (e.g. '- - 1'): a crash, not an answer to compare
            [ok: false, error: e, dsl: false, crash: true]
        }
    }

    private Map compare(String s) {
        def old = run { GroovyModelOracle.evaluate(wb, s, '--model') }
        def neu = run { ModelExpressions.evaluate(wb, s, '--model') }
        String diff = null
        if (old.crash || !old.ok && old.error.message?.contains(': cannot parse: ') && neu.ok && s =~ /[-+]\s*(\/\*[^*]*\*\/\s*)*[-+]/) {
            // Groovy's parser fails on a sign before a signed number ('- -1': GroovyBugError "Failed to find the
            // original number literal text"); the new parser reads it as arithmetic
            crashes++
        } else if (neu.crash) {
            diff = "new crashes: ${neu.error}"
        } else if (old.ok != neu.ok) {
            diff = "acceptance differs: groovy ${old.ok ? 'accepts: ' + describe(old.value) : 'refuses: ' + old.error}; " +
                    "new ${neu.ok ? 'accepts: ' + describe(neu.value) : 'refuses: ' + neu.error}"
        } else if (old.ok) {
            diff = same(old.value, neu.value)
        } else if (!neu.dsl) {
            diff = "new refuses without a DslException: ${neu.error}"
        } else if (neu.error.message.contains('\n') || !neu.error.message.startsWith('--model')) {
            diff = "new refusal is not one '--model' line: ${neu.error.message}"
        }
        [diff: diff, accepted: old.ok]
    }

    private static String describe(Object v) {
        v == null ? 'null' : "${v.getClass().simpleName} ${v}"
    }

    /** Null when {@code a} and {@code b} are the same value, else what differs. */
    private String same(Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null ? null : "${describe(a)} vs ${describe(b)}"
        }
        if (a instanceof Number || a instanceof String || a instanceof Boolean) {
            boolean eq = a.getClass() == b.getClass() && (a instanceof Double || a instanceof Float
                    ? Double.compare(a.doubleValue(), b.doubleValue()) == 0 : a.equals(b))
            return eq ? null : "${describe(a)} vs ${describe(b)}"
        }
        if (a instanceof List) {
            if (!(b instanceof List) || a.size() != b.size()) {
                return "${describe(a)} vs ${describe(b)}"
            }
            for (int i = 0; i < a.size(); i++) {
                def d = same(a[i], b[i])
                if (d) {
                    return d
                }
            }
            return null
        }
        if (a instanceof Map) {
            if (!(b instanceof Map) || a.keySet().toList() != b.keySet().toList()) {
                return "${describe(a)} vs ${describe(b)}"
            }
            for (k in a.keySet()) {
                def d = same(a[k], b[k])
                if (d) {
                    return d
                }
            }
            return null
        }
        if (a instanceof Closure) {
            if (!(b instanceof Closure)) {
                return "${describe(a)} vs ${describe(b)}"
            }
            for (x in [-1.5d, 0d, 0.25d, 2d, 3]) {
                def ra = run { a.call(x) }
                def rb = run { b.call(x) }
                if (ra.ok != rb.ok || ra.ok && same(ra.value, rb.value)) {
                    return "closure at ${x}: ${ra} vs ${rb}"
                }
            }
            return null
        }
        if (a instanceof Layer) {
            if (!(b instanceof Layer) || a.toString() != b.toString() || ModelSource.of(a) != ModelSource.of(b)) {
                return "${describe(a)} vs ${describe(b)}"
            }
            if (a instanceof Activation) {
                for (x in [-1.5d, 0d, 0.3d, 2d]) {
                    def ra = run { a.value(x) }
                    def rb = run { b.value(x) }
                    if (ra.ok != rb.ok || ra.ok && same(ra.value, rb.value)) {
                        return "activation at ${x}: ${ra} vs ${rb}"
                    }
                }
            }
            if (!ModelSource.of(a).isPresent()) {
                // built with a closure: compare kernels on a small input
                def x = Tensor.of([[0.3d, -1.2d, 0.4d], [0.5d, 0.1d, -0.2d]] as double[][])
                def ka = run { a.kernel(x) }
                def kb = run { b.kernel(x) }
                if (ka.ok != kb.ok || ka.ok && (ka.value.ntk().data() != kb.value.ntk().data()
                        || ka.value.nngp().data() != kb.value.nngp().data())) {
                    return "kernels differ: ${ka} vs ${kb}"
                }
            }
            return null
        }
        return a.getClass() == b.getClass() ? null : "${describe(a)} vs ${describe(b)}"
    }

    private static Path root() {
        Path p = Path.of('').toAbsolutePath()
        while (p != null && !(Files.exists(p.resolve('core')) && Files.exists(p.resolve('docs')))) {
            p = p.parent
        }
        p
    }

    private static String unescape(String s) {
        s.replace('\\n', '\n').replace('\\t', '\t').replace("\\'", "'").replace('\\"', '"').replace('\\$', '$').replace('\\\\', '\\')
    }

    /** Every quoted string or code span of the repository's specs, docs and scripts that calls a DSL word, and whole script files. */
    private List<String> repositoryCorpus() {
        Path r = root()
        Set<String> words = wb.words().keySet()
        List<Path> files = []
        [r.resolve('README.md'), r.resolve('docs'), r.resolve('scripts'), r.resolve('core/src/test'), r.resolve('app/src/test'),
         r.resolve('plugins')].each { p ->
            if (Files.isRegularFile(p)) {
                files << p
            } else if (Files.isDirectory(p)) {
                Files.walk(p).withCloseable { st ->
                    st.filter { f -> Files.isRegularFile(f) && f.toString() =~ /\.(groovy|md|sh|py|java)$/ && !f.toString().contains('/target/') }
                            .forEach { f -> files << f }
                }
            }
        }
        Set<String> out = new LinkedHashSet<>()
        def call = ~/\b([a-z][A-Za-z0-9]*)\s*[({]/
        for (Path f : files) {
            String text = Files.readString(f)
            if (f.toString().endsWith('.groovy') && f.toString().contains('/scripts/') && text.length() < 200_000) {
                out << text
            }
            def quoted = text =~ /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`([^`\n]+)`/
            while (quoted.find()) {
                String s = quoted.group(1) != null ? unescape(quoted.group(1)) : quoted.group(2) != null ? unescape(quoted.group(2)) : quoted.group(3)
                def m = s =~ call
                boolean model = false
                while (m.find()) {
                    if (words.contains(m.group(1))) {
                        model = true
                        break
                    }
                }
                if (model) {
                    out << s
                }
            }
        }
        out.toList()
    }

    def "every model-expression-like text of the repository: the same acceptance and the same value as Groovy's parser gave"() {
        given:
        def corpus = repositoryCorpus()
        List<String> diffs = []
        int accepted = 0

        when:
        for (s in corpus) {
            def c = compare(s)
            if (c.diff) {
                diffs << "${ModelParser.abbreviate(s)} => ${c.diff}".toString()
            }
            accepted += c.accepted ? 1 : 0
        }

        then:
        diffs.isEmpty() || { println diffs.join('\n'); false }()
        corpus.size() > 150
        accepted > 50
    }

    // ------------------------------------------------------------------ random corpus

    static class Gen {
        final Random rnd
        int vars = 0
        List<String> defined = []

        Gen(long seed) {
            rnd = new Random(seed)
        }

        String pick(List<String> xs) {
            xs[rnd.nextInt(xs.size())]
        }

        String ws() {
            pick(['', '', '', ' ', '  ', '\n ', ' /* c */ ', '\t'])
        }

        String number() {
            pick(['0', '1', '2', '3', '7', '10', '512', '2147483647', '2147483648', '9223372036854775807', '9223372036854775808',
                  '0.5', '0.1', '1.25', '1e3', '1.5e-3', '2E+2', '0.5d', '1d', '1.5f', '0.1g', '3L', '4l', '5G', '6i', '0x1F', '0X10L',
                  '017', '0b101', '1_000', '1_0.2_5', '00.5', '0.0', '0d', '1e-5d', '123456789012345678901234567890', '1.0E-5'])
        }

        String arith(int d) {
            if (d <= 0 || rnd.nextInt(4) == 0) {
                return rnd.nextInt(6) == 0 && !defined.isEmpty() ? pick(defined)
                        : rnd.nextInt(10) == 0 ? pick(['Math.PI', 'Math.E', 'Double.NaN', 'Double.MAX_VALUE', 'Double.MIN_VALUE',
                                                       'Double.POSITIVE_INFINITY']) : number()
            }
            switch (rnd.nextInt(9)) {
                case 0: return '(' + ws() + arith(d - 1) + ws() + ')'
                case 1: return '-' + ws() + arith(d - 1)
                case 2: return 'Math.' + pick(['sin', 'exp', 'sqrt', 'abs', 'floor', 'log1p']) + '(' + arith(d - 1) + ')'
                case 3: return 'Math.' + pick(['pow', 'max', 'min', 'atan2', 'hypot']) + '(' + arith(d - 1) + ', ' + arith(d - 1) + ')'
                case 4: return '(' + cond(d - 1) + ' ? ' + arith(d - 1) + ' : ' + arith(d - 1) + ')'
                default: return arith(d - 1) + ws() + pick(['+', '-', '*', '/', '%', '**', '+', '*']) + ws() + arith(d - 1)
            }
        }

        String cond(int d) {
            switch (rnd.nextInt(6)) {
                case 0: return pick(['true', 'false'])
                case 1: return '!' + cond(d - 1)
                case 2: return cond(d - 1) + pick([' && ', ' || ']) + cond(d - 1)
                case 3: return '(' + cond(d - 1) + ')'
                default: return arith(d - 1) + pick([' < ', ' > ', ' <= ', ' >= ', ' == ', ' != ']) + arith(d - 1)
            }
        }

        String str() {
            pick(["'ntk'", '"standard"', "'SAME'", "'''CIRCULAR'''", '"\\u0053AME"', "'a\\tb'", "'it\\'s'", '"\\$x"', "'\\\$1'", "''"])
        }

        String value(int d) {
            switch (rnd.nextInt(12)) {
                case 0: return str()
                case 1: return '[' + (0..<rnd.nextInt(3)).collect { arith(d - 1) }.join(', ') + ']'
                case 2: return '[' + pick(['a', "'b c'", '"d"']) + ': ' + arith(d - 1) + ']'
                case 3: return pick(['true', 'false', 'null', '[:]', '[]'])
                default: return arith(d)
            }
        }

        String dense(int d) {
            List<String> args = ['' + (1 + rnd.nextInt(8))]
            if (rnd.nextBoolean()) {
                args << 'wStd: ' + pick(['1.4', '2**0.5', 'Math.sqrt(2)', '1.5d', arith(1)])
            }
            if (rnd.nextBoolean()) {
                args << 'bStd: ' + pick(['0.1', '0', '0.05d', arith(1)])
            }
            if (rnd.nextInt(4) == 0) {
                args << "parameterization: " + pick(["'standard'", '"ntk"', "'NTK'"])
            }
            Collections.shuffle(args, rnd)
            'dense(' + args.join(',' + ws()) + ')'
        }

        String closureBody(String x) {
            switch (rnd.nextInt(5)) {
                case 0: return "Math.sin(${x}) + 0.5 * ${x}"
                case 1: return "${x} > 0 ? ${x} : 0.1 * ${x}"
                case 2: return "${x} * ${x} ${pick(['+', '-'])} ${number()}"
                case 3: return "def t = ${x} / 2; Math.exp(-t * t)"
                default: return "(${x} ** 2) % 3"
            }
        }

        String layer(int d) {
            if (d <= 0) {
                return rnd.nextBoolean() ? dense(d) : pick(['relu()', 'erf()', 'identity()', 'tanh()', 'leakyRelu(0.2)', 'flatten()', 'gelu()',
                                                            'abRelu(-0.5, 1)', 'monomial(2)', 'sigmoid()', 'sin()'])
            }
            switch (rnd.nextInt(8)) {
                case 0: return 'serial(' + (0..rnd.nextInt(3)).collect { layer(d - 1) }.join(',' + ws()) + ')'
                case 1: return 'repeat(' + layer(d - 1) + ', ' + (1 + rnd.nextInt(2)) + ')'
                case 2: return 'serial(fanOut(2), parallel(' + layer(d - 1) + ', ' + layer(d - 1) + '), fanInSum())'
                case 3:
                    String x = pick(['x', 'it', 'v'])
                    return x == 'it' ? "elementwise { ${closureBody('it')} }" : rnd.nextBoolean()
                            ? "elementwise { ${pick(['', 'double ', 'def '])}${x} -> ${closureBody(x)} }"
                            : "elementwise(fn: { ${x} -> ${closureBody(x)} })"
                default: return layer(d - 1)
            }
        }

        String model() {
            defined = []
            StringBuilder s = new StringBuilder()
            if (rnd.nextInt(3) == 0) {
                s << '// a model\n'
            }
            int n = rnd.nextInt(3)
            for (int i = 0; i < n; i++) {
                String name = 'w' + i
                s << pick(['def ', 'def ', 'var ', 'final ', 'double ']) << name << ' = ' << arith(2) << pick(['\n', '; ', '\n\n'])
                defined << name
            }
            s << layer(3)
            s.toString()
        }
    }

    def "a seeded random corpus of valid expressions: the same value as Groovy's parser gave"() {
        given:
        def gen = new Gen(6)
        List<String> diffs = []
        int accepted = 0

        when:
        (500 * SCALE).times {
            String s = it % 3 == 0 ? gen.arith(4) : it % 3 == 1 ? gen.value(3) : gen.model()
            def c = compare(s)
            if (c.diff) {
                diffs << "${s} => ${c.diff}".toString()
            }
            accepted += c.accepted ? 1 : 0
        }

        then:
        diffs.isEmpty() || { println diffs.take(40).join('\n'); false }()
        accepted > 300 * SCALE
    }

    def "a seeded random corpus of token soups (hostile and malformed): the same acceptance as Groovy's parser"() {
        given:
        def rnd = new Random(61)
        def atoms = ['dense(', 'relu()', 'serial(', 'elementwise {', 'x ->', 'x', ')', '}', ',', '8', '-1', '0.5', 'bStd:', "'s'",
                     '"g${1}"', '.', 'execute()', 'System', 'Math.sin(', '*', '+', '**', '[', ']', ':', 'new ', 'def ', '=', '\n', ';',
                     '@', '&', '?', '..', 'this', 'class', '{', '"', "'", '\\', '/*', '*/', '//', 'Double.NaN', 'parallel(', 'repeat(',
                     ' ', '(', '0x1F', '1e3', '2L', '!', '<', '>=', '==', '&&', '||', ' ? ', ' : ', 'it', 'w', 'def w = 2\n', '/',
                     "'''", '"""', '$', 'as', 'in', '->', '1_0', '0.5d', 'Math.PI', '-', '%', 'import ', '#!', 'return ', 'var ']
        List<String> diffs = []
        int accepted = 0

        when:
        (1500 * SCALE).times {
            def s = new StringBuilder()
            (1 + rnd.nextInt(10)).times { s.append(atoms[rnd.nextInt(atoms.size())]) }
            def c = compare(s.toString())
            if (c.diff) {
                diffs << "${s.toString().inspect()} => ${c.diff}".toString()
            }
            accepted += c.accepted ? 1 : 0
        }

        then:
        diffs.isEmpty() || { println diffs.take(60).join('\n'); false }()
        accepted > 10 * SCALE
    }
}
