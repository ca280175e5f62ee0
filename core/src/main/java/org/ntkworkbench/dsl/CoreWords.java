package org.ntkworkbench.dsl;

import com.google.inject.Inject;
import groovy.lang.Closure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.plot.PlotSpec;
import org.ntkworkbench.plot.Plots;
import org.ntkworkbench.plot.Series;
import org.ntkworkbench.io.AtomicFiles;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.report.Reports;
import org.ntkworkbench.report.RunContext;
import org.ntkworkbench.report.Tables;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.spi.WordInfo;
import org.ntkworkbench.tensor.Lapack;
import org.ntkworkbench.tensor.Tensor;

/** The DSL words of core that are not layers: results, plots, reports, small linear algebra. */
public final class CoreWords {
    private CoreWords() {}

    /** Adds the result, comparison, plot, report, eigvalsh, gram and circleGrid words to {@code out} ({@link WordBinding#core}). */
    public static void words(List<WordBinding> out) {
        out.add(WordBinding.of(RESULT, ResultWord.class));
        out.add(WordBinding.of(COMPARISON, ComparisonWord.class));
        out.add(WordBinding.of(PLOT, PlotWord.class));
        out.add(WordBinding.of(REPORT, ReportWord.class));
        out.add(WordBinding.of(EIGVALSH, new EigvalshWord()));
        out.add(WordBinding.of(GRAM, new GramWord()));
        out.add(WordBinding.of(CIRCLE_GRID, new CircleGridWord()));
    }

    public static final WordInfo RESULT = new WordInfo("result", "result(name, value[, 'description'], unit: '')",
            "Records a named scalar result in manifest.json and the report, with what it means and its unit "
                    + "(the report's results table; manifest.json result_info).");
    public static final WordInfo COMPARISON = new WordInfo("comparison",
            "comparison(name, rows: [[quantity: 'ratio', paper: 1.96, 'ours (paper protocol)': r1, …], …], caption: '')",
            "Writes tables/<name>.csv (columns: the rows' keys in order) with its caption (tables/<name>.txt); "
                    + "report.html shows it first, e.g. paper | ours (paper protocol) | ours (NTK regime); returns the path.");
    public static final WordInfo PLOT = new WordInfo("plot",
            "plot(name, series: [label: [x, y] | [x, y, [dashed: true, color: i, fit: true, points: true]], ...] | x: xs, y: ys, "
                    + "paper: [label: [x, y], ...], fit: false | [labels], title:, xlabel:, ylabel:, logX: false, logY: false, markers: false)",
            "Draws curves into plots/<name>.png and .svg of the run directory; returns the PNG path. Log axes label their "
                    + "ticks with the values (at the data for a geometric sweep) and leave out values below 1e-13 x the "
                    + "largest (listed in a note, plots/<name>.txt); fit: draws least-squares lines (log-log slope in the "
                    + "legend) for all series (true) or the labels listed; paper: draws a paper's reference values as "
                    + "black diamonds. A label keeps its colour across the run's plots.");
    public static final WordInfo REPORT = new WordInfo("report", "report(title: name, notes: '')",
            "Writes report.html (plots, results, manifest) into the run directory; returns its path.");
    public static final WordInfo EIGVALSH = new WordInfo("eigvalsh", "eigvalsh(K)",
            "All eigenvalues of a symmetric matrix, descending (LAPACK dsyevd), as double[].");
    public static final WordInfo GRAM = new WordInfo("gram", "gram(x) { u, v -> k(u, v) }",
            "The Gram matrix of a kernel closure over the rows of x (a Tensor or list of vectors).");
    public static final WordInfo CIRCLE_GRID = new WordInfo("circleGrid", "circleGrid(n)",
            "n equally spaced points (cos θ, sin θ) on the unit circle, as an (n, 2) Tensor.");

    /** {@code result(name, value)}. */
    public static final class ResultWord implements DslWord {
        private final CurrentRun run;

        @Inject
        ResultWord(CurrentRun run) {
            this.run = run;
        }

        @Override
        public Object call(DslArgs a) {
            a.allowOnly("unit");
            if (a.count() < 2 || a.count() > 3 || !(a.positional(0) instanceof CharSequence)
                    || a.count() == 3 && !(a.positional(2) instanceof CharSequence)) {
                throw new DslException("result: expected result(name, value) or result(name, value, 'description', unit: 'steps'), "
                        + "e.g. result('decay_slope', -2.0, 'log-log slope of mu_k over k')");
            }
            Object v = a.positional(1);
            String name = a.positional(0).toString();
            try {
                run.get().result(name, v);
            } catch (IllegalArgumentException e) {
                throw new DslException(e.getMessage());
            }
            if (a.count() == 3 || a.has("unit")) {
                run.get().describeResult(name, a.count() == 3 ? a.positional(2).toString() : "", a.stringNamed("unit", ""));
            }
            return v;
        }
    }

    /** {@code plot(name, ...)}. */
    public static final class PlotWord implements DslWord {
        private final CurrentRun run;
        private final Plots plots;

