package org.ntkworkbench.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a word writes its outputs in the run being computed: the script's run directory, or the point's
 * directory while an experiment point computes (each point thread sees its own). Plugins inject this
 * instead of core's report classes.
 */
public interface RunOutputs {

    /** The directory of the current run (or point). */
    Path dir();

    /** The directory for plots of the current run (or point), {@code <dir>/plots}. */
    Path plotsDir();

    /** Records a named scalar result of the current run (or point), as the {@code result} word does. */
    void result(String name, Object value);

    /** Appends a line to the run's log. */
    void log(String line);

    /**
     * Draws {@code plot} into {@code <plotsDir>/<name>.png} and {@code .svg} (written under temporary names,
     * then renamed) and returns both paths.
     */
    List<Path> savePlot(Plot plot, String name) throws IOException;
}
