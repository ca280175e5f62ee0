package org.ntkworkbench.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@link Plots} with XChart (PNG) and VectorGraphics2D (SVG), headless. */
public final class XChartPlots implements Plots {

    /** Colours for {@link Series#color()} (Tableau 10). */
    static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};

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
                .xAxisTitle(spec.xLabel()).yAxisTitle(spec.yLabel()).build();
        chart.getStyler().setXAxisLogarithmic(spec.logX());
        chart.getStyler().setYAxisLogarithmic(spec.logY());
        chart.getStyler().setLegendVisible(spec.series().size() > 1);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        for (Series s : spec.series()) {
            double[][] xy = positiveIfLog(s, spec);
            if (xy[0].length == 0) {
                throw new IllegalArgumentException("plot '" + name + "', series '" + s.name()
                        + "': no points to draw" + (spec.logX() || spec.logY() ? " (log axes drop values <= 0)" : ""));
            }
            XYSeries xs = chart.addSeries(s.name(), xy[0], xy[1]);
            if (spec.markers() || s.points()) {
                xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                xs.setMarker(SeriesMarkers.CIRCLE);
            } else {
                xs.setMarker(SeriesMarkers.NONE);
                xs.setLineStyle(s.dashed()
                        ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f)
                        : new BasicStroke(2f));
            }
            if (s.color() >= 0) {
                xs.setLineColor(PALETTE[s.color() % PALETTE.length]);
                xs.setMarkerColor(PALETTE[s.color() % PALETTE.length]);
            }
        }
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        try {
            // XChart appends the extension itself: give it a base name without one.
            String base = tmp.toString();
            BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
            Files.move(Path.of(base + ".png"), png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            Files.move(Path.of(base + ".svg"), svg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return List.of(png, svg);
    }

    private static double[][] positiveIfLog(Series s, PlotSpec spec) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < s.x().length; i++) {
            double x = s.x()[i], y = s.y()[i];
            if (!Double.isFinite(x) || !Double.isFinite(y) || (spec.logX() && x <= 0) || (spec.logY() && y <= 0)) {
                continue;
            }
            pts.add(new double[] {x, y});
        }
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[0][i] = pts.get(i)[0];
            xy[1][i] = pts.get(i)[1];
        }
        return xy;
    }
}
