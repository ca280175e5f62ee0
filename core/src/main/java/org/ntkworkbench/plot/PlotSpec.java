package org.ntkworkbench.plot;

import java.util.List;

/**
 * What to draw: a title, axis labels, log axes, lines or markers, and the series. On a log axis, values
 * that are not positive and, on a log y axis, values below {@link #ZERO_THRESHOLD} times the largest value
 * (DESIGN.md: such eigenvalues count as zero) are left out of the drawing and listed in the plot's note.
 *
 * @param markers draw points instead of lines
 */
public record PlotSpec(String title, String xLabel, String yLabel, boolean logX, boolean logY,
                       boolean markers, List<Series> series) {

    /** Relative size below which a value counts as zero on a log y axis (DESIGN.md, Numerics). */
    public static final double ZERO_THRESHOLD = 1e-13;

    public PlotSpec {
        series = List.copyOf(series);
    }

    public static PlotSpec lines(String title, String xLabel, String yLabel, List<Series> series) {
        return new PlotSpec(title, xLabel, yLabel, false, false, false, series);
    }

    public PlotSpec withLog(boolean x, boolean y) {
        return new PlotSpec(title, xLabel, yLabel, x, y, markers, series);
    }

    public PlotSpec withMarkers(boolean m) {
        return new PlotSpec(title, xLabel, yLabel, logX, logY, m, series);
    }

    /** This plot with the least-squares line of every non-reference series drawn (slope in the legend). */
    public PlotSpec withFits() {
        return new PlotSpec(title, xLabel, yLabel, logX, logY, markers,
                series.stream().map(s -> s.reference() ? s : s.withFit()).toList());
    }
}
