package org.ntkworkbench.dsl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ntkworkbench.report.RunContext;
import org.ntkworkbench.report.Tables;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;

/**
 * The delegate of an experiment's {@code report { … }} stage: the outcomes of all points and words to
 * aggregate them into tables ({@code tables/<name>.csv}, shown in {@code report.html}) and plot series.
 * {@code plot}, {@code result} and every other word work as in the script and write to the run directory.
 */
public final class ReportContext extends groovy.lang.GroovyObjectSupport {
    private final RunContext run;
    private final List<PointOutcome> points;
    private final List<String> axes;

    ReportContext(RunContext run, List<PointOutcome> points, List<String> axes) {
        this.run = run;
        this.points = List.copyOf(points);
        this.axes = List.copyOf(axes);
    }

    /** Every point in sweep order, failed ones included. */
    public List<PointOutcome> getPoints() {
        return points;
    }

    /** The points that completed. */
    public List<PointOutcome> getOk() {
        return points.stream().filter(PointOutcome::isOk).toList();
    }

    /** The swept axes, in order. */
    public List<String> getAxes() {
        return axes;
    }

    /** {@code points}, {@code ok} and {@code axes}; other names mean what they mean in the script. */
    @Override
    public Object getProperty(String property) {
        return switch (property) {
            case "points" -> getPoints();
            case "ok" -> getOk();
            case "axes" -> getAxes();
            default -> throw new groovy.lang.MissingPropertyException(property, ReportContext.class);
        };
    }

    /** Assignments in the report stage go to the script. */
    @Override
    public void setProperty(String property, Object newValue) {
        throw new groovy.lang.MissingPropertyException(property, ReportContext.class);
    }

    /** {@code table('points')}: one row per point: its name, parameters, status and results. */
    public List<Map<String, Object>> table(String name) {
        return table(Map.of(), name);
    }

