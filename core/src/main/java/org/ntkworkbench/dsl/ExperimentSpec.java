package org.ntkworkbench.dsl;

import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;

/**
 * The body of {@code experiment('name') { … }}: the swept parameters ({@link #grid}, {@link #sweep}),
 * the per-point stages ({@link #data}, {@link #model}, {@link #train}, {@link #analyse}), the aggregate
 * {@link #report} stage and settings ({@link #threads}, {@link #notes}). The block only declares; the
 * experiment runs after the block has returned.
 *
 * <p>Points are the Cartesian product of the factors in the order they were declared (the first factor
 * varies slowest): {@code grid(a: [1, 2], b: [x, y])} is one factor with the four combinations of its
 * axes, {@code sweep(a: [1, 2], b: [x, y])} one factor that pairs its axes ({@code (1, x), (2, y)}).
 */
public final class ExperimentSpec extends GroovyObjectSupport {
    /** Words of the block, for suggestions. */
    static final List<String> BLOCK_WORDS = List.of("grid", "sweep", "threads", "engine", "notes", "data", "model", "train",
            "analyse", "report");
    private static final Set<String> RESERVED_AXES = Set.of("name", "index");

    /** A declared stage: its closure and the script line it was declared on (for messages). */
    record Stage(String name, Closure<?> body, int line) {}

    /** One factor of the sweep: its axes and whether they are paired ({@code sweep}) or crossed ({@code grid}). */
    record Factor(boolean paired, LinkedHashMap<String, List<Object>> axes, int line) {}

    final String name;
    final Script script;
    private final DslContext workbench;
    final List<Factor> factors = new ArrayList<>();
    final Map<String, Stage> stages = new LinkedHashMap<>();
    Integer threads;
    /** {@code engine 'spark'}: where points are computed; null: the local thread pool. */
    String engine;
    /** {@code engine 'spark', master: URL}. */
    String master;
    int threadsLine = -1;
    String notes = "";
    final int line;

    ExperimentSpec(String name, Script script, DslContext workbench) {
        this.name = name;
        this.script = script;
        this.workbench = workbench;
        this.line = scriptLine();
    }

    /** {@code grid(width: [64, 256], seed: 0..2)}: every combination of the given axes. */
    public void grid(Map<String, Object> axes) {
        factors.add(new Factor(false, axes("grid", axes), scriptLine()));
    }

    /** {@code sweep(seed: 0..4)}: one axis; with several axes of equal length, their values are paired. */
    public void sweep(Map<String, Object> axes) {
        LinkedHashMap<String, List<Object>> a = axes("sweep", axes);
        int n = -1;
        for (Map.Entry<String, List<Object>> e : a.entrySet()) {
            if (n >= 0 && e.getValue().size() != n) {
                throw new DslException("sweep: paired axes need equal lengths, but '" + e.getKey() + "' has "
                        + e.getValue().size() + " values and the first axis " + n + " (use grid for every combination)");
            }
            n = e.getValue().size();
        }
        factors.add(new Factor(true, a, scriptLine()));
    }

    /** {@code threads 2}: how many points compute at once ({@code -Pthreads=N} overrides). */
    public void threads(int n) {
        if (n < 1) {
            throw new DslException("threads: must be at least 1, got " + n);
        }
        this.threads = n;
        this.threadsLine = scriptLine();
    }

    /**
     * {@code engine 'spark'} or {@code engine 'spark', master: 'spark://127.0.0.1:7077'}: where the points are
     * computed ({@code local}: this JVM's thread pool, the default; {@code -Pengine=…}/{@code -Pmaster=…} override).
     */
    public void engine(String name) {
        engine(Map.of(), name);
    }

    /** {@code engine 'spark', master: URL}. */
    public void engine(Map<String, Object> options, String name) {
        for (String k : options.keySet()) {
            if (!k.equals("master")) {
                throw new DslException("engine: unknown option '" + k + "' (known: master)");
            }
        }
        this.engine = name;
        this.master = options.get("master") == null ? null : options.get("master").toString();
    }

    /** {@code notes 'text'}: a paragraph for the report. */
    public void notes(String text) {
        this.notes = text;
    }

    /** {@code data { p -> [x: …, y: …] }}: the point's data as a map (tensors are cached as NPY). */
    public void data(Closure<?> body) {
        stage("data", body);
    }