        @Inject
        PlotWord(CurrentRun run, Plots plots) {
            this.run = run;
            this.plots = plots;
        }

        @Override
        public Object call(DslArgs a) {
            a.allowOnly("series", "x", "y", "title", "xlabel", "ylabel", "logX", "logY", "markers", "fit", "paper");
            if (a.count() != 1 || !(a.positional(0) instanceof CharSequence)) {
                throw new DslException("plot: expected a file name first, e.g. plot('spectrum', x: ks, y: mus)");
            }
            String name = a.positional(0).toString();
            List<Series> series = new ArrayList<>();
            if (a.has("series")) {
                if (!(a.named().get("series") instanceof Map<?, ?> m)) {
                    throw new DslException("plot: 'series' must be a map label: [xs, ys]");
                }
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getValue() instanceof List<?> xy) || xy.size() < 2 || xy.size() > 3
                            || (xy.size() == 3 && !(xy.get(2) instanceof Map<?, ?>))) {
                        throw new DslException("plot: series '" + e.getKey() + "' must be [xs, ys] or [xs, ys, [dashed: true, color: 0]]");
                    }
                    boolean dashed = false;
                    boolean fit = false;
                    boolean points = false;
                    int color = -1;
                    if (xy.size() == 3) {
                        Map<?, ?> style = (Map<?, ?>) xy.get(2);
                        for (Object k : style.keySet()) {
                            if (!List.of("dashed", "color", "fit", "points").contains(String.valueOf(k))) {
                                throw new DslException("plot: series '" + e.getKey() + "': unknown style '" + k
                                        + "' (allowed: dashed, color, fit, points)");
                            }
                        }
                        dashed = Boolean.TRUE.equals(style.get("dashed"));
                        fit = Boolean.TRUE.equals(style.get("fit"));
                        points = Boolean.TRUE.equals(style.get("points"));
                        color = style.get("color") instanceof Number c ? c.intValue() : -1;
                    }
                    series.add(new Series(String.valueOf(e.getKey()), Values.doubles("plot", "x of " + e.getKey(), xy.get(0)),
                            Values.doubles("plot", "y of " + e.getKey(), xy.get(1)), points, dashed, color, fit, false));
                }
            } else {
                a.requireNamed("y");
                double[] y = Values.doubles("plot", "y", a.named().get("y"));
                double[] x = a.has("x") ? Values.doubles("plot", "x", a.named().get("x")) : range(y.length);
                series.add(new Series(a.stringNamed("ylabel", "y"), x, y));
            }
            series = withFits(series, a.named().get("fit"));
            if (a.has("paper")) {
                if (!(a.named().get("paper") instanceof Map<?, ?> m)) {
                    throw new DslException("plot: 'paper' must be a map label: [xs, ys] of the paper's values");
                }
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getValue() instanceof List<?> xy) || xy.size() != 2) {
                        throw new DslException("plot: paper series '" + e.getKey() + "' must be [xs, ys]");
                    }
                    series.add(Series.reference(String.valueOf(e.getKey()), Values.doubles("plot", "x of " + e.getKey(), xy.get(0)),
                            Values.doubles("plot", "y of " + e.getKey(), xy.get(1))));
                }
            }
            try {
                PlotSpec spec = new PlotSpec(a.stringNamed("title", name), a.stringNamed("xlabel", "x"),
                        a.stringNamed("ylabel", "y"), a.boolNamed("logX", false), a.boolNamed("logY", false),
                        a.boolNamed("markers", false), series);
                return plots.save(spec, run.get().plotsDir(), name).get(0);
            } catch (IllegalArgumentException e) {
                throw new DslException(e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("plot '" + name + "': " + e.getMessage(), e);
            }
        }

        /** {@code fit: true} fits every series, a list fits the series with those labels; null or false none. */
        private static List<Series> withFits(List<Series> series, Object fit) {
            if (fit == null || Boolean.FALSE.equals(fit)) {
                return series;
            }
            List<String> labels = series.stream().map(Series::name).toList();
            List<String> wanted;
            if (Boolean.TRUE.equals(fit)) {
                wanted = labels;
            } else if (fit instanceof List<?> l) {
                wanted = l.stream().map(String::valueOf).toList();
                for (String w : wanted) {
                    if (!labels.contains(w)) {
                        throw new DslException("plot: fit names series '" + w + "', but the series are " + labels);
                    }
                }
            } else {
                throw new DslException("plot: fit must be true, false or a list of series labels, got " + DslArgs.describe(fit));
            }
            List<Series> out = new ArrayList<>();
            for (Series s : series) {
                out.add(wanted.contains(s.name()) ? s.withFit() : s);
            }
            return out;
        }

        private static double[] range(int n) {
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = i;
            }
            return r;
        }
    }

    /** {@code comparison(name, rows:, caption:)}. */
    public static final class ComparisonWord implements DslWord {
        private final CurrentRun run;

        @Inject
        ComparisonWord(CurrentRun run) {
            this.run = run;
        }

        @Override
        public Object call(DslArgs a) {
            a.allowOnly("rows", "caption");
            if (a.count() != 1 || !(a.positional(0) instanceof CharSequence) || !a.has("rows")) {
                throw new DslException("comparison: expected comparison(name, rows: [[quantity: 'ratio', paper: 1.96, ours: 1.9], ...])");
            }
            String name = a.positional(0).toString();
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new DslException("comparison: name '" + name + "' must be a file name (letters, digits, _ . -)");
            }
            if (!(a.named().get("rows") instanceof List<?> rows) || rows.isEmpty() || !rows.stream().allMatch(r -> r instanceof Map<?, ?>)) {
                throw new DslException("comparison: rows must be a non-empty list of maps, got " + DslArgs.describe(a.named().get("rows")));
            }
            List<String> columns = new ArrayList<>();
            rows.forEach(r -> ((Map<?, ?>) r).keySet().forEach(k -> {
                if (!columns.contains(String.valueOf(k))) {
                    columns.add(String.valueOf(k));
                }
            }));
            List<List<Object>> cells = new ArrayList<>();
            for (Object r : rows) {
                Map<?, ?> m = (Map<?, ?>) r;
                List<Object> line = new ArrayList<>();
                for (String c : columns) {
                    Object v = m.get(c);
                    if (v instanceof CharSequence cs) {
                        v = cs.toString();
                    } else if (v != null && !(v instanceof Number || v instanceof Boolean)) {
                        throw new DslException("comparison '" + name + "': cell '" + c + "' must be a number, string or boolean, got "
                                + DslArgs.describe(v));
                    }
                    line.add(v);
                }
                cells.add(line);
            }
            try {
                Path dir = RunContext.subdirectory(run.get().dir(), "tables");
                Path csv = dir.resolve(name + ".csv");
                Tables.write(csv, new Tables.Table(columns, cells));
                String caption = a.stringNamed("caption", "");
                if (!caption.isBlank()) {
                    AtomicFiles.writeString(dir.resolve(name + ".txt"), caption + "\n");
                }
                return csv;
            } catch (IOException e) {
                throw new UncheckedIOException("comparison '" + name + "': " + e.getMessage(), e);
            }
        }
    }

    /** {@code report(title:, notes:)}. */
    public static final class ReportWord implements DslWord {
        private final CurrentRun run;
        private final Reports reports;

        @Inject
        ReportWord(CurrentRun run, Reports reports) {
            this.run = run;
            this.reports = reports;
        }

        @Override
        public Object call(DslArgs a) {
            a.allowOnly("title", "notes");
            try {
                Path p = reports.writeHtml(run.get(), a.stringNamed("title", run.get().name()), a.stringNamed("notes", ""));
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException("report: " + e.getMessage(), e);
            }
        }
    }

    /** {@code eigvalsh(K)}. */
    public static final class EigvalshWord implements DslWord {
        @Override
        public Object call(DslArgs a) {
            a.allowOnly();
            Tensor k = Values.tensor("eigvalsh", "argument 1", a.positional(0));
            if (k.rank() != 2 || k.dim(0) != k.dim(1)) {
                throw new DslException("eigvalsh: expected a square matrix, got shape " + k.shapeString());
            }
            double[] w = Lapack.syevd(k.data(), k.dim(0), false).values();
            double[] desc = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                desc[i] = w[w.length - 1 - i];
            }
            return desc;
        }
    }

    /** {@code gram(x) { u, v -> ... }}. */
    public static final class GramWord implements DslWord {
        @Override
        public Object call(DslArgs a) {
            a.allowOnly();
            if (a.count() != 2 || !(a.positional(1) instanceof Closure<?> k)) {
                throw new DslException("gram: expected gram(x) { u, v -> k(u, v) }");
            }
            Tensor x = Values.tensor("gram", "x", a.positional(0));
            if (x.rank() != 2) {
                throw new DslException("gram: x must be a matrix (n, d), got shape " + x.shapeString());
            }
            int n = x.dim(0);
            double[][] rows = x.toArray2d();
            double[] g = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    Object v = k.call(rows[i], rows[j]);
                    if (!(v instanceof Number num)) {
                        throw new DslException("gram: the kernel closure must return a number, got " + DslArgs.describe(v));
                    }
                    g[i * n + j] = num.doubleValue();
                    g[j * n + i] = num.doubleValue();
                }
            }
            return Tensor.of(g, n, n);
        }
    }

    /** {@code circleGrid(n)}. */
    public static final class CircleGridWord implements DslWord {
        @Override
        public Object call(DslArgs a) {
            a.allowOnly();
            int n = a.intArg(0);
            if (n < 1) {
                throw new DslException("circleGrid: n must be positive, got " + n);
            }
            double[] p = new double[2 * n];
            for (int i = 0; i < n; i++) {
                double t = 2 * Math.PI * i / n;
                p[2 * i] = Math.cos(t);
                p[2 * i + 1] = Math.sin(t);
            }
            return Tensor.of(p, n, 2);
        }
    }
}
