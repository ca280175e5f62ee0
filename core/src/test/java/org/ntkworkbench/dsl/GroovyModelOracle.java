package org.ntkworkbench.dsl;

import groovy.lang.Closure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.BooleanExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.NamedArgumentListExpression;
import org.codehaus.groovy.ast.expr.NotExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.TernaryExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.UnaryMinusExpression;
import org.codehaus.groovy.ast.expr.UnaryPlusExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.EmptyStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.ReturnStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.ErrorCollector;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.runtime.DefaultGroovyMethods;
import org.codehaus.groovy.runtime.typehandling.NumberMath;
import org.codehaus.groovy.syntax.Types;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;

/**
 * Test-only oracle: the session-5 interpreter of model expressions over Groovy's own parser and syntax tree, kept
 * verbatim (only renamed) so that {@code ModelParserOracleSpec} can show that {@link ModelParser}, the parser used
 * since session 6, accepts and refuses the same texts and gives the same values. Not used by any product code.
 */
public final class GroovyModelOracle {
    private GroovyModelOracle() {}

    /** Words that read or write files, change global settings or belong to experiments: not in a model expression. */
    public static final Set<String> NOT_MODEL_WORDS = Set.of("save", "load", "report", "result", "plot", "plotResiduals",
            "consistency", "experiment", "sweep", "threads", "notes", "data", "model", "train", "analyse", "table", "series",
            "degreeResiduals", "regionConvergence", "densityConvergence", "extrapolation", "locality");

    private static final Set<String> MATH_1 = Set.of("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp",
            "expm1", "log", "log1p", "log10", "sqrt", "cbrt", "abs", "signum", "floor", "ceil", "rint", "toRadians", "toDegrees");
    private static final Set<String> MATH_2 = Set.of("atan2", "pow", "hypot", "max", "min");
    private static final Map<String, Double> CONSTANTS = Map.of("Math.PI", Math.PI, "Math.E", Math.E, "Double.NaN", Double.NaN,
            "Double.POSITIVE_INFINITY", Double.POSITIVE_INFINITY, "Double.NEGATIVE_INFINITY", Double.NEGATIVE_INFINITY,
            "Double.MAX_VALUE", Double.MAX_VALUE, "Double.MIN_VALUE", Double.MIN_VALUE);
    private static final String HINT = " (a model expression is data: DSL words, literals, named arguments, arithmetic;"
            + " put code in an ntk run script)";

    /** Evaluates {@code exprOrFile} to a model; a {@link DslException} names the problem in one line. */
    public static Layer parse(DslContext workbench, String exprOrFile) {
        String source = exprOrFile;
        String name = "--model";
        Path file = Path.of(exprOrFile.length() < 250 && !exprOrFile.contains("(") && !exprOrFile.contains("\0") ? exprOrFile : ".");
        if (exprOrFile.endsWith(".groovy") || (Files.isRegularFile(file) && !exprOrFile.contains("("))) {
            try {
                source = Files.readString(file, StandardCharsets.UTF_8);
                org.ntkworkbench.io.ReadLog.read(file);
                name = "--model " + file;
            } catch (IOException e) {
                throw new DslException("--model " + exprOrFile + ": cannot read: " + e.getMessage());
            } catch (RuntimeException e) {
                throw new DslException("--model " + exprOrFile + ": cannot read: not UTF-8 text");
            }
        }
        if (source.startsWith("\uFEFF")) {
            source = source.substring(1);
        }
        Object value = evaluate(workbench, source, name);
        if (!(value instanceof Layer layer)) {
            throw new DslException(name + ": the expression gives " + (value == null ? "nothing" : "a " + value.getClass().getSimpleName())
                    + ", not a model; e.g. --model \"serial(dense(512), relu(), dense(1))\"");
        }
        return layer;
    }

