package org.ntkworkbench.dsl;

import groovy.lang.Closure;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.codehaus.groovy.runtime.typehandling.NumberMath;
import org.ntkworkbench.dsl.ModelParser.Binary;
import org.ntkworkbench.dsl.ModelParser.Call;
import org.ntkworkbench.dsl.ModelParser.Const;
import org.ntkworkbench.dsl.ModelParser.Def;
import org.ntkworkbench.dsl.ModelParser.Entry;
import org.ntkworkbench.dsl.ModelParser.Lit;
import org.ntkworkbench.dsl.ModelParser.ListNode;
import org.ntkworkbench.dsl.ModelParser.MapNode;
import org.ntkworkbench.dsl.ModelParser.MathCall;
import org.ntkworkbench.dsl.ModelParser.Node;
import org.ntkworkbench.dsl.ModelParser.Return;
import org.ntkworkbench.dsl.ModelParser.Ternary;
import org.ntkworkbench.dsl.ModelParser.Unary;
import org.ntkworkbench.dsl.ModelParser.Var;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;

/**
 * The command line's {@code --model EXPR|FILE}: a DSL model expression such as
 * {@code "serial(dense(512, bStd: 0.1), relu(), dense(1))"}, or a file holding one.
 *
 * <p>A model expression is <em>data, not a program</em> (DESIGN.md): {@link ModelParser}, a small hand-written
 * parser of exactly the subset below (the only parser of model expressions; Groovy's parser is not used), turns
 * it into a tree of a few node types, which is checked as a whole and then interpreted here, node by node, never
 * compiled or run as Groovy. Only these are accepted: number, string, boolean and null literals (Groovy's literal
 * syntax and types: {@code 1} Integer, {@code 0.5} BigDecimal, {@code 0.5d} Double, {@code 2L}, {@code 3G},
 * hex/octal/binary, {@code _} separators); lists and maps; calls of DSL words with positional and named arguments
 * (mixed in any order, named ones passed first as Groovy does) and trailing closures, also without parentheses
 * ({@code dense 8}); arithmetic ({@code + - * / % **}, unary minus) with Groovy's number rules ({@code 1/2} is the
 * BigDecimal 0.5), comparisons, {@code && || !} and {@code c ? a : b}, with Groovy's precedence and associativity;
 * {@code def name = value} (or {@code var}/{@code final}/a type) and names so defined; closures of at most one
 * untyped or double parameter ({@code elementwise { x -> … }}, {@code { it * it }}) made of the same; the pure
 * functions and constants of {@code Math} ({@code Math.sin(x)}, {@code Math.PI}) and {@code Double}
 * ({@code Double.NaN}); comments, {@code #!} on the first line, newlines or {@code ;} between statements, the last
 * statement's value being the result. Anything else (method calls on values, property access, {@code new},
 * imports, annotations, casts, GStrings, method pointers and references, lambdas, classes, assignment, loops, the
 * elvis operator, ranges, bitwise operators, subscripts, spreads) is refused in one line naming the construct and
 * its line and column; so are words that touch files or the run ({@link #NOT_MODEL_WORDS}), unknown names, and
 * texts nesting deeper than {@link ModelParser#MAX_DEPTH}. An {@code ntk run} script is code and is compiled
 * normally by {@link ScriptRunner}.
 */
public final class ModelExpressions {
    private ModelExpressions() {}

    /** Words that read or write files, change global settings or belong to experiments: not in a model expression. */
    public static final Set<String> NOT_MODEL_WORDS = Set.of("save", "load", "report", "result", "plot", "plotResiduals",
            "consistency", "experiment", "sweep", "threads", "notes", "data", "model", "train", "analyse", "table", "series",
            "degreeResiduals", "regionConvergence", "densityConvergence", "extrapolation", "locality");

