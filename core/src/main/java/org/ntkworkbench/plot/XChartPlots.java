package org.ntkworkbench.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.knowm.xchart.AnnotationTextPanel;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.ntkworkbench.io.AtomicFiles;

/**
 * {@link Plots} with XChart (PNG) and VectorGraphics2D (SVG), headless.
 *
 * <p>Log axes are drawn as linear axes over log10 of the values, with tick labels giving the values
 * themselves: XChart's own log axis labels decades only, so a sweep over widths 64…4096 showed a single
 * "1000". When the x values of all series are few and evenly spaced on the axis (a geometric sweep), the
 * ticks sit at the data. Values a log axis cannot show, and values below {@link PlotSpec#ZERO_THRESHOLD}
 * times the largest on a log y axis, are left out and listed in a note: drawn in the plot and written to
 * {@code <name>.txt} beside it (the report shows it as the caption).
 *
 * <p>Colours: a series without an explicit colour takes the colour its label already has in the other
 * plots of the same directory (so "NTK" is one colour throughout a report), else the next free one.
 */
public final class XChartPlots implements Plots {

    /** Colours for {@link Series#color()} (Tableau 10). */
    static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};

    /** Label to palette index, per plots directory: one run's plots share colours. */
    private static final Map<Path, Map<String, Integer>> COLOURS = new HashMap<>();

    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Override
    public List<Path> save(PlotSpec spec, Path dir, String name) throws IOException {
        if (spec.series().isEmpty()) {
            throw new IllegalArgumentException("plot '" + name + "' has no series");
        }
        Files.createDirectories(dir);
        XYChart chart = new XYChartBuilder().width(800).height(560).title(spec.title())
                .xAxisTitle(spec.xLabel() + (spec.logX() ? " (log scale)" : ""))
                .yAxisTitle(spec.yLabel() + (spec.logY() ? " (log scale)" : "")).build();
        XYStyler st = chart.getStyler();
        chart.getStyler().setLegendVisible(spec.series().size() > 1 || spec.series().get(0).fit());
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        st.setAnnotationTextPanelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setAnnotationTextPanelBackgroundColor(new Color(255, 255, 255, 230));

        double cutoff = spec.logY() ? PlotSpec.ZERO_THRESHOLD * maxPositive(spec) : 0;
        List<String> notes = new ArrayList<>();
        List<double[][]> drawn = new ArrayList<>();
        for (Series s : spec.series()) {
            double[][] xy = drawable(s, spec, cutoff, notes);
            if (xy[0].length == 0) {
                throw new IllegalArgumentException("plot '" + name + "', series '" + s.name() + "': no points to draw"
                        + (spec.logX() || spec.logY() ? " (log axes leave out values <= 0 and, on y, values below "
                        + PlotSpec.ZERO_THRESHOLD + " x the largest)" : ""));
            }
            drawn.add(xy);
        }
        int[] colours = colours(spec, dir);
        Set<String> used = new HashSet<>();
        List<double[][]> lines = new ArrayList<>(), marks = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < spec.series().size(); i++) {
            Series s = spec.series().get(i);
            double[][] xy = drawn.get(i);
            XYSeries xs = chart.addSeries(unique(s.name(), used), xy[0], xy[1]);
            labels.add(xs.getName());
            Color c = s.reference() ? Color.BLACK : PALETTE[colours[i] % PALETTE.length];
            if (s.reference()) {
                xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                xs.setMarker(SeriesMarkers.DIAMOND);
                marks.add(xy);
            } else if (spec.markers() || s.points()) {
                xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                xs.setMarker(SeriesMarkers.CIRCLE);
                marks.add(xy);
            } else {
                lines.add(xy);
                xs.setMarker(xy[0].length <= 12 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                xs.setLineStyle(s.dashed() ? dashes() : new BasicStroke(2f));
            }
            xs.setLineColor(c);
            xs.setMarkerColor(c);
            if (s.fit()) {
                double[] line = fit(xy);
                if (line != null) {
                    double x0 = min(xy[0]), x1 = max(xy[0]);
                    XYSeries f = chart.addSeries(unique(s.name() + " fit: " + slopeText(spec, line[1]), used),
                            new double[] {x0, x1}, new double[] {line[0] + line[1] * x0, line[0] + line[1] * x1});
                    f.setMarker(SeriesMarkers.NONE);
                    labels.add(f.getName());
                    lines.add(new double[][] {{x0, x1}, {line[0] + line[1] * x0, line[0] + line[1] * x1}});
                    f.setLineColor(c);
                    f.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 4f}, 0f));
                }
            }
        }
        st.setLegendPosition(legendPosition(lines, marks, labels));
        double[] breaker = spec.logX() ? null : equallySpacedTickBreaker(drawn);
        if (breaker != null) {
            // XChart puts the x ticks at the data when the x values are equally spaced, which labels an axis
            // over [-1.5 pi, 1.5 pi] with -4.7124, -3.1416, ... One invisible point off that grid (inside the
            // drawn range, so the axis does not move) makes it choose round tick values instead.
            XYSeries hidden = chart.addSeries(unique(" ", used), new double[] {breaker[0]}, new double[] {breaker[1]});
            hidden.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            hidden.setMarker(SeriesMarkers.NONE);
            hidden.setLineColor(new Color(0, 0, 0, 0));
            hidden.setShowInLegend(false);
        }
        if (spec.logX()) {
            double[] r = range(drawn, 0);
            st.setXAxisTickLabelsFormattingFunction(logTicks(r, values(drawn, 0)));
            st.setXAxisTickMarkSpacingHint(logTickSpacing(r[1] - r[0], 680, st.getXAxisTickMarkSpacingHint()));
        }
        if (spec.logY()) {
            double[] r = range(drawn, 1);
            st.setYAxisTickLabelsFormattingFunction(logTicks(r, new double[0]));
            st.setYAxisTickMarkSpacingHint(logTickSpacing(r[1] - r[0], 430, st.getYAxisTickMarkSpacingHint()));
        }
        String note = notes.isEmpty() ? null : "Left out of the log plot: " + String.join("; ", notes);
        if (note != null) {
            chart.addAnnotation(new AnnotationTextPanel(wrap(note, 110), 75, 80, true));
        }
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        Path txt = dir.resolve(name + ".txt");
        // XChart appends the extension itself: give it the temporary name as a base. A killed writer's
        // .<name>.<pid>-<random>.tmp.png is cleaned at the next write to this folder (AtomicFiles).
        Path tmp = AtomicFiles.createTemporarySibling(dir.resolve(name));
        String base = tmp.toString();
        try {
            BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
            Files.move(Path.of(base + ".png"), png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            Files.move(Path.of(base + ".svg"), svg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(Path.of(base + ".png"));
            Files.deleteIfExists(Path.of(base + ".svg"));
        }
        if (note != null) {
            AtomicFiles.writeString(txt, note + "\n");
        } else {
            Files.deleteIfExists(txt);
        }
        return List.of(png, svg);
    }

    /** Inside corners tried for the legend, in order of preference (ties go to the first). */
    private static final Styler.LegendPosition[] CORNERS = {Styler.LegendPosition.InsideNE, Styler.LegendPosition.InsideNW,
        Styler.LegendPosition.InsideSE, Styler.LegendPosition.InsideSW};

    /**
     * Where the legend goes: the inside corner whose legend-sized box covers none of what is drawn (the points of
     * {@code marks}, and {@code lines} sampled along their segments, in plot coordinates), else below the plot, where it
     * hides nothing. A legend drawn over a point hid the quickstart's NNGP error at width 2048. The box is estimated
     * from the labels (XChart's default font on the 800 × 560 chart: about 7 px per character plus the marker, 20 px per
     * entry, of a plot area of about 700 × 460 px) with the axes' range padded as XChart pads it.
     */
    static Styler.LegendPosition legendPosition(List<double[][]> lines, List<double[][]> marks, List<String> labels) {
        int longest = labels.stream().mapToInt(String::length).max().orElse(0);
        double width = Math.min(1, (7.0 * longest + 45) / 700), height = Math.min(1, (20.0 * labels.size() + 14) / 460);
        List<double[][]> all = new ArrayList<>(lines);
        all.addAll(marks);
        double[] rx = range(all, 0), ry = range(all, 1);
        List<double[]> points = new ArrayList<>();
        for (double[][] xy : marks) {
            for (int i = 0; i < xy[0].length; i++) {
                points.add(new double[] {unit(xy[0][i], rx), unit(xy[1][i], ry)});
            }
        }
        for (double[][] xy : lines) {
            for (int i = 0; i + 1 < xy[0].length; i++) {
                for (int k = 0; k <= 16; k++) {
                    double t = k / 16.0;
                    points.add(new double[] {unit(xy[0][i] + t * (xy[0][i + 1] - xy[0][i]), rx),
                        unit(xy[1][i] + t * (xy[1][i + 1] - xy[1][i]), ry)});
                }
            }
            if (xy[0].length == 1) {
                points.add(new double[] {unit(xy[0][0], rx), unit(xy[1][0], ry)});
            }
        }
        for (Styler.LegendPosition corner : CORNERS) {
            boolean east = corner == Styler.LegendPosition.InsideNE || corner == Styler.LegendPosition.InsideSE;
            boolean north = corner == Styler.LegendPosition.InsideNE || corner == Styler.LegendPosition.InsideNW;
            boolean free = points.stream().noneMatch(p -> (east ? p[0] >= 1 - width : p[0] <= width)
                    && (north ? p[1] >= 1 - height : p[1] <= height));
            if (free) {
                return corner;
            }
        }
        return Styler.LegendPosition.OutsideS;
    }

    /** {@code v} in [0, 1] across {@code range} padded by 5 % on each side (a single value: the middle). */
    private static double unit(double v, double[] range) {
        double span = range[1] - range[0];
        return span > 0 ? (v - range[0] + 0.05 * span) / (1.1 * span) : 0.5;
    }

    /** Palette index per series: explicit, else the label's colour in this directory, else the next free one. */
    private static int[] colours(PlotSpec spec, Path dir) {
        int[] out = new int[spec.series().size()];
        synchronized (COLOURS) {
            Map<String, Integer> known = COLOURS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new HashMap<>());
            Set<Integer> taken = new HashSet<>();
            for (Series s : spec.series()) {
                if (s.color() >= 0) {
                    taken.add(s.color() % PALETTE.length);
                }
            }
            for (int i = 0; i < out.length; i++) {
                Series s = spec.series().get(i);
                if (s.reference()) {
                    continue;
                }
                if (s.color() >= 0) {
                    out[i] = s.color();
                    continue;
                }
                Integer c = known.get(s.name());
                if (c == null || taken.contains(c)) {
                    c = 0;
                    while (taken.contains(c % PALETTE.length) && c < 10 * PALETTE.length) {
                        c++;
                    }
                    c %= PALETTE.length;
                    known.putIfAbsent(s.name(), c);
                }
                taken.add(c);
                out[i] = c;
            }
        }
        return out;
    }

    private static String unique(String label, Set<String> used) {
        String l = label;
        for (int k = 2; !used.add(l); k++) {
            l = label + " (" + k + ")";
        }
        return l;
    }

    private static BasicStroke dashes() {
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f);
    }

    private static double maxPositive(PlotSpec spec) {
        double m = 0;
        for (Series s : spec.series()) {
            if (s.reference()) {
                continue;
            }
            for (double v : s.y()) {
                if (Double.isFinite(v) && v > m) {
                    m = v;
                }
            }
        }
        return m;
    }

    /** The points of {@code s} the axes can show, in axis coordinates (log10 on log axes); notes what was left out. */
    private static double[][] drawable(Series s, PlotSpec spec, double cutoff, List<String> notes) {
        List<double[]> pts = new ArrayList<>();
        List<String> zero = new ArrayList<>();
        int nonPositive = 0;
        for (int i = 0; i < s.x().length; i++) {
            double x = s.x()[i], y = s.y()[i];
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                continue; // NaN marks "no value" (e.g. a point that never converged); not a drawing decision
            }
            if (spec.logX() && x <= 0 || spec.logY() && y <= 0) {
                nonPositive++;
                continue;
            }
            if (spec.logY() && y < cutoff) {
                zero.add(number(x));
                continue;
            }
            pts.add(new double[] {spec.logX() ? Math.log10(x) : x, spec.logY() ? Math.log10(y) : y});
        }
        if (!zero.isEmpty()) {
            notes.add("'" + s.name() + "' below 1e-13 x max (zero) at x = "
                    + (zero.size() <= 10 ? String.join(", ", zero) : String.join(", ", zero.subList(0, 10)) + ", ... ("
                    + zero.size() + " values)"));
        }
        if (nonPositive > 0) {
            notes.add("'" + s.name() + "': " + nonPositive + " value" + (nonPositive > 1 ? "s" : "") + " <= 0");
        }
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[0][i] = pts.get(i)[0];
            xy[1][i] = pts.get(i)[1];
        }
        return xy;
    }

    /** Least-squares line {intercept, slope} through the points, or null with fewer than two distinct x. */
    static double[] fit(double[][] xy) {
        int n = xy[0].length;
        if (n < 2) {
            return null;
        }
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += xy[0][i];
            my += xy[1][i];
        }
        mx /= n;
        my /= n;
        double sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (xy[0][i] - mx) * (xy[0][i] - mx);
            sxy += (xy[0][i] - mx) * (xy[1][i] - my);
        }
        if (sxx == 0) {
            return null;
        }
        double slope = sxy / sxx;
        return new double[] {my - slope * mx, slope};
    }

    private static String slopeText(PlotSpec spec, double slope) {
        String v = String.format(Locale.ROOT, "%.3g", slope);
        if (spec.logX() && spec.logY()) {
            return "slope " + v + " (log-log)";
        }
        if (spec.logY()) {
            return "slope " + v + " (log10 y per unit x)";
        }
        if (spec.logX()) {
            return "slope " + v + " (y per decade of x)";
        }
        return "slope " + v;
    }

    private static double[] range(List<double[][]> drawn, int axis) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[][] xy : drawn) {
            lo = Math.min(lo, min(xy[axis]));
            hi = Math.max(hi, max(xy[axis]));
        }
        return new double[] {lo, hi};
    }

    /**
     * Tick labels of a log axis drawn over log10 values: the value itself. A tick at a data value (a
     * geometric sweep, where XChart puts the ticks at the data) shows that value exactly. Over two decades
     * or more only whole decades are labelled; over less, ticks are every 0.1 in log10 (see
     * {@link #logTickSpacing}) and those at 1, 2 and 5 times a power of ten are labelled (also 4 and 8 within
     * one decade); over less than 0.3 decades every tick is. Unlabelled ticks keep their grid line.
     */
    static Function<Double, String> logTicks(double[] range, double[] data) {
        double span = range[1] - range[0];
        return v -> {
            double value = Math.pow(10, v);
            if (v <= range[0] || v >= range[1]) {
                // XChart formats the axis ends first and draws no ticks at all if both labels are equal: keep
                // them distinct (a tick there sits at the data, so its value is the right label anyway).
                return number(Double.parseDouble(String.format(Locale.ROOT, "%.12g", value)));
            }
            for (double d : data) {
                if (Math.abs(d - value) <= 1e-9 * Math.abs(d)) {
                    return number(d);
                }
            }
            double r = Math.rint(v);
            if (Math.abs(v - r) < 1e-9) {
                return decade((int) r);
            }
            if (span >= 2) {
                return " ";
            }
            if (span >= 0.3) {
                double k = Math.floor(v + 1e-9);
                double mantissa = Math.pow(10, v - k);
                for (int m : span < 1 ? new int[] {2, 4, 5, 8} : new int[] {2, 5}) {
                    if (Math.abs(mantissa - m) < 0.01 * m) {
                        return number(m * Math.pow(10, k));
                    }
                }
                return " ";
            }
            return number(value);
        };
    }

    /**
     * A point {x, y} to add invisibly when the distinct x values (at least 3) are equally spaced with a step
     * that is not 1, 2, 2.5 or 5 times a power of ten: XChart would put the ticks at those values. The point
     * lies a third of a step to the right of the first x value, at that value's y. Null when no point is needed.
     */
    static double[] equallySpacedTickBreaker(List<double[][]> drawn) {
        java.util.TreeMap<Double, Double> firstY = new java.util.TreeMap<>();
        for (double[][] xy : drawn) {
            for (int i = 0; i < xy[0].length; i++) {
                firstY.putIfAbsent(xy[0][i], xy[1][i]);
            }
        }
        if (firstY.size() < 3) {
            return null;
        }
        double[] x = firstY.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double step = (x[x.length - 1] - x[0]) / (x.length - 1);
        for (int i = 1; i < x.length; i++) {
            if (Math.abs(x[i] - x[i - 1] - step) > 1e-9 * Math.abs(step)) {
                return null;
            }
        }
        double mantissa = step / Math.pow(10, Math.floor(Math.log10(step)));
        for (double nice : new double[] {1, 2, 2.5, 5, 10}) {
            if (Math.abs(mantissa - nice) < 1e-9 * nice) {
                return null;
            }
        }
        return new double[] {x[0] + step / 3, firstY.get(x[0])};
    }

    /** Tick spacing hint (pixels) that makes XChart step 0.1 in log10 over less than two decades, else its default. */
    static int logTickSpacing(double span, int axisPixels, int defaultHint) {
        if (span >= 2 || span < 0.3) {
            return defaultHint;
        }
        return (int) Math.max(8, Math.floor(0.095 * axisPixels / span));
    }

    /** The distinct values of one axis over all series (log10 of them on a log axis, so 10^v gives them back). */
    private static double[] values(List<double[][]> drawn, int axis) {
        java.util.TreeSet<Double> v = new java.util.TreeSet<>();
        for (double[][] xy : drawn) {
            for (double d : xy[axis]) {
                v.add(Double.parseDouble(String.format(Locale.ROOT, "%.12g", Math.pow(10, d)))); // undo log10 rounding
                if (v.size() > 64) {
                    return new double[0]; // too many to be tick positions
                }
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String decade(int k) {
        if (k >= -3 && k <= 4) {
            return number(Math.pow(10, k));
        }
        return "1e" + k;
    }

    /** A number for a label: at most 3 significant digits, no trailing zeros, short exponents. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e5) {
            return String.valueOf((long) v);
        }
        if (Math.abs(v) >= 100 && Math.abs(v) < 1e5) {
            double unit = Math.pow(10, Math.floor(Math.log10(Math.abs(v))) - 2);
            return String.valueOf(Math.round(v / unit) * (long) unit);
        }
        if (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5) {
            String s = String.format(Locale.ROOT, "%.3g", v);
            return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        }
        String s = String.format(Locale.ROOT, "%.2e", v);
        String[] me = s.split("e");
        String m = me[0].replaceAll("0+$", "").replaceAll("\\.$", "");
        return m + "e" + Integer.parseInt(me[1]);
    }

    private static String wrap(String text, int width) {
        StringBuilder b = new StringBuilder();
        int line = 0;
        for (String w : text.split(" ")) {
            if (line > 0 && line + w.length() + 1 > width) {
                b.append('\n');
                line = 0;
            } else if (line > 0) {
                b.append(' ');
                line++;
            }
            b.append(w);
            line += w.length();
        }
        return b.toString();
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) {
            m = Math.min(m, d);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }
}
