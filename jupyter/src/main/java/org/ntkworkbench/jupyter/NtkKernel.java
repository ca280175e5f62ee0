package org.ntkworkbench.jupyter;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.ntkworkbench.dsl.ScriptRunner;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.report.RunContext;
import org.ntkworkbench.report.RunDirectory;
import org.ntkworkbench.runtime.Workbench;

/**
 * The Jupyter kernel "NTK Workbench (Groovy)": each cell is Groovy with the workbench's DSL words and
 * services bound, as in {@code ntk run} and {@code ntk repl}. The protocol (ZeroMQ sockets, signing,
 * message types) is jjava-jupyter's {@link BaseKernel}; this class only evaluates cells and shows what
 * they made:
 * <ul>
 *   <li>every plot a cell wrote ({@code plot(...)}) as inline PNG display data (the SVG is in the run directory);</li>
 *   <li>the results a cell recorded ({@code result(...)}) as an HTML table with their descriptions;</li>
 *   <li>the cell's value: a map as a two-column table, anything else as text (nothing for null).</li>
 * </ul>
 * Variables assigned without {@code def} live in the shared binding and carry over between cells
 * (a {@code def} is local to its cell, as in any Groovy script). The session writes into one run
 * directory {@code runs/notebook-<time>/} (plots, arrays, results), under {@code NTK_NOTEBOOK_RUNS} if set.
 */
public final class NtkKernel extends BaseKernel {

    /** The kernel's name in the kernel spec and in kernel_info replies. */
    public static final String DISPLAY_NAME = "NTK Workbench (Groovy)";

    private final Workbench workbench;
    private final GroovyShell shell;
    private final RunDirectory run;

    private NtkKernel(String name, String version, org.dflib.jjava.jupyter.kernel.history.HistoryManager history,
                      org.dflib.jjava.jupyter.kernel.JupyterIO io, org.dflib.jjava.jupyter.kernel.comm.CommManager comms,
                      org.dflib.jjava.jupyter.kernel.display.Renderer renderer, MagicParser magics,
                      org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry registry,
                      org.dflib.jjava.jupyter.kernel.util.StringStyler errors, Workbench workbench, RunDirectory run) {
        super(name, version,
                new LanguageInfo("groovy", groovy.lang.GroovySystem.getVersion(), "text/x-groovy", ".groovy", "groovy",
                        "groovy", "script"),
                List.of(), history, io, comms, renderer, magics, registry, false, errors);
        this.workbench = workbench;
        this.run = run;
        Binding binding = ScriptRunner.binding(workbench, Map.of());
        binding.setVariable("run", run);
        this.shell = new GroovyShell(NtkKernel.class.getClassLoader(), binding, ScriptRunner.compilerConfiguration());
        workbench.service(CurrentRun.class).set(run);
    }

    /** A kernel over {@code workbench} whose session run directory is created under {@code runsBase}. */
    public static NtkKernel create(Workbench workbench, Path runsBase) {
        RunDirectory run = new RunDirectory("notebook", runsBase, "(notebook)", "", Map.of(),
                workbench.plugins().stream().map(p -> p.name() + " " + p.version()).toList());
        return new Builder().name("ntk-workbench").version(org.ntkworkbench.report.Versions.current().workbench())
                .build(workbench, run);
    }

    /** The session's run directory. */
    public RunContext run() {
        return run;
    }

    @Override
    public String getBanner() {
        return DISPLAY_NAME + ": the Groovy DSL of NTK Workbench with its words and services bound";
    }

    @Override
    public DisplayData eval(String code) {
        Map<Path, Long> before = plots();
        Map<String, Object> resultsBefore = run.results();
        Object value = shell.evaluate(code, "cell" + executionCount.get() + ".groovy");
        for (Path png : newPlots(before)) {
            try {
                display(plotDisplay(png));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot show plot " + png + ": " + e.getMessage(), e);
            }
        }
        Map<String, Object> fresh = new LinkedHashMap<>();
        run.results().forEach((k, v) -> {
            if (!v.equals(resultsBefore.get(k))) {
                fresh.put(k, v);
            }
        });
        if (!fresh.isEmpty()) {
            display(resultsTable(fresh, run.resultInfo()));
            if (value != null && fresh.containsValue(value)) {
                return null; // the cell ended with result(...): its value is in the table already
            }
        }
        return render(value);
    }