    static final Set<String> MATH_1 = Set.of("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp",
            "expm1", "log", "log1p", "log10", "sqrt", "cbrt", "abs", "signum", "floor", "ceil", "rint", "toRadians", "toDegrees");
    static final Set<String> MATH_2 = Set.of("atan2", "pow", "hypot", "max", "min");
    static final Map<String, Double> CONSTANTS = Map.of("Math.PI", Math.PI, "Math.E", Math.E, "Double.NaN", Double.NaN,
            "Double.POSITIVE_INFINITY", Double.POSITIVE_INFINITY, "Double.NEGATIVE_INFINITY", Double.NEGATIVE_INFINITY,
            "Double.MAX_VALUE", Double.MAX_VALUE, "Double.MIN_VALUE", Double.MIN_VALUE);
    private static final String HINT = " (a model expression is data: DSL words, literals, named arguments, arithmetic;"
            + " put code in an ntk run script)";

    /** Evaluates {@code exprOrFile} to a model; a {@link DslException} names the problem in one line. */
    public static Layer parse(DslContext workbench, String exprOrFile) {
        return read(exprOrFile).layer(workbench);
    }

    /**
     * {@code exprOrFile} read (a file's text) and parsed, not yet evaluated: what {@link #parse} does before it needs
     * the workbench, so that a command can see which words the model calls ({@link Source#callsOnly}) before it chooses
     * a workbench. Never throws: a read or parse error is reported by {@link Source#layer}, where {@link #parse} reports it.
     */
    public static Source read(String exprOrFile) {
        String source = exprOrFile;
        String name = "--model";
        Path file = Path.of(exprOrFile.length() < 250 && !exprOrFile.contains("(") && !exprOrFile.contains("\0") ? exprOrFile : ".");
        Path read = null;
        if (exprOrFile.endsWith(".groovy") || (Files.isRegularFile(file) && !exprOrFile.contains("("))) {
            try {
                source = Files.readString(file, StandardCharsets.UTF_8);
                read = file;
                name = "--model " + file;
            } catch (IOException e) {
                return new Source(name, null, null, new DslException("--model " + exprOrFile + ": cannot read: " + e.getMessage()));
            } catch (RuntimeException e) {
                return new Source(name, null, null, new DslException("--model " + exprOrFile + ": cannot read: not UTF-8 text"));
            }
        }
        if (source.startsWith("\uFEFF")) {
            source = source.substring(1);
        }
        try {
            return new Source(name, read, statements(source, name), null);
        } catch (RuntimeException e) {
            return new Source(name, read, null, e);
        }
    }

    /** A model text read and parsed by {@link #read}; {@link #layer} evaluates it. */
    public static final class Source {
        private final String name;
        private final Path file;
        private final List<Node> statements;
        private final RuntimeException error;

        private Source(String name, Path file, List<Node> statements, RuntimeException error) {
            this.name = name;
            this.file = file;
            this.statements = statements;
            this.error = error;
        }

