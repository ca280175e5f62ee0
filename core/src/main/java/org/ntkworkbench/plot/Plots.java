package org.ntkworkbench.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Plots as files: every plot is written as PNG and SVG side by side. */
public interface Plots {
    /**
     * Draws {@code spec} into {@code <dir>/<name>.png} and {@code <dir>/<name>.svg} (written to temporary
     * names, then renamed) and returns both paths.
     */
    List<Path> save(PlotSpec spec, Path dir, String name) throws IOException;
}
