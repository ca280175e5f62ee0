package org.ntkworkbench.runtime;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.ntkworkbench.plot.PlotSpec;
import org.ntkworkbench.plot.Plots;
import org.ntkworkbench.plot.Series;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.spi.Plot;
import org.ntkworkbench.spi.RunOutputs;

/** {@link RunOutputs} for plugins: the {@link CurrentRun} of the calling thread, read at each call. */
final class CurrentRunOutputs implements RunOutputs {
    private final CurrentRun current;
    private final Plots plots;

    @Inject
    CurrentRunOutputs(CurrentRun current, Plots plots) {
        this.current = current;
        this.plots = plots;
    }

    @Override
    public Path dir() {
        return current.get().dir();
    }

    @Override
    public Path plotsDir() {
        return current.get().plotsDir();
    }

    @Override
    public void result(String name, Object value) {
        current.get().result(name, value);
    }

    @Override
    public void log(String line) {
        current.get().log(line);
    }

    @Override
    public List<Path> savePlot(Plot plot, String name) throws IOException {
        return plots.save(spec(plot), plotsDir(), name);
    }

    /** The plot service's description of {@code plot}. */
    static PlotSpec spec(Plot plot) {
        List<Series> series = plot.lines().stream()
                .map(l -> new Series(l.name(), l.x(), l.y(), l.points(), l.dashed(), l.color()))
                .toList();
        return new PlotSpec(plot.title(), plot.xLabel(), plot.yLabel(), plot.logX(), plot.logY(), plot.markers(), series);
    }
}
