package org.ntkworkbench.plot;

/**
 * One named curve or point set of a plot.
 *
 * @param points    draw this series as markers without lines, whatever the plot's {@code markers} flag
 *                  (e.g. training points over curves)
 * @param dashed    draw the line dashed (e.g. a prediction next to a measured solid curve)
 * @param color     index into the plot palette so that related series share a colour; −1 = the colour this
 *                  label already has in the run's other plots, else the next free one
 * @param fit       also draw the least-squares line through this series in the plot's coordinates (log10 of a
 *                  log axis), dashed in the same colour, with its slope in the legend
 * @param reference a reference value from a paper: drawn as black diamonds, outside the colour cycle
 */
public record Series(String name, double[] x, double[] y, boolean points, boolean dashed, int color, boolean fit,
                     boolean reference) {
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
    }

    /** A series without fit that is not a reference. */
    public Series(String name, double[] x, double[] y, boolean points, boolean dashed, int color) {
        this(name, x, y, points, dashed, color, false, false);
    }

    /** A series drawn in the plot's style (lines unless the plot asks for markers), in its label's colour. */
    public Series(String name, double[] x, double[] y) {
        this(name, x, y, false, false, -1);
    }

    /** A series drawn as markers only ({@code points}) or in the plot's style, in its label's colour. */
    public Series(String name, double[] x, double[] y, boolean points) {
        this(name, x, y, points, false, -1);
    }

    /** A line series, solid or {@code dashed}, in palette colour {@code color} (−1 = its label's colour). */
    public Series(String name, double[] x, double[] y, boolean dashed, int color) {
        this(name, x, y, false, dashed, color);
    }

    /** A paper's reference values, drawn as black diamond markers. */
    public static Series reference(String name, double[] x, double[] y) {
        return new Series(name, x, y, true, false, -1, false, true);
    }

    /** This series with its least-squares line drawn (slope in the legend). */
    public Series withFit() {
        return new Series(name, x, y, points, dashed, color, true, reference);
    }
}