    /** {@code model { p, ctx -> serial(…) }}: the point's model (a value; rebuilt when needed). */
    public void model(Closure<?> body) {
        stage("model", body);
    }

    /**
     * {@code train { p, ctx -> [steps: 200, lr: 0.5] }}: training options for the Training service, or a
     * {@code TrainingResult} of custom training, or null for none.
     */
    public void train(Closure<?> body) {
        stage("train", body);
    }

    /** {@code analyse { p, ctx -> [test_rmse: …] }}: the point's named scalar results. */
    public void analyse(Closure<?> body) {
        stage("analyse", body);
    }

    /** American spelling of {@link #analyse}. */
    public void analyze(Closure<?> body) {
        stage("analyse", body);
    }

    /** {@code report { table('by_width', groupBy: 'width'); plot(…) }}: runs once over all points. */
    public void report(Closure<?> body) {
        stage("report", body);
    }

    private void stage(String stage, Closure<?> body) {
        if (stages.containsKey(stage)) {
            throw new DslException("experiment '" + name + "': stage '" + stage + "' is declared twice (first on line "
                    + stages.get(stage).line() + ")");
        }
        if (body.getMaximumNumberOfParameters() > 2) {
            throw new DslException(stage + ": the closure takes at most 2 parameters, { p, ctx -> … }, but declares "
                    + body.getMaximumNumberOfParameters());
        }
        stages.put(stage, new Stage(stage, body, scriptLine()));
    }

    /**
     * The block has no properties: names in the block and its stages mean what they mean in the script
     * (Groovy would otherwise find this class's fields, e.g. {@code threads}, first).
     */
    @Override
    public Object getProperty(String property) {
        throw new MissingPropertyException(property, ExperimentSpec.class);
    }

    /** Assignments in the block go to the script, as without the block. */
    @Override
    public void setProperty(String property, Object newValue) {
        throw new MissingPropertyException(property, ExperimentSpec.class);
    }

    /**
     * Calls that are not words of the block: words of the workbench, closures and methods of the script
     * go to the script (so stages can call {@code dense}, {@code train(net, x, y)}, {@code report(…)});
     * anything else is an unknown stage.
     */
    public Object methodMissing(String method, Object args) {
        Object[] argv = args instanceof Object[] a ? a : new Object[] {args};
        boolean known = workbench.words().containsKey(method)
                || (script.getBinding().hasVariable(method) && script.getBinding().getVariable(method) instanceof Closure<?>)
                || !script.getMetaClass().respondsTo(script, method, argTypes(argv)).isEmpty();
        if (known) {
            return script.invokeMethod(method, argv);
        }
        if (BLOCK_WORDS.contains(method)) {
            throw new DslException("experiment '" + name + "': " + method + " takes "
                    + (List.of("grid", "sweep").contains(method) ? "named axes, e.g. " + method + "(width: [64, 256], seed: 0..2)"
                    : List.of("threads").contains(method) ? "an integer, e.g. threads 2"
                    : List.of("notes").contains(method) ? "a string"
                    : "a closure, e.g. " + method + " { p, ctx -> … }"));
        }
        List<String> candidates = new ArrayList<>(BLOCK_WORDS);
        candidates.addAll(workbench.words().keySet());
        throw new DslException("experiment '" + name + "': unknown stage or word '" + method + "'"
                + NtkScript.suggestion(method, candidates) + " (stages: data, model, train, analyse, report; settings: grid, sweep, threads, engine, notes)");
    }

    private static Object[] argTypes(Object[] argv) {
        Object[] types = new Object[argv.length];
        for (int i = 0; i < argv.length; i++) {
            types[i] = argv[i] == null ? null : argv[i].getClass();
        }
        return types;
    }

