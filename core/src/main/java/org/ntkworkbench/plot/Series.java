package org.ntkworkbench.plot;

/**
 * One named curve or point set of a plot.
 *
 * @param points draw this series as markers without lines, whatever the plot's {@code markers} flag
 *               (e.g. training points over curves)
 */
public record Series(String name, double[] x, double[] y, boolean points) {
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
    }

    /** A series drawn in the plot's style (lines unless the plot asks for markers). */
    public Series(String name, double[] x, double[] y) {
        this(name, x, y, false);
    }
}