    /**
     * Starts, on a background daemon thread, what the first {@link #parse} of {@code exprOrFile} would otherwise do
     * on the caller's thread: the Groovy runtime's initialisation (the layer words dispatch through it) and the
     * parser's classes and tables, by building (and dropping) the syntax tree of an inline expression. A start-up
     * optimisation for the CLI, which meanwhile starts the workbench on its main thread: it decides nothing, every
     * error is ignored here and reported by the real {@link #parse}.
     */
    public static void warmUp(String exprOrFile) {
        Thread t = new Thread(() -> {
            try {
                org.codehaus.groovy.runtime.InvokerHelper.getMetaClass(Layer.class);
                if (exprOrFile != null && exprOrFile.contains("(")) {
                    syntaxTree(exprOrFile, "--model");
                }
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
        ModuleNode module = syntaxTree(source, what);
        Interpreter in = new Interpreter(workbench, what);
        in.checkModule(module);
        in.check(module.getStatementBlock().getStatements(), new java.util.HashSet<>());
        return in.run(module.getStatementBlock());
    }

    private static ModuleNode syntaxTree(String source, String what) {
        CompilerConfiguration cc = new CompilerConfiguration();
        // Only parsing and conversion to the syntax tree run: no class resolution, no AST transformations
        // (so @Grab and friends never act), no code generation.
        SourceUnit su = new SourceUnit("model.groovy", source, cc, null, new ErrorCollector(cc));
        try {
            su.parse();
            su.completePhase();
            su.nextPhase();
            su.convert();
        } catch (MultipleCompilationErrorsException e) {
            throw new DslException(ScriptRunner.compileError(what, e).replaceFirst("^" + java.util.regex.Pattern.quote(what) + ":", what + ": line "));
        } catch (RuntimeException e) {
            throw new DslException(what + ": cannot parse: " + firstLine(e.getMessage()));
        }
        return su.getAST();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Walks and evaluates the accepted subset of Groovy's syntax tree. */
    private static final class Interpreter {
        private final DslContext workbench;
        private final String what;
        private final Map<String, Object> globals = new HashMap<>();

        Interpreter(DslContext workbench, String what) {
            this.workbench = workbench;
            this.what = what;
        }

        DslException refuse(ASTNode node, String message) {
            String where = node != null && node.getLineNumber() > 0
                    ? " line " + node.getLineNumber() + ", column " + node.getColumnNumber() + ":" : "";
            return new DslException(what + ":" + where + " " + message);
        }

        void checkModule(ModuleNode m) {
            if (m.getPackage() != null || !m.getImports().isEmpty() || !m.getStarImports().isEmpty()
                    || !m.getStaticImports().isEmpty() || !m.getStaticStarImports().isEmpty()) {
                throw refuse(m.getPackage(), "imports and packages are not allowed" + HINT);
            }
            for (ClassNode c : m.getClasses()) {
                if (!c.isScript()) {
                    throw refuse(c, "class declarations are not allowed" + HINT);
                }
                noAnnotations(c);
                for (MethodNode mn : c.getMethods()) {
                    if (!mn.getName().equals("run") && !mn.getName().equals("main")) {
                        throw refuse(mn, "method declarations are not allowed" + HINT);
                    }
                }
                if (!c.getFields().isEmpty() || !c.getProperties().isEmpty() || !c.getObjectInitializerStatements().isEmpty()) {
                    throw refuse(c, "fields and initialisers are not allowed" + HINT);
                }
            }
        }

        void noAnnotations(AnnotatedNode n) {
            if (!n.getAnnotations().isEmpty()) {
                throw refuse(n.getAnnotations().get(0), "annotations (@" + n.getAnnotations().get(0).getClassNode().getNameWithoutPackage()
                        + ") are not allowed" + HINT);
            }
        }

        Object run(BlockStatement block) {
            return statements(block.getStatements(), globals, true);
        }

        Object statements(List<Statement> list, Map<String, Object> scope, boolean top) {
            Object last = null;
            for (Statement s : list) {
                if (s.getStatementLabels() != null && !s.getStatementLabels().isEmpty()) {
                    throw refuse(s, "statement labels are not allowed" + HINT);
                }
                if (s.getClass() == EmptyStatement.class) {
                    continue;
                } else if (s.getClass() == ExpressionStatement.class) {
                    last = eval(((ExpressionStatement) s).getExpression(), scope);
                } else if (s.getClass() == ReturnStatement.class) {
                    return eval(((ReturnStatement) s).getExpression(), scope);
                } else if (s.getClass() == BlockStatement.class) {
                    last = statements(((BlockStatement) s).getStatements(), scope, top);
                } else {
                    throw refuse(s, describe(s) + " is not allowed" + HINT);
                }
            }
            return last;
        }

        Object eval(Expression e, Map<String, Object> scope) {
            Class<?> k = e.getClass();
            if (k == ConstantExpression.class) {
                Object v = ((ConstantExpression) e).getValue();
                if (v == null || v instanceof Number || v instanceof String || v instanceof Boolean) {
                    return v;
                }
                throw refuse(e, "the constant " + v + " is not allowed" + HINT);
            }
            if (k == ListExpression.class) {
                List<Object> out = new ArrayList<>();
                for (Expression x : ((ListExpression) e).getExpressions()) {
                    out.add(eval(x, scope));
                }
                return out;
            }
            if (k == MapExpression.class || k == NamedArgumentListExpression.class) {
                return map((MapExpression) e, scope);
            }
            if (k == MethodCallExpression.class) {
                return call((MethodCallExpression) e, scope);
            }
            if (k == VariableExpression.class) {
                String n = ((VariableExpression) e).getName();
                if (scope.containsKey(n)) {
                    return scope.get(n);
                }
                if (scope != globals && globals.containsKey(n)) {
                    return globals.get(n);
                }
                if (workbench.words().containsKey(n)) {
                    throw refuse(e, "'" + n + "' is a word: call it, " + n + "(...)");
                }
                throw refuse(e, "unknown name '" + n + "'; only names defined with def in the expression and closure parameters"
                        + " can be used" + HINT);
            }
            if (k == DeclarationExpression.class) {
                DeclarationExpression d = (DeclarationExpression) e;
                noAnnotations(d);
                if (d.isMultipleAssignmentDeclaration() || d.getLeftExpression().getClass() != VariableExpression.class) {
                    throw refuse(e, "only 'def name = value' declarations are allowed" + HINT);
                }
                String n = d.getVariableExpression().getName();
                checkNewName(d, n);
                Object v = eval(d.getRightExpression(), scope);
                scope.put(n, v);
                return v;
            }
            if (k == BinaryExpression.class) {
                return binary((BinaryExpression) e, scope);
            }
            if (k == UnaryMinusExpression.class) {
                Object v = eval(((UnaryMinusExpression) e).getExpression(), scope);
                return org.codehaus.groovy.runtime.InvokerHelper.unaryMinus(number(e, v));
            }
            if (k == UnaryPlusExpression.class) {
                return number(e, eval(((UnaryPlusExpression) e).getExpression(), scope));
            }
            if (k == NotExpression.class) {
                return !bool(e, eval(((NotExpression) e).getExpression(), scope));
            }
            if (k == BooleanExpression.class) {
                return bool(e, eval(((BooleanExpression) e).getExpression(), scope));
            }
            if (k == TernaryExpression.class) {
                TernaryExpression t = (TernaryExpression) e;
                return bool(t, eval(t.getBooleanExpression(), scope)) ? eval(t.getTrueExpression(), scope) : eval(t.getFalseExpression(), scope);
            }
            if (k == ClosureExpression.class) {
                return closure((ClosureExpression) e, scope);
            }
            if (k == PropertyExpression.class) {
                String q = qualified((PropertyExpression) e);
                if (q != null && CONSTANTS.containsKey(q)) {
                    return CONSTANTS.get(q);
                }
                throw refuse(e, "property access ('" + e.getText() + "') is not allowed; constants allowed: "
                        + String.join(", ", new java.util.TreeSet<>(CONSTANTS.keySet())) + HINT);
            }
            throw refuse(e, describe(e) + " ('" + abbreviate(e.getText()) + "') is not allowed" + HINT);
        }


        /**
         * Checks statements before anything runs (closure bodies included), with the names defined so far;
         * the same rules as {@link #eval}, so a refused construct is refused even inside a closure never called.
         */
        void check(List<Statement> list, Set<String> names) {
            for (Statement s : list) {
                if (s.getStatementLabels() != null && !s.getStatementLabels().isEmpty()) {
                    throw refuse(s, "statement labels are not allowed" + HINT);
                }
                if (s.getClass() == EmptyStatement.class) {
                    continue;
                } else if (s.getClass() == ExpressionStatement.class) {
                    check(((ExpressionStatement) s).getExpression(), names);
                } else if (s.getClass() == ReturnStatement.class) {
                    check(((ReturnStatement) s).getExpression(), names);
                } else if (s.getClass() == BlockStatement.class) {
                    check(((BlockStatement) s).getStatements(), names);
                } else {
                    throw refuse(s, describe(s) + " is not allowed" + HINT);
                }
            }
        }

        void check(Expression e, Set<String> names) {
            Class<?> k = e.getClass();
            if (k == ConstantExpression.class) {
                Object v = ((ConstantExpression) e).getValue();
                if (!(v == null || v instanceof Number || v instanceof String || v instanceof Boolean)) {
                    throw refuse(e, "the constant " + v + " is not allowed" + HINT);
                }
            } else if (k == ListExpression.class) {
                ((ListExpression) e).getExpressions().forEach(x -> check(x, names));
            } else if (k == MapExpression.class || k == NamedArgumentListExpression.class) {
                for (MapEntryExpression me : ((MapExpression) e).getMapEntryExpressions()) {
                    if (me.getClass() != MapEntryExpression.class) {
                        throw refuse(me, describe(me) + " is not allowed" + HINT);
                    }
                    Object key = me.getKeyExpression().getClass() == ConstantExpression.class
                            ? ((ConstantExpression) me.getKeyExpression()).getValue() : null;
                    if (!(key instanceof String)) {
                        throw refuse(me, "map keys and argument names must be plain names or strings" + HINT);
                    }
                    check(me.getValueExpression(), names);
                }
            } else if (k == MethodCallExpression.class) {
                MethodCallExpression mc = (MethodCallExpression) e;
                if (mc.isSpreadSafe() || mc.isSafe() || mc.getGenericsTypes() != null || mc.getMethod().getClass() != ConstantExpression.class) {
                    throw refuse(mc, "'" + abbreviate(mc.getText()) + "' is not allowed" + HINT);
                }
                String name = mc.getMethodAsString();
                if (!mc.isImplicitThis()) {
                    Expression receiver = mc.getObjectExpression();
                    String cls = receiver.getClass() == VariableExpression.class ? ((VariableExpression) receiver).getName() : null;
                    if (!("Math".equals(cls) && !names.contains("Math") && (MATH_1.contains(name) || MATH_2.contains(name)))) {
                        throw refuse(mc, "method calls on values ('" + abbreviate(receiver.getText()) + "." + name
                                + "(...)') are not allowed; only DSL words and Math functions can be called" + HINT);
                    }
                } else if (NOT_MODEL_WORDS.contains(name)) {
                    throw refuse(mc, "the word '" + name + "' reads or writes files or runs an experiment; it belongs in an ntk run script,"
                            + " not in a model expression");
                } else if (!workbench.words().containsKey(name)) {
                    throw refuse(mc, "'" + name + "' is not a DSL word" + ScriptRunnerSuggest.suggestion(name, workbench.words().keySet())
                            + "; only DSL words can be called" + HINT);
                }
                Expression a = mc.getArguments();
                if (a.getClass() != ArgumentListExpression.class && a.getClass() != TupleExpression.class) {
                    throw refuse(a, "these arguments are not allowed" + HINT);
                }
                for (Expression x : ((TupleExpression) a).getExpressions()) {
                    if (x.getClass() == NamedArgumentListExpression.class && !mc.isImplicitThis()) {
                        throw refuse(x, "named arguments are for DSL words only" + HINT);
                    }
                    check(x, names);
                }
            } else if (k == VariableExpression.class) {
                String n = ((VariableExpression) e).getName();
                if (!names.contains(n)) {
                    if (workbench.words().containsKey(n)) {
                        throw refuse(e, "'" + n + "' is a word: call it, " + n + "(...)");
                    }
                    throw refuse(e, "unknown name '" + n + "'; only names defined with def in the expression and closure parameters"
                            + " can be used" + HINT);
                }
            } else if (k == DeclarationExpression.class) {
                DeclarationExpression d = (DeclarationExpression) e;
                noAnnotations(d);
                if (d.isMultipleAssignmentDeclaration() || d.getLeftExpression().getClass() != VariableExpression.class) {
                    throw refuse(e, "only 'def name = value' declarations are allowed" + HINT);
                }
                String n = d.getVariableExpression().getName();
                checkNewName(d, n);
                check(d.getRightExpression(), names);
                names.add(n);
            } else if (k == BinaryExpression.class) {
                BinaryExpression b = (BinaryExpression) e;
                String sym = b.getOperation().getText();
                if (!Set.of("+", "-", "*", "/", "%", "**", "<", ">", "<=", ">=", "==", "!=", "&&", "||").contains(sym)) {
                    throw refuse(b, "the operator '" + sym + "' is not allowed; arithmetic (+ - * / % **), comparisons, && || ! and ?: are" + HINT);
                }
                check(b.getLeftExpression(), names);
                check(b.getRightExpression(), names);
            } else if (k == UnaryMinusExpression.class) {
                check(((UnaryMinusExpression) e).getExpression(), names);
            } else if (k == UnaryPlusExpression.class) {
                check(((UnaryPlusExpression) e).getExpression(), names);
            } else if (k == NotExpression.class) {
                check(((NotExpression) e).getExpression(), names);
            } else if (k == BooleanExpression.class) {
                check(((BooleanExpression) e).getExpression(), names);
            } else if (k == TernaryExpression.class) {
                TernaryExpression t = (TernaryExpression) e;
                check(t.getBooleanExpression(), names);
                check(t.getTrueExpression(), names);
                check(t.getFalseExpression(), names);
            } else if (k == ClosureExpression.class) {
                ClosureExpression c = (ClosureExpression) e;
                Set<String> inner = new java.util.HashSet<>(names);
                inner.add(closureParameter(c));
                if (c.getCode().getClass() != BlockStatement.class) {
                    throw refuse(c, "this closure body is not allowed" + HINT);
                }
                check(((BlockStatement) c.getCode()).getStatements(), inner);
            } else if (k == PropertyExpression.class) {
                String q = qualified((PropertyExpression) e);
                if (q == null || !CONSTANTS.containsKey(q) || names.contains(q.substring(0, q.indexOf('.')))) {
                    throw refuse(e, "property access ('" + abbreviate(e.getText()) + "') is not allowed; constants allowed: "
                            + String.join(", ", new java.util.TreeSet<>(CONSTANTS.keySet())) + HINT);
                }
            } else {
                throw refuse(e, describe(e) + " ('" + abbreviate(e.getText()) + "') is not allowed" + HINT);
            }
        }

        /** The one parameter of a closure ({@code it} when none), checked: untyped or double, no default, not a reserved name. */
        String closureParameter(ClosureExpression c) {
            Parameter[] ps = c.getParameters();
            if (ps != null && ps.length > 1) {
                throw refuse(c, "closures take at most one parameter here ({ x -> ... })" + HINT);
            }
            if (ps == null || ps.length == 0) {
                return "it";
            }
            noAnnotations(ps[0]);
            if (ps[0].hasInitialExpression()) {
                throw refuse(c, "default values of closure parameters are not allowed" + HINT);
            }
            String t = ps[0].isDynamicTyped() ? "def" : ps[0].getType().getName();
            if (!Set.of("def", "double", "java.lang.Object", "Object", "java.lang.Double", "Double", "Number", "java.lang.Number").contains(t)) {
                throw refuse(c, "a closure parameter is untyped or double, not " + t + HINT);
            }
            if (!ps[0].getName().equals("it")) {
                checkNewName(c, ps[0].getName());
            }
            return ps[0].getName();
        }

        void checkNewName(ASTNode at, String n) {
            if (n.equals("this") || n.equals("super") || n.equals("it") || n.equals("delegate") || n.equals("owner")
                    || n.equals("Math") || n.equals("Double") || workbench.words().containsKey(n)) {
                throw refuse(at, "the name '" + n + "' cannot be defined" + HINT);
            }
        }

        Map<String, Object> map(MapExpression m, Map<String, Object> scope) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (MapEntryExpression me : m.getMapEntryExpressions()) {
                if (me.getClass() != MapEntryExpression.class) {
                    throw refuse(me, describe(me) + " is not allowed" + HINT);
                }
                Object key = me.getKeyExpression().getClass() == ConstantExpression.class
                        ? ((ConstantExpression) me.getKeyExpression()).getValue() : null;
                if (!(key instanceof String s)) {
                    throw refuse(me, "map keys and argument names must be plain names or strings" + HINT);
                }
                out.put(s, eval(me.getValueExpression(), scope));
            }
            return out;
        }

        Object binary(BinaryExpression b, Map<String, Object> scope) {
            int op = b.getOperation().getType();
            if (op == Types.LOGICAL_AND) {
                return bool(b, eval(b.getLeftExpression(), scope)) && bool(b, eval(b.getRightExpression(), scope));
            }
            if (op == Types.LOGICAL_OR) {
                return bool(b, eval(b.getLeftExpression(), scope)) || bool(b, eval(b.getRightExpression(), scope));
            }
            if (op == Types.COMPARE_EQUAL || op == Types.COMPARE_NOT_EQUAL) {
                Object l = eval(b.getLeftExpression(), scope);
                Object r = eval(b.getRightExpression(), scope);
                boolean eq = l instanceof Number ln && r instanceof Number rn ? NumberMath.compareTo(ln, rn) == 0
                        : l == null ? r == null : (l instanceof String || l instanceof Boolean) && l.equals(r);
                return op == Types.COMPARE_EQUAL == eq;
            }
            String sym = b.getOperation().getText();
            if (!Set.of("+", "-", "*", "/", "%", "**", "<", ">", "<=", ">=").contains(sym)) {
                throw refuse(b, "the operator '" + sym + "' is not allowed; arithmetic (+ - * / % **), comparisons, && || ! and ?: are" + HINT);
            }
            Number l = number(b.getLeftExpression(), eval(b.getLeftExpression(), scope));
            Number r = number(b.getRightExpression(), eval(b.getRightExpression(), scope));
            return switch (sym) {
                case "+" -> NumberMath.add(l, r);
                case "-" -> NumberMath.subtract(l, r);
                case "*" -> NumberMath.multiply(l, r);
                case "/" -> NumberMath.divide(l, r);
                case "%" -> NumberMath.remainder(l, r);
                case "**" -> DefaultGroovyMethods.power(l, r);
                case "<" -> NumberMath.compareTo(l, r) < 0;
                case ">" -> NumberMath.compareTo(l, r) > 0;
                case "<=" -> NumberMath.compareTo(l, r) <= 0;
                default -> NumberMath.compareTo(l, r) >= 0;
            };
        }

        Number number(ASTNode at, Object v) {
            if (v instanceof Number n) {
                return n;
            }
            throw refuse(at, "arithmetic works on numbers only, not on " + (v == null ? "null" : "a " + v.getClass().getSimpleName()) + HINT);
        }

        boolean bool(ASTNode at, Object v) {
            if (v instanceof Boolean bv) {
                return bv;
            }
            throw refuse(at, "a condition must be a comparison or true/false" + HINT);
        }

        Object call(MethodCallExpression mc, Map<String, Object> scope) {
            if (mc.isSpreadSafe() || mc.isSafe() || mc.getGenericsTypes() != null || mc.getMethod().getClass() != ConstantExpression.class) {
                throw refuse(mc, "'" + abbreviate(mc.getText()) + "' is not allowed" + HINT);
            }
            String name = mc.getMethodAsString();
            Expression receiver = mc.getObjectExpression();
            if (!mc.isImplicitThis()) {
                String cls = receiver.getClass() == VariableExpression.class ? ((VariableExpression) receiver).getName()
                        : receiver.getClass() == ClassExpression.class ? receiver.getType().getName() : null;
                if (("Math".equals(cls) || "java.lang.Math".equals(cls)) && !scope.containsKey("Math")
                        && (MATH_1.contains(name) || MATH_2.contains(name))) {
                    List<Object> args = arguments(mc, scope, false);
                    return math(mc, name, args);
                }
                throw refuse(mc, "method calls on values ('" + abbreviate(receiver.getText()) + "." + name
                        + "(...)') are not allowed; only DSL words and Math functions can be called" + HINT);
            }
            if (NOT_MODEL_WORDS.contains(name)) {
                throw refuse(mc, "the word '" + name + "' reads or writes files or runs an experiment; it belongs in an ntk run script,"
                        + " not in a model expression");
            }
            DslWord word = workbench.words().get(name);
            if (word == null) {
                throw refuse(mc, "'" + name + "' is not a DSL word" + ScriptRunnerSuggest.suggestion(name, workbench.words().keySet())
                        + "; only DSL words can be called" + HINT);
            }
            List<Object> args = arguments(mc, scope, true);
            try {
                return word.call(DslArgs.fromGroovy(name, args.toArray()));
            } catch (DslException ex) {
                throw refuse(mc, ex.getMessage());
            } catch (IllegalArgumentException ex) {
                throw refuse(mc, name + ": " + firstLine(ex.getMessage()));
            } catch (groovy.lang.MissingMethodException ex) {
                throw refuse(mc, name + ": no form takes these arguments");
            } catch (RuntimeException ex) {
                throw refuse(mc, name + ": " + (ex.getMessage() == null ? "failed" : firstLine(ex.getMessage())));
            }
        }

        /** Groovy's argument order: a leading map of the named arguments, then the positional ones. */
        List<Object> arguments(MethodCallExpression mc, Map<String, Object> scope, boolean named) {
            Expression a = mc.getArguments();
            if (a.getClass() != ArgumentListExpression.class && a.getClass() != TupleExpression.class) {
                throw refuse(a, "these arguments are not allowed" + HINT);
            }
            Map<String, Object> names = new LinkedHashMap<>();
            List<Object> positional = new ArrayList<>();
            boolean sawNamed = false;
            for (Expression x : ((TupleExpression) a).getExpressions()) {
                if (x.getClass() == NamedArgumentListExpression.class) {
                    if (!named) {
                        throw refuse(x, "named arguments are for DSL words only" + HINT);
                    }
                    names.putAll(map((MapExpression) x, scope));
                    sawNamed = true;
                } else {
                    positional.add(eval(x, scope));
                }
            }
            List<Object> out = new ArrayList<>();
            if (sawNamed) {
                out.add(names);
            }
            out.addAll(positional);
            return out;
        }

        Object math(ASTNode at, String name, List<Object> args) {
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

        Object closure(ClosureExpression c, Map<String, Object> outer) {
            String param = closureParameter(c);
            if (c.getCode().getClass() != BlockStatement.class) {
                throw refuse(c, "this closure body is not allowed" + HINT);
            }
            List<Statement> body = ((BlockStatement) c.getCode()).getStatements();
            Map<String, Object> captured = new HashMap<>(outer);
            return new DataClosure(this, param, body, captured);
        }

        String qualified(PropertyExpression p) {
            if (p.isSafe() || p.isSpreadSafe() || p.getProperty().getClass() != ConstantExpression.class) {
                return null;
            }
            Expression o = p.getObjectExpression();
            String cls = o.getClass() == VariableExpression.class ? ((VariableExpression) o).getName()
                    : null;
            return cls == null ? null : cls + "." + p.getPropertyAsString();
        }
    }

    /** A closure of the model expression: evaluates its body by the interpreter, with one argument. */
    private static final class DataClosure extends Closure<Object> {
        private final transient Interpreter in;
        private final String param;
        private final List<Statement> body;
        private final Map<String, Object> captured;

        DataClosure(Interpreter in, String param, List<Statement> body, Map<String, Object> captured) {
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
            return in.statements(body, scope, false);
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

    private static String describe(ASTNode n) {
        String s = n.getClass().getSimpleName().replaceAll("(Expression|Statement)$", "");
        return switch (s) {
            case "ConstructorCall" -> "'new'";
            case "MethodPointer" -> "a method pointer (.&)";
            case "MethodReference" -> "a method reference (::)";
            case "GString" -> "an interpolated string (GString)";
            case "Cast" -> "a cast";
            case "Attribute" -> "attribute access (.@)";
            case "StaticMethodCall" -> "a static method call";
            case "Class" -> "a class reference";
            case "Field" -> "field access";
            case "Spread", "SpreadMap" -> "the spread operator";
            case "Range" -> "a range";
            case "Elvis", "ElvisOperator" -> "the elvis operator (?:)";
            case "PostfixExpression", "Postfix", "Prefix" -> "++/--";
            case "Lambda" -> "a lambda";
            case "BitwiseNegation" -> "~";
            case "ArrayExpression", "Array" -> "an array";
            default -> "'" + s.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT) + "'";
        };
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 60 ? s.substring(0, 57) + "..." : s;
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
