package org.ntkworkbench.plot;

/**
 * One named curve or point set of a plot.
 *
 * @param points draw this series as markers without lines, whatever the plot's {@code markers} flag
 *               (e.g. training points over curves)
 * @param dashed draw the line dashed (e.g. a prediction next to a measured solid curve)
 * @param color  index into the plot palette so that related series share a colour; −1 = the next default colour
 */
public record Series(String name, double[] x, double[] y, boolean points, boolean dashed, int color) {
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
    }

    /** A series drawn in the plot's style (lines unless the plot asks for markers), in the next default colour. */
    public Series(String name, double[] x, double[] y) {
        this(name, x, y, false, false, -1);
    }

    /** A series drawn as markers only ({@code points}) or in the plot's style, in the next default colour. */
    public Series(String name, double[] x, double[] y, boolean points) {
        this(name, x, y, points, false, -1);
    }

    /** A line series, solid or {@code dashed}, in palette colour {@code color} (−1 = next default). */
    public Series(String name, double[] x, double[] y, boolean dashed, int color) {
        this(name, x, y, false, dashed, color);
    }
}