    /** The points of the experiment, in order, with their names; checks the names are distinct. */
    List<ExperimentPoint> points() {
        List<Map<String, Object>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Factor f : factors) {
            List<Map<String, Object>> rows = f.paired() ? paired(f.axes()) : crossed(f.axes());
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> c : combos) {
                for (Map<String, Object> r : rows) {
                    Map<String, Object> m = new LinkedHashMap<>(c);
                    m.putAll(r);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<ExperimentPoint> points = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < combos.size(); i++) {
            String n = pointName(combos.get(i));
            Integer other = seen.put(n, i);
            if (other != null) {
                throw new DslException("experiment '" + name + "': points " + other + " and " + i + " would share the name '"
                        + n + "' (" + combos.get(other) + " and " + combos.get(i) + "); make the axis values distinct");
            }
            ExperimentPoint p = new ExperimentPoint(i, n, combos.get(i));
            p.getSeed(); // a non-integer seed axis fails here, before anything runs
            points.add(p);
        }
        return points;
    }

    private static List<Map<String, Object>> crossed(LinkedHashMap<String, List<Object>> axes) {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Object>> e : axes.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                for (Object v : e.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(r);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            rows = next;
        }
        return rows;
    }

    private static List<Map<String, Object>> paired(LinkedHashMap<String, List<Object>> axes) {
        int n = axes.values().iterator().next().size();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, List<Object>> e : axes.entrySet()) {
                m.put(e.getKey(), e.getValue().get(i));
            }
            rows.add(m);
        }
        return rows;
    }

    /** {@code width=64_seed=0}: {@code axis=value} joined by {@code _}; "point" when nothing is swept. */
    static String pointName(Map<String, Object> values) {
        if (values.isEmpty()) {
            return "point";
        }
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + valueName(v)));
        return String.join("_", parts);
    }

    private static String valueName(Object v) {
        String s = String.valueOf(v);
        return s.replaceAll("[^A-Za-z0-9.+-]", "-");
    }

    private LinkedHashMap<String, List<Object>> axes(String word, Map<String, Object> axes) {
        if (axes.isEmpty()) {
            throw new DslException(word + ": give at least one axis, e.g. " + word + "(width: [64, 256], seed: 0..2)");
        }
        LinkedHashMap<String, List<Object>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : axes.entrySet()) {
            String axis = e.getKey();
            if (!axis.matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new DslException(word + ": axis name '" + axis + "' must be an identifier (letters, digits, _)");
            }
            if (RESERVED_AXES.contains(axis)) {
                throw new DslException(word + ": '" + axis + "' is reserved (p." + axis + " is the point's " + axis + "); rename the axis");
            }
            if (out.containsKey(axis) || factors.stream().anyMatch(f -> f.axes().containsKey(axis))) {
                throw new DslException(word + ": axis '" + axis + "' is swept twice");
            }
            List<Object> values = values(word, axis, e.getValue());
            if (values.isEmpty()) {
                throw new DslException(word + ": axis '" + axis + "' is empty; give at least one value");
            }
            out.put(axis, values);
        }
        return out;
    }

    private static List<Object> values(String word, String axis, Object v) {
        List<Object> raw = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            raw.addAll(c);
        } else if (v != null && v.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(v); i++) {
                raw.add(Array.get(v, i));
            }
        } else {
            raw.add(v);
        }
        List<Object> out = new ArrayList<>();
        for (Object o : raw) {
            out.add(scalar(word, axis, o));
        }
        return out;
    }

    /** Axis values are integers, doubles (Groovy's decimals become double), strings or booleans. */
    private static Object scalar(String word, String axis, Object o) {
        if (o instanceof Integer || o instanceof Long || o instanceof Double || o instanceof Boolean || o instanceof String) {
            return o;
        }
        if (o instanceof Short || o instanceof Byte) {
            return ((Number) o).intValue();
        }
        if (o instanceof BigInteger b) {
            return b.longValueExact();
        }
        if (o instanceof BigDecimal || o instanceof Float) {
            return ((Number) o).doubleValue();
        }
        if (o instanceof CharSequence s) {
            return s.toString();
        }
        throw new DslException(word + ": values of axis '" + axis + "' must be numbers, strings or booleans, got "
                + DslArgs.describe(o));
    }

    /** The line of the innermost frame of this script on the current stack, or -1. */
    int scriptLine() {
        return scriptLine(new Throwable(), script.getClass().getName());
    }

    static int scriptLine(Throwable t, String scriptClass) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getLineNumber() > 0 && (f.getClassName().equals(scriptClass) || f.getClassName().startsWith(scriptClass + "$"))) {
                return f.getLineNumber();
            }
        }
        return -1;
    }
}
