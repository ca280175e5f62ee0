package org.ntkworkbench.runtime;

import com.google.inject.AbstractModule;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.data.Datasets;
import org.ntkworkbench.data.DefaultDatasets;
import org.ntkworkbench.dsl.WordBinding;
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

    /**
     * The core services Guice constructs with their no-argument constructor (nothing injected), by interface: bound
     * here with {@code bind(type).to(implementation)} (unscoped: a new instance per request), and constructed the same
     * way by the core-only workbench ({@link Workbench#startCore}), which has no injector.
     */
    static final Map<Class<?>, Class<?>> PLAIN_SERVICES = plainServices();

    private static Map<Class<?>, Class<?>> plainServices() {
        Map<Class<?>, Class<?>> m = new LinkedHashMap<>();
        m.put(Plots.class, XChartPlots.class);
        m.put(Reports.class, HtmlReports.class);
        m.put(ArrayIO.class, DefaultArrayIO.class);
        m.put(Datasets.class, DefaultDatasets.class);
        m.put(KernelService.class, RowBlockKernelService.class);
        m.put(Training.class, DefaultTraining.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    protected void configure() {
        PLAIN_SERVICES.forEach(this::bindPlain);
        install(new SpectrumModule());
        bind(NetworkTraining.class).to(DefaultNetworkTraining.class);
        bind(RunOutputs.class).to(CurrentRunOutputs.class);

        DslBindings.declare(binder());
        for (WordBinding w : WordBinding.core()) {
            if (w.instance() != null) {
                DslBindings.addWord(binder(), w.info(), w.instance());
            } else {
                DslBindings.addWord(binder(), w.info(), w.type());
            }
        }
    }

    private <T> void bindPlain(Class<T> type, Class<?> implementation) {
        bind(type).to(implementation.asSubclass(type));
    }
}
