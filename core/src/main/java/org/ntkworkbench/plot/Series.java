package org.ntkworkbench.plot;

/** One named curve or point set of a plot. */
public record Series(String name, double[] x, double[] y) {
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
    }
}
