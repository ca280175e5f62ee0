package org.ntkworkbench.dsl;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.ntkworkbench.model.Consistency;
import org.ntkworkbench.model.ModelExtensions;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.plot.PlotSpec;
import org.ntkworkbench.plot.Plots;
import org.ntkworkbench.plot.Series;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.spi.WordInfo;

/** {@code consistency(net, x, widths: [...], seeds: 4)}: the consistency report, plotted into the run directory. */
public final class ConsistencyWord implements DslWord {
    public static final WordInfo INFO = new WordInfo("consistency", "consistency(net, x, widths: [w1, w2, ...], seeds: 4)",
            "Seed-averaged empirical NTK/NNGP vs the analytic kernels per width, the fitted rate (about -1/2), and plots/consistency.png.");

    private final Plots plots;
    private final CurrentRun run;

    @Inject
    public ConsistencyWord(Plots plots, CurrentRun run) {
        this.plots = plots;
        this.run = run;
    }

    @Override
    public Object call(DslArgs a) {
        a.allowOnly("widths", "seeds");
        if (!(a.positional(0) instanceof Layer net)) {
            throw new DslException("consistency: expected a model first, got " + DslArgs.describe(a.positional(0)));
        }
        Consistency.Report report;
        try {
            report = ModelExtensions.consistency(net, a.named(), Values.tensor("consistency", "x", a.positional(1)));
        } catch (IllegalArgumentException e) {
            throw new DslException("consistency: " + e.getMessage());
        }
        try {
            plots.save(plot(report), run.get().plotsDir(), "consistency");
        } catch (IOException e) {
            throw new UncheckedIOException("consistency plot: " + e.getMessage(), e);
        }
        return report;
    }

    /** The report's errors against width on log-log axes (the word's {@code plots/consistency.png}). */
    public static PlotSpec plot(Consistency.Report report) {
        List<Consistency.Row> rows = report.rows();
        double[] w = rows.stream().mapToDouble(Consistency.Row::width).toArray();
        return new PlotSpec("Empirical vs analytic kernels (" + report.seeds() + " seeds): NTK rate "
                + String.format("%.2f", report.ntkRate()) + ", NNGP rate " + String.format("%.2f", report.nngpRate()),
                "width", "relative Frobenius error", true, true, true,
                List.of(new Series("NTK", w, rows.stream().mapToDouble(Consistency.Row::ntkRelativeError).toArray()),
                        new Series("NNGP", w, rows.stream().mapToDouble(Consistency.Row::nngpRelativeError).toArray())));
    }
}