        /**
         * Whether the text parsed and names nothing but calls of {@code words} (no {@code def}, no variables, no
         * closures, whose names would be checked against every word, plugins' included): then evaluating it in any
         * workbench that has these words gives the same model or the same error.
         */
        public boolean callsOnly(Set<String> words) {
            if (statements == null) {
                return false;
            }
            for (Node s : statements) {
                if (!callsOnly(s, words)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean callsOnly(Node e, Set<String> words) {
            return switch (e) {
                case Lit l -> true;
                case ListNode l -> l.items().stream().allMatch(x -> callsOnly(x, words));
                case MapNode m -> m.entries().stream().allMatch(x -> callsOnly(x.value(), words));
                case Call c -> words.contains(c.name()) && c.named().stream().allMatch(x -> callsOnly(x.value(), words))
                        && c.positional().stream().allMatch(x -> callsOnly(x, words));
                case MathCall m -> m.args().stream().allMatch(x -> callsOnly(x, words));
                case Const c -> true;
                case Binary b -> callsOnly(b.left(), words) && callsOnly(b.right(), words);
                case Unary u -> callsOnly(u.operand(), words);
                case Ternary t -> callsOnly(t.condition(), words) && callsOnly(t.ifTrue(), words) && callsOnly(t.ifFalse(), words);
                case Return r -> callsOnly(r.value(), words);
                case Var v -> false;
                case Def d -> false;
                case ModelParser.Closure c -> false;
            };
        }

        /** The model, or the read, parse or evaluation error as a one-line {@link DslException}, as {@link #parse} gives them. */
        public Layer layer(DslContext workbench) {
            if (error != null) {
                throw error;
            }
            if (file != null) {
                org.ntkworkbench.io.ReadLog.read(file);
            }
            Object value = run(workbench, statements, name);
            if (!(value instanceof Layer layer)) {
                throw new DslException(name + ": the expression gives " + (value == null ? "nothing" : "a " + value.getClass().getSimpleName())
                        + ", not a model; e.g. --model \"serial(dense(512), relu(), dense(1))\"");
            }
            return layer;
        }
    }

    /**
     * Starts, on a background daemon thread, what the first {@link #parse} would otherwise do on the caller's thread:
     * the Groovy runtime's initialisation, which closures ({@code elementwise { x -> … }}) and the layer calls that
     * {@link LayerDispatch} leaves to Groovy's dispatch need. Not for an expression without a closure (no {@code &#123;}):
     * its plain calls are dispatched in Java since session 7, and the runtime would cost ≈ 0.15–0.3 CPU s for nothing
     * (a rare call that still needs Groovy starts it itself). A start-up optimisation for the CLI, which meanwhile starts
     * the workbench on its main thread: it decides nothing, every error is ignored here and reported by the real
     * {@link #parse}.
     */
    public static void warmUp(String exprOrFile) {
        if (exprOrFile.contains("(") && !exprOrFile.contains("{")) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                org.codehaus.groovy.runtime.InvokerHelper.getMetaClass(Layer.class);
            } catch (RuntimeException | LinkageError ignored) {
                // the real parse reports it
            }
        }, "ntk-model-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Interprets {@code source} under the rules of the class comment and returns its last value; {@code what}
     * starts every error message (e.g. {@code --model}).
     */
    public static Object evaluate(DslContext workbench, String source, String what) {
        return run(workbench, statements(source, what), what);
    }

    private static List<Node> statements(String source, String what) {
        try {
            return ModelParser.parse(source, what);
        } catch (StackOverflowError e) {
            throw new DslException(what + ": the expression nests too deeply");
        }
    }

    private static Object run(DslContext workbench, List<Node> statements, String what) {
        Interpreter in = new Interpreter(workbench, what);
        in.check(statements, new HashSet<>());
        try {
            return in.statements(statements, in.globals);
        } catch (StackOverflowError e) {
            throw new DslException(what + ": the expression nests too deeply");
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Checks and evaluates the tree of {@link ModelParser}. */
    private static final class Interpreter {
        private final DslContext workbench;
        private final String what;
        private final Map<String, Object> globals = new HashMap<>();

        Interpreter(DslContext workbench, String what) {
            this.workbench = workbench;
            this.what = what;
        }

        DslException refuse(Node node, String message) {
            String where = node != null && node.line() > 0 ? " line " + node.line() + ", column " + node.col() + ":" : "";
            return new DslException(what + ":" + where + " " + message);
        }

        DslException refuse(Entry e, String message) {
            return new DslException(what + ": line " + e.line() + ", column " + e.col() + ": " + message);
        }

        Object statements(List<Node> list, Map<String, Object> scope) {
            Object last = null;
            for (Node s : list) {
                if (s instanceof Return r) {
                    return eval(r.value(), scope);
                }
                last = eval(s, scope);
            }
            return last;
        }

        Object eval(Node e, Map<String, Object> scope) {
            return switch (e) {
                case Lit l -> l.value();
                case ListNode l -> {
                    List<Object> out = new ArrayList<>();
                    for (Node x : l.items()) {
                        out.add(eval(x, scope));
                    }
                    yield out;
                }
                case MapNode m -> map(m.entries(), scope);
                case Call c -> call(c, scope);
                case MathCall m -> {
                    List<Object> args = new ArrayList<>();
                    for (Node x : m.args()) {
                        args.add(eval(x, scope));
                    }
                    yield math(m, m.name(), args);
                }
                case Const c -> CONSTANTS.get(c.name());
                case Var v -> {
                    String n = v.name();
                    if (scope.containsKey(n)) {
                        yield scope.get(n);
                    }
                    if (scope != globals && globals.containsKey(n)) {
                        yield globals.get(n);
                    }
                    throw unknownName(v);
                }
                case Def d -> {
                    Object v = eval(d.value(), scope);
                    scope.put(d.name(), v);
                    yield v;
                }
                case Binary b -> binary(b, scope);
                case Unary u -> switch (u.op()) {
                    case "-" -> unaryMinus(u, number(u, eval(u.operand(), scope)));
                    case "+" -> number(u, eval(u.operand(), scope));
                    default -> !bool(u, eval(u.operand(), scope));
                };
                case Ternary t -> bool(t, eval(t.condition(), scope)) ? eval(t.ifTrue(), scope) : eval(t.ifFalse(), scope);
                case ModelParser.Closure c -> new DataClosure(this, c.param(), c.body(), new HashMap<>(scope));
                case Return r -> eval(r.value(), scope);
            };
        }

        DslException unknownName(Var v) {
            String n = v.name();
            if (workbench.words().containsKey(n)) {
                return refuse(v, "'" + n + "' is a word: call it, " + n + "(...)");
            }
            return refuse(v, "unknown name '" + n + "'; only names defined with def in the expression and closure parameters"
                    + " can be used" + HINT);
        }

        /**
         * Checks statements before anything runs (closure bodies included), with the names defined so far: calls
         * name DSL words that belong in a model, names are defined before use and new names are free.
         */
        void check(List<Node> list, Set<String> names) {
            for (Node s : list) {
                check(s, names);
            }
        }

        void check(Node e, Set<String> names) {
            switch (e) {
                case Lit l -> { }
                case ListNode l -> l.items().forEach(x -> check(x, names));
                case MapNode m -> m.entries().forEach(x -> check(x.value(), names));
                case Call c -> {
                    if (NOT_MODEL_WORDS.contains(c.name())) {
                        throw refuse(c, "the word '" + c.name() + "' reads or writes files or runs an experiment; it belongs in an ntk run script,"
                                + " not in a model expression");
                    }
                    if (!workbench.words().containsKey(c.name())) {
                        throw refuse(c, "'" + c.name() + "' is not a DSL word" + ScriptRunnerSuggest.suggestion(c.name(), workbench.words().keySet())
                                + "; only DSL words can be called" + HINT);
                    }
                    c.named().forEach(x -> check(x.value(), names));
                    c.positional().forEach(x -> check(x, names));
                }
                case MathCall m -> m.args().forEach(x -> check(x, names));
                case Const c -> { }
                case Var v -> {
                    if (!names.contains(v.name())) {
                        throw unknownName(v);
                    }
                }
                case Def d -> {
                    checkNewName(d, d.name());
                    check(d.value(), names);
                    names.add(d.name());
                }
                case Binary b -> {
                    check(b.left(), names);
                    check(b.right(), names);
                }
                case Unary u -> check(u.operand(), names);
                case Ternary t -> {
                    check(t.condition(), names);
                    check(t.ifTrue(), names);
                    check(t.ifFalse(), names);
                }
                case ModelParser.Closure c -> {
                    if (!c.param().equals("it")) {
                        checkNewName(c, c.param());
                    }
                    Set<String> inner = new HashSet<>(names);
                    inner.add(c.param());
                    check(c.body(), inner);
                }
                case Return r -> check(r.value(), names);
            }
        }

        void checkNewName(Node at, String n) {
            if (n.equals("this") || n.equals("super") || n.equals("it") || n.equals("delegate") || n.equals("owner")
                    || n.equals("Math") || n.equals("Double") || workbench.words().containsKey(n)) {
                throw refuse(at, "the name '" + n + "' cannot be defined" + HINT);
            }
        }

        Map<String, Object> map(List<Entry> entries, Map<String, Object> scope) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Entry me : entries) {
                out.put(me.key(), eval(me.value(), scope));
            }
            return out;
        }

        Object binary(Binary b, Map<String, Object> scope) {
            String op = b.op();
            if (op.equals("&&")) {
                return bool(b, eval(b.left(), scope)) && bool(b, eval(b.right(), scope));
            }
            if (op.equals("||")) {
                return bool(b, eval(b.left(), scope)) || bool(b, eval(b.right(), scope));
            }
            if (op.equals("==") || op.equals("!=")) {
                Object l = eval(b.left(), scope);
                Object r = eval(b.right(), scope);
                boolean eq = l instanceof Number ln && r instanceof Number rn ? NumberMath.compareTo(ln, rn) == 0
                        : l == null ? r == null : (l instanceof String || l instanceof Boolean) && l.equals(r);
                return op.equals("==") == eq;
            }
            Number l = number(b.left(), eval(b.left(), scope));
            Number r = number(b.right(), eval(b.right(), scope));
            try {
                return arithmetic(op, l, r);
            } catch (ArithmeticException e) {
                throw refuse(b, "'" + op + "': " + (e.getMessage() == null ? "arithmetic failed" : firstLine(e.getMessage())));
            }
        }

        /** Groovy's arithmetic and comparisons of two numbers ({@link NumberMath}: 1/2 is the BigDecimal 0.5). */
        Object arithmetic(String op, Number l, Number r) {
            return switch (op) {
                case "+" -> NumberMath.add(l, r);
                case "-" -> NumberMath.subtract(l, r);
                case "*" -> NumberMath.multiply(l, r);
                case "/" -> NumberMath.divide(l, r);
                case "%" -> NumberMath.remainder(l, r);
                case "**" -> power(l, r);
                case "<" -> NumberMath.compareTo(l, r) < 0;
                case ">" -> NumberMath.compareTo(l, r) > 0;
                case "<=" -> NumberMath.compareTo(l, r) <= 0;
                default -> NumberMath.compareTo(l, r) >= 0;
            };
        }

        Number number(Node at, Object v) {
            if (v instanceof Number n) {
                return n;
            }
            throw refuse(at, "arithmetic works on numbers only, not on " + (v == null ? "null" : "a " + v.getClass().getSimpleName()) + HINT);
        }

        boolean bool(Node at, Object v) {
            if (v instanceof Boolean bv) {
                return bv;
            }
            throw refuse(at, "a condition must be a comparison or true/false" + HINT);
        }

        /** Groovy's unary minus of a number (InvokerHelper.unaryMinus, without starting Groovy's runtime). */
        Number unaryMinus(Node at, Number n) {
            return switch (n) {
                case Integer v -> -v;
                case Long v -> -v;
                case BigInteger v -> v.negate();
                case BigDecimal v -> v.negate();
                case Double v -> -v;
                case Float v -> -v;
                case Short v -> (short) -v;
                case Byte v -> (byte) -v;
                default -> throw refuse(at, "cannot negate a " + n.getClass().getSimpleName());
            };
        }

        Object call(Call mc, Map<String, Object> scope) {
            String name = mc.name();
            DslWord word = workbench.words().get(name);
            List<Object> args = new ArrayList<>();
            if (!mc.named().isEmpty()) {
                // Groovy's argument order: a leading map of the named arguments, then the positional ones
                args.add(map(mc.named(), scope));
            }
            for (Node x : mc.positional()) {
                args.add(eval(x, scope));
            }
            try {
                return word.call(DslArgs.fromGroovy(name, args.toArray()));
            } catch (DslException ex) {
                throw refuse(mc, ex.getMessage());
            } catch (IllegalArgumentException ex) {
                throw refuse(mc, name + ": " + firstLine(ex.getMessage()));
            } catch (RuntimeException ex) {
                if (isMissingMethod(ex)) {
                    throw refuse(mc, name + ": no form takes these arguments");
                }
                throw refuse(mc, name + ": " + (ex.getMessage() == null ? "failed" : firstLine(ex.getMessage())));
            }
        }

        Object math(Node at, String name, List<Object> args) {
            int arity = MATH_1.contains(name) ? 1 : 2;
            if (args.size() != arity) {
                throw refuse(at, "Math." + name + " takes " + arity + " argument" + (arity == 1 ? "" : "s"));
            }
            double x = number(at, args.get(0)).doubleValue();
            if (arity == 1) {
                return switch (name) {
                    case "sin" -> Math.sin(x);
                    case "cos" -> Math.cos(x);
                    case "tan" -> Math.tan(x);
                    case "asin" -> Math.asin(x);
                    case "acos" -> Math.acos(x);
                    case "atan" -> Math.atan(x);
                    case "sinh" -> Math.sinh(x);
                    case "cosh" -> Math.cosh(x);
                    case "tanh" -> Math.tanh(x);
                    case "exp" -> Math.exp(x);
                    case "expm1" -> Math.expm1(x);
                    case "log" -> Math.log(x);
                    case "log1p" -> Math.log1p(x);
                    case "log10" -> Math.log10(x);
                    case "sqrt" -> Math.sqrt(x);
                    case "cbrt" -> Math.cbrt(x);
                    case "abs" -> Math.abs(x);
                    case "signum" -> Math.signum(x);
                    case "floor" -> Math.floor(x);
                    case "ceil" -> Math.ceil(x);
                    case "rint" -> Math.rint(x);
                    case "toRadians" -> Math.toRadians(x);
                    default -> Math.toDegrees(x);
                };
            }
            double y = number(at, args.get(1)).doubleValue();
            return switch (name) {
                case "atan2" -> Math.atan2(x, y);
                case "pow" -> Math.pow(x, y);
                case "hypot" -> Math.hypot(x, y);
                case "max" -> Math.max(x, y);
                default -> Math.min(x, y);
            };
        }

    }

    /** Groovy's MissingMethodException (a word's dispatch found no form), tested by name: no Groovy class is loaded for it. */
    private static boolean isMissingMethod(Throwable ex) {
        for (Class<?> k = ex.getClass(); k != null; k = k.getSuperclass()) {
            if (k.getName().equals("groovy.lang.MissingMethodException")) {
                return true;
            }
        }
        return false;
    }

    /** Groovy's {@code **} on two numbers as {@code DefaultGroovyMethods.power(Number, Number)} computes it. */
    static Number power(Number self, Number exponent) {
        double answer = Math.pow(self.doubleValue(), exponent.doubleValue());
        if ((double) (int) answer == answer) {
            return (int) answer;
        } else if ((double) (long) answer == answer) {
            return (long) answer;
        }
        return answer;
    }

    /** A closure of the model expression: evaluates its body by the interpreter, with one argument. */
    private static final class DataClosure extends Closure<Object> {
        private final transient Interpreter in;
        private final String param;
        private final List<Node> body;
        private final Map<String, Object> captured;

        DataClosure(Interpreter in, String param, List<Node> body, Map<String, Object> captured) {
            super(null);
            this.in = in;
            this.param = param;
            this.body = body;
            this.captured = captured;
            this.maximumNumberOfParameters = 1;
            this.parameterTypes = new Class<?>[] {Object.class};
        }

        /** The closure's body with its parameter bound to {@code x}. */
        public Object doCall(Object x) {
            Map<String, Object> scope = new HashMap<>(captured);
            scope.put(param, x);
            return in.statements(body, scope);
        }

        @Override
        public Object call(Object... args) {
            return doCall(args.length == 0 ? null : args[0]);
        }

        @Override
        public Object call(Object arg) {
            return doCall(arg);
        }

        @Override
        public Object call() {
            return doCall(null);
        }
    }

    /** Access to the "did you mean" of scripts. */
    private static final class ScriptRunnerSuggest {
        static String suggestion(String name, Set<String> words) {
            String best = null;
            int bestD = 3;
            for (String w : words) {
                int d = levenshtein(name.toLowerCase(java.util.Locale.ROOT), w.toLowerCase(java.util.Locale.ROOT));
                if (d < bestD) {
                    bestD = d;
                    best = w;
                }
            }
            return best == null ? "" : " (did you mean " + best + "?)";
        }

        static int levenshtein(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }
    }
}
