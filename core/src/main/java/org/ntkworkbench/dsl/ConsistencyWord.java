package org.ntkworkbench.dsl;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.ntkworkbench.kernel.empirical.Consistency;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.plot.Plots;
import org.ntkworkbench.report.CurrentRun;

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
            report = net.consistency(a.named(), Values.tensor("consistency", "x", a.positional(1)));
        } catch (IllegalArgumentException e) {
            throw new DslException("consistency: " + e.getMessage());
        }
        try {
            plots.save(report.plot(), run.get().plotsDir(), "consistency");
        } catch (IOException e) {
            throw new UncheckedIOException("consistency plot: " + e.getMessage(), e);
        }
        return report;
    }
}
