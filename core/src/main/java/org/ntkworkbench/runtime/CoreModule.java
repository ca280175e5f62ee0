package org.ntkworkbench.runtime;

import com.google.inject.AbstractModule;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.data.Datasets;
import org.ntkworkbench.data.DefaultDatasets;
import org.ntkworkbench.dsl.ConsistencyWord;
import org.ntkworkbench.dsl.MonteCarloKernelWord;
import org.ntkworkbench.dsl.CoreWords;
import org.ntkworkbench.dsl.DataWords;
import org.ntkworkbench.dsl.PredictWords;
import org.ntkworkbench.dsl.ExperimentWords;
import org.ntkworkbench.dsl.LayerWords;
import org.ntkworkbench.dsl.ResidualWords;
import org.ntkworkbench.dsl.SpectrumWords;
import org.ntkworkbench.dsl.TrainWords;
import org.ntkworkbench.io.ArrayIO;
import org.ntkworkbench.io.DefaultArrayIO;
import org.ntkworkbench.model.KernelService;
import org.ntkworkbench.model.RowBlockKernelService;
import org.ntkworkbench.plot.Plots;
import org.ntkworkbench.plot.XChartPlots;
import org.ntkworkbench.report.HtmlReports;
import org.ntkworkbench.report.Reports;
import org.ntkworkbench.spectrum.Spectra;
import org.ntkworkbench.spectrum.SpectrumModule;
import org.ntkworkbench.spi.DslBindings;
import org.ntkworkbench.spi.NetworkTraining;
import org.ntkworkbench.spi.RunOutputs;
import org.ntkworkbench.train.DefaultNetworkTraining;
import org.ntkworkbench.train.DefaultTraining;
import org.ntkworkbench.train.Training;

/** Core services and DSL words. Side-effect free: bindings only. */
public final class CoreModule extends AbstractModule {

    /** Services scripts and the REPL see as variables, by variable name (e.g. {@code plots}). */
    static final Map<String, Class<?>> SERVICES = services();

    private static Map<String, Class<?>> services() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("plots", Plots.class);
        m.put("reports", Reports.class);
        m.put("arrayIO", ArrayIO.class);
        m.put("datasets", Datasets.class);
        m.put("spectra", Spectra.class);
        m.put("training", Training.class);
        m.put("kernels", KernelService.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    protected void configure() {
        bind(Plots.class).to(XChartPlots.class);
        bind(Reports.class).to(HtmlReports.class);
        bind(ArrayIO.class).to(DefaultArrayIO.class);
        bind(Datasets.class).to(DefaultDatasets.class);
        bind(KernelService.class).to(RowBlockKernelService.class);
        install(new SpectrumModule());
        bind(Training.class).to(DefaultTraining.class);
        bind(NetworkTraining.class).to(DefaultNetworkTraining.class);
        bind(RunOutputs.class).to(CurrentRunOutputs.class);

        DslBindings.declare(binder());
        DslBindings.addWord(binder(), CoreWords.RESULT, CoreWords.ResultWord.class);
        DslBindings.addWord(binder(), CoreWords.COMPARISON, CoreWords.ComparisonWord.class);
        DslBindings.addWord(binder(), CoreWords.PLOT, CoreWords.PlotWord.class);
        DslBindings.addWord(binder(), CoreWords.REPORT, CoreWords.ReportWord.class);
        DslBindings.addWord(binder(), CoreWords.EIGVALSH, new CoreWords.EigvalshWord());
        DslBindings.addWord(binder(), CoreWords.GRAM, new CoreWords.GramWord());
        DslBindings.addWord(binder(), CoreWords.CIRCLE_GRID, new CoreWords.CircleGridWord());
        DataWords.bind(binder());
        PredictWords.bind(binder());
        LayerWords.bind(binder());
        SpectrumWords.bind(binder());
        TrainWords.bind(binder());
        ResidualWords.bind(binder());
        DslBindings.addWord(binder(), ConsistencyWord.INFO, ConsistencyWord.class);
        DslBindings.addWord(binder(), MonteCarloKernelWord.INFO, new MonteCarloKernelWord());
        ExperimentWords.bind(binder());
    }
}