    /**
     * {@code table('by_width', groupBy: 'width')}: one row per value of the grouping axes (a name or a
     * list), with the number {@code n} of completed points and, for every numeric result, its mean and
     * sample standard deviation over them ({@code <result>_mean}, {@code <result>_std}; std is empty for
     * n < 2). {@code table('mine', rows: [[a: 1, b: 2], …])} writes the given rows. Returns the rows.
     */
    public List<Map<String, Object>> table(Map<String, Object> options, String name) {
        DslArgs a = new DslArgs("table", options, List.of(name));
        a.allowOnly("groupBy", "rows");
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new DslException("table: name '" + name + "' must be letters, digits, '_', '.' or '-' (it becomes tables/<name>.csv)");
        }
        List<Map<String, Object>> rows;
        if (a.has("rows")) {
            rows = rows(options.get("rows"));
        } else if (a.has("groupBy")) {
            rows = grouped(axesOf(options.get("groupBy")));
        } else {
            rows = perPoint();
        }
        write(name, rows);
        return rows;
    }

    /**
     * {@code series(x: 'width', y: 'test_rmse')}: {@code [xs, ys]} with xs the distinct values of axis x
     * (ascending) and ys the {@code stat} ({@code mean} (default), {@code median}, {@code min},
     * {@code max}, {@code std}) of result y over the completed points at each x, ready for
     * {@code plot(series: [label: series(…)])}. With {@code by: 'depth'}: a map {@code 'depth=2': [xs, ys]}
     * per value of that axis.
     */
    public Object series(Map<String, Object> options) {
        DslArgs a = new DslArgs("series", options, List.of());
        a.allowOnly("x", "y", "by", "stat");
        a.requireNamed("x");
        a.requireNamed("y");
        String x = a.stringNamed("x", null);
        String y = a.stringNamed("y", null);
        String stat = a.stringNamed("stat", "mean");
        if (!List.of("mean", "median", "min", "max", "std").contains(stat)) {
            throw new DslException("series: stat must be mean, median, min, max or std, got '" + stat + "'");
        }
        checkAxis("series", x);
        checkResult("series", y);
        if (!a.has("by")) {
            return curve(getOk(), x, y, stat);
        }
        String by = a.stringNamed("by", null);
        checkAxis("series", by);
        Map<Object, List<PointOutcome>> groups = new LinkedHashMap<>();
        for (PointOutcome p : getOk()) {
            groups.computeIfAbsent(p.value(by), k -> new ArrayList<>()).add(p);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        groups.forEach((k, ps) -> out.put(by + "=" + k, curve(ps, x, y, stat)));
        return out;
    }

    private List<double[]> curve(List<PointOutcome> ps, String x, String y, String stat) {
        Map<Double, List<Double>> at = new java.util.TreeMap<>();
        for (PointOutcome p : ps) {
            Object xv = p.value(x);
            Object yv = p.value(y);
            if (!(xv instanceof Number xn)) {
                throw new DslException("series: x axis '" + x + "' must be numeric, point " + p.getName() + " has " + DslArgs.describe(xv));
            }
            if (yv instanceof Number yn) {
                at.computeIfAbsent(xn.doubleValue(), k -> new ArrayList<>()).add(yn.doubleValue());
            }
        }
        double[] xs = new double[at.size()];
        double[] ys = new double[at.size()];
        int i = 0;
        for (Map.Entry<Double, List<Double>> e : at.entrySet()) {
            xs[i] = e.getKey();
            ys[i++] = stat(e.getValue(), stat);
        }
        return List.of(xs, ys);
    }

    static double stat(List<Double> v, String stat) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        return switch (stat) {
            case "mean" -> mean(a);
            case "std" -> std(a);
            case "min" -> Arrays.stream(a).min().orElse(Double.NaN);
            case "max" -> Arrays.stream(a).max().orElse(Double.NaN);
            default -> {
                Arrays.sort(a);
                yield a.length == 0 ? Double.NaN : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
            }
        };
    }

    static double mean(double[] a) {
        double s = 0;
        for (double d : a) {
            s += d;
        }
        return a.length == 0 ? Double.NaN : s / a.length;
    }

    /** Sample standard deviation (n − 1), NaN for fewer than two values. */
    static double std(double[] a) {
        if (a.length < 2) {
            return Double.NaN;
        }
        double m = mean(a);
        double s = 0;
        for (double d : a) {
            s += (d - m) * (d - m);
        }
        return Math.sqrt(s / (a.length - 1));
    }

    private List<Map<String, Object>> perPoint() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PointOutcome p : points) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("point", p.getName());
            r.putAll(p.getParameters());
            r.put("status", p.getStatus());
            r.putAll(p.getResults());
            if (!p.isOk()) {
                r.put("error", p.getError());
            }
            rows.add(r);
        }
        return rows;
    }

    private List<Map<String, Object>> grouped(List<String> by) {
        Set<String> numeric = new LinkedHashSet<>();
        for (PointOutcome p : getOk()) {
            p.getResults().forEach((k, v) -> {
                if (v instanceof Number) {
                    numeric.add(k);
                }
            });
        }
        Map<List<Object>, List<PointOutcome>> groups = new LinkedHashMap<>();
        for (PointOutcome p : points) {
            List<Object> key = by.stream().map(p::value).toList();
            groups.computeIfAbsent(key, k -> new ArrayList<>());
            if (p.isOk()) {
                groups.get(key).add(p);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach((key, ps) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            for (int i = 0; i < by.size(); i++) {
                r.put(by.get(i), key.get(i));
            }
            r.put("n", ps.size());
            for (String k : numeric) {
                double[] v = ps.stream().map(p -> p.getResults().get(k)).filter(o -> o instanceof Number)
                        .mapToDouble(o -> ((Number) o).doubleValue()).toArray();
                r.put(k + "_mean", v.length == 0 ? null : mean(v));
                r.put(k + "_std", v.length < 2 ? null : std(v));
            }
            rows.add(r);
        });
        return rows;
    }

    private List<String> axesOf(Object groupBy) {
        List<String> by = new ArrayList<>();
        if (groupBy instanceof CharSequence s) {
            by.add(s.toString());
        } else if (groupBy instanceof Collection<?> c) {
            c.forEach(o -> by.add(String.valueOf(o)));
        } else {
            throw new DslException("table: groupBy must be an axis name or a list of them, got " + DslArgs.describe(groupBy));
        }
        by.forEach(b -> checkAxis("table", b));
        return by;
    }

    private void checkAxis(String word, String axis) {
        if (!axes.contains(axis)) {
            throw new DslException(word + ": '" + axis + "' is not a swept axis" + NtkScript.suggestion(axis, axes)
                    + " (axes: " + String.join(", ", axes) + ")");
        }
    }

    private void checkResult(String word, String result) {
        Set<String> known = new LinkedHashSet<>();
        points.forEach(p -> known.addAll(p.getResults().keySet()));
        if (!known.contains(result) && !getOk().isEmpty()) {
            throw new DslException(word + ": no point has a result '" + result + "'" + NtkScript.suggestion(result, known)
                    + " (results: " + String.join(", ", known) + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Object v) {
        if (!(v instanceof List<?> list) || !list.stream().allMatch(r -> r instanceof Map<?, ?>)) {
            throw new DslException("table: rows must be a list of maps, e.g. rows: [[width: 64, err: 0.1], …], got " + DslArgs.describe(v));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object r : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            ((Map<Object, Object>) r).forEach((k, val) -> m.put(String.valueOf(k), val));
            rows.add(m);
        }
        return rows;
    }

    /** Writes {@code rows} (columns: the union of their keys in order of appearance) to {@code tables/<name>.csv}. */
    void write(String name, List<Map<String, Object>> rows) {
        Set<String> cols = new LinkedHashSet<>();
        rows.forEach(r -> cols.addAll(r.keySet()));
        List<List<Object>> cells = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            List<Object> line = new ArrayList<>();
            for (String c : cols) {
                Object v = r.get(c);
                if (v != null && !(v instanceof Number || v instanceof CharSequence || v instanceof Boolean)) {
                    throw new DslException("table '" + name + "': cell '" + c + "' must be a number, string or boolean, got " + DslArgs.describe(v));
                }
                line.add(v);
            }
            cells.add(line);
        }
        try {
            Tables.write(run.dir().resolve("tables").resolve(name + ".csv"), new Tables.Table(new ArrayList<>(cols), cells));
        } catch (IOException e) {
            throw new UncheckedIOException("table '" + name + "': " + e.getMessage(), e);
        }
    }
}