    @Override
    public Object evalRaw(String code) {
        return shell.evaluate(code);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int start = at;
        while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) {
            start--;
        }
        String prefix = code.substring(start, at);
        if (prefix.isEmpty()) {
            return null;
        }
        List<String> words = workbench.words().keySet().stream().filter(w -> w.startsWith(prefix)).sorted().toList();
        return words.isEmpty() ? null : new ReplacementOptions(words, start, at);
    }

    @Override
    public String isComplete(String code) {
        return IS_COMPLETE_YES;
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        try {
            run.writeManifest("ok", null);
        } catch (IOException | RuntimeException ignored) {
            // Shutting down: nothing left to tell the user.
        }
    }

    private Map<Path, Long> plots() {
        Map<Path, Long> m = new LinkedHashMap<>();
        Path dir = run.dir().resolve("plots");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
                    m.put(p, Files.getLastModifiedTime(p).toMillis() * 1000 + Files.size(p) % 1000);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return m;
    }

    private List<Path> newPlots(Map<Path, Long> before) {
        List<Path> out = new ArrayList<>();
        plots().forEach((p, stamp) -> {
            if (!stamp.equals(before.get(p))) {
                out.add(p);
            }
        });
        return out;
    }

    /**
     * A plot as display data: the PNG (base64), with the plot's file name and note as text. The SVG stays in
     * the run directory: inlined it would make a notebook ten times larger (≈ 300 kB per plot).
     */
    static DisplayData plotDisplay(Path png) throws IOException {
        DisplayData d = new DisplayData();
        d.putData("image/png", Base64.getEncoder().encodeToString(Files.readAllBytes(png)));
        Path note = Path.of(png.toString().replaceAll("\\.png$", ".txt"));
        d.putText(png.getFileName() + (Files.exists(note) ? ": " + Files.readString(note).strip() : ""));
        return d;
    }

    /** Results as an HTML table (name, value, unit, description) with a plain-text fallback. */
    static DisplayData resultsTable(Map<String, Object> results, Map<String, RunContext.ResultInfo> info) {
        StringBuilder h = new StringBuilder("<table><tr><th>result</th><th>value</th><th>unit</th><th>description</th></tr>");
        StringBuilder t = new StringBuilder();
        results.forEach((k, v) -> {
            RunContext.ResultInfo i = info.get(k);
            h.append("<tr><td><code>").append(esc(k)).append("</code></td><td>").append(esc(String.valueOf(v)))
                    .append("</td><td>").append(i == null ? "" : esc(i.unit())).append("</td><td>")
                    .append(i == null ? "" : esc(i.description())).append("</td></tr>");
            t.append(k).append(" = ").append(v).append(i == null || i.unit().isEmpty() ? "" : " " + i.unit()).append('\n');
        });
        DisplayData d = new DisplayData(t.toString().strip());
        d.putHTML(h.append("</table>").toString());
        return d;
    }

    private static DisplayData render(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> m) {
            StringBuilder h = new StringBuilder("<table>");
            m.forEach((k, v) -> h.append("<tr><td>").append(esc(String.valueOf(k))).append("</td><td>")
                    .append(esc(String.valueOf(v))).append("</td></tr>"));
            DisplayData d = new DisplayData(String.valueOf(value));
            d.putHTML(h.append("</table>").toString());
            return d;
        }
        if (value instanceof Path p && p.toString().endsWith(".png") && Files.exists(p)) {
            return null; // a plot: already shown above
        }
        return new DisplayData(String.valueOf(value));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** jjava's builder, used for the protocol parts (IO, comms, history, magics). */
    static final class Builder extends BaseKernelBuilder<Builder, NtkKernel> {
        @Override
        public NtkKernel build() {
            throw new UnsupportedOperationException("use build(workbench, run)");
        }

        NtkKernel build(Workbench workbench, RunDirectory run) {
            return new NtkKernel(buildName(), buildVersion(), buildHistoryManager(), buildJupyterIO(buildJupyterIOEncoding()),
                    buildCommManager(), buildRenderer(), new MagicParser("(?<=(?:^|=))\\s*%", "%%", buildMagicTranspiler()),
                    buildMagicsRegistry(), buildErrorStyler(), workbench, run);
        }
    }
}
