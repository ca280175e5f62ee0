package org.ntkworkbench.plot;

import java.util.List;

/**
 * What to draw: a title, axis labels, log axes, lines or markers, and the series.
 *
 * @param markers draw points instead of lines
 */
public record PlotSpec(String title, String xLabel, String yLabel, boolean logX, boolean logY,
                       boolean markers, List<Series> series) {

    public static PlotSpec lines(String title, String xLabel, String yLabel, List<Series> series) {
        return new PlotSpec(title, xLabel, yLabel, false, false, false, series);
    }

    public PlotSpec withLog(boolean x, boolean y) {
        return new PlotSpec(title, xLabel, yLabel, x, y, markers, series);
    }

    public PlotSpec withMarkers(boolean m) {
        return new PlotSpec(title, xLabel, yLabel, logX, logY, m, series);
    }
}
