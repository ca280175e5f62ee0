package org.ntkworkbench.plot;

/**
 * One named curve or point set of a plot.
 *
 * @param dashed draw the line dashed (e.g. a prediction next to a measured solid curve)
 * @param color  index into the plot palette so that related series share a colour; −1 = the next default colour
 */
public record Series(String name, double[] x, double[] y, boolean dashed, int color) {
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
    }

    /** A solid series in the next default colour. */
    public Series(String name, double[] x, double[] y) {
        this(name, x, y, false, -1);
    }
}
