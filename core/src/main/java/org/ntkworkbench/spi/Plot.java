package org.ntkworkbench.spi;

import java.util.List;

/**
 * A plot a plugin draws into the current run ({@link RunOutputs#savePlot}): title, axis labels, log axes and
 * its lines. Core's plot service draws it (PNG and SVG, the run's palette, values that a log axis cannot show
 * listed in the plot's note).
 *
 * @param logX    logarithmic x axis
 * @param logY    logarithmic y axis
 * @param markers draw every line as markers without a line
 * @param lines   the curves and point sets, drawn in this order
 */
public record Plot(String title, String xLabel, String yLabel, boolean logX, boolean logY, boolean markers, List<Line> lines) {

    /** Copies the list. */
    public Plot {
        lines = List.copyOf(lines);
    }

    /** A plot of lines with linear axes. */
    public static Plot of(String title, String xLabel, String yLabel, List<Line> lines) {
        return new Plot(title, xLabel, yLabel, false, false, false, lines);
    }

    /**
     * One named curve or point set.
     *
     * @param points draw markers without a line (e.g. training points over curves)
     * @param dashed draw the line dashed (e.g. a prediction next to a measured solid curve)
     * @param color  palette index, so that related lines share a colour; −1 = the colour this name already has
     *               in the run's other plots, else the next free one
     */
    public record Line(String name, double[] x, double[] y, boolean points, boolean dashed, int color) {
        /** Checks that x and y have the same length. */
        public Line {
            if (x.length != y.length) {
                throw new IllegalArgumentException("line '" + name + "': " + x.length + " x values but " + y.length + " y values");
            }
        }

        /** A solid line in its name's colour. */
        public static Line of(String name, double[] x, double[] y) {
            return new Line(name, x, y, false, false, -1);
        }

        /** Markers without a line, in the name's colour. */
        public static Line points(String name, double[] x, double[] y) {
            return new Line(name, x, y, true, false, -1);
        }
    }
}
