package org.ntkworkbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.ntkworkbench.data.DatasetFiles;
import org.ntkworkbench.data.DatasetSpec;
import org.ntkworkbench.data.LabeledData;
import org.ntkworkbench.fit.ConsoleFitProgress;
import org.ntkworkbench.fit.DirectSolver;
import org.ntkworkbench.fit.FitPipeline;
import org.ntkworkbench.fit.FitRequest;
import org.ntkworkbench.fit.FitResult;
import org.ntkworkbench.fit.FitSolver;
import org.ntkworkbench.fit.KernelEngine;
import org.ntkworkbench.fit.KernelEngines;
import org.ntkworkbench.io.ArrayIO;
import org.ntkworkbench.io.NpyHeader;
import org.ntkworkbench.io.NpyReader;
import org.ntkworkbench.model.KernelService;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.plot.Heatmap;
import org.ntkworkbench.plot.PlotSpec;
import org.ntkworkbench.plot.Plots;
import org.ntkworkbench.plot.Series;
import org.ntkworkbench.report.Reports;
import org.ntkworkbench.report.RunDirectory;
import org.ntkworkbench.report.Tables;
import org.ntkworkbench.spi.ExitCodes;
import org.ntkworkbench.runtime.Workbench;
import org.ntkworkbench.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntk fit --model EXPR --x-train A --y-train B --x-test C [--y-test D] [--get nngp,ntk]
 * [--t inf,1e3,…] [--diag-reg r] [--engine local|spark [--master URL]] [--memory GB] --out DIR}:
 * infinite-width predictions on test inputs (DESIGN.md). DIR becomes a run directory with
 * {@code predictions.npz} ({@code ntk}, {@code nngp} at t = ∞, {@code ntk_t<t>} at finite t, each
 * {@code (n_test, k)}), {@code manifest.json} (results {@code accuracy_*} or {@code rmse_*}, stage
 * timings), plots (accuracy or RMSE against t, confusion matrices), {@code tables/timings.csv} and
 * {@code report.html}.
 *
 * <p>Inputs are {@code .npy}, {@code A.npz:NAME} or {@code dataset:NAME[:split][:n]}; a data set's
 * labels serve as targets ({@code --y-train} may then be omitted; data-set inputs are flattened when
 * the model takes vectors, NHWC otherwise). Integer 1-D targets mean classification (one-hot), float
 * targets regression. Everything is checked before anything is written; the run is built in a hidden
 * sibling directory and renamed to DIR only on success. Exit 2 for bad input, 1 for a failed
 * computation.
 */
@Command(name = "fit", description = "Infinite-width (NNGP/NTK) predictions on test inputs; writes a run directory DIR.")
final class FitCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @picocli.CommandLine.Mixin
    ModelOption model;

    @Option(names = "--x-train", required = true, paramLabel = "A.npy", description = "Training inputs (.npy, A.npz:NAME or dataset:NAME[:split][:n]).")
    String xTrainSpec;

    @Option(names = "--y-train", paramLabel = "B.npy",
            description = "Training targets: integer labels (n) for classification, floats (n) or (n, k) for regression (default: the data set's labels).")
    String yTrainSpec;

    @Option(names = "--x-test", required = true, paramLabel = "C.npy", description = "Test inputs.")
    String xTestSpec;

    @Option(names = "--y-test", paramLabel = "D.npy", description = "Test targets, for accuracy or RMSE (default: the data set's labels).")
    String yTestSpec;

    @Option(names = "--get", paramLabel = "nngp,ntk", split = ",", description = "Kernels (default: nngp,ntk).")
    List<String> get = List.of("nngp", "ntk");

    @Option(names = "--t", paramLabel = "inf,1e3,...", split = ",", description = "Training times (steps of learning rate 1; default: inf).")
    List<String> times = List.of("inf");

    @Option(names = "--diag-reg", paramLabel = "r", description = "Adds r * mean(diag K_train) to the diagonal (default: ${DEFAULT-VALUE}).")
    double diagReg = 0;

    @picocli.CommandLine.Mixin
    EngineOptions engine;

    @picocli.CommandLine.Mixin
    MemoryOption memory;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder holding data sets (also $NTK_DATA; then /usr/share/datasets).")
    Path dataDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The run directory to create.")
    Path out;

    /** Loaded data sets by spec (x and y of one spec read the files once). */
    private final Map<String, LabeledData> datasets = new HashMap<>();

    @Override
    public Integer call() {
        Workbench wb;
        FitRequest request;
        Layer net;
        List<Double> ts;
        try {
            ts = parseTimes(times);
            engine.check();
            checkOut();
            wb = root.workbench();
            net = model.parse(wb);
            request = request(wb.service(ArrayIO.class), net, ts);
        } catch (IllegalArgumentException e) {
            System.err.println("ntk fit: " + e.getMessage());
            if (root.debug) {
                e.printStackTrace();
            }
            return ExitCodes.BAD_INPUT;
        }
        Path tmp = null;
        try (KernelEngine kernelEngine = KernelEngines.byName(engine.engine(), wb.service(KernelService.class), engine.master(), model.expression())) {
            FitSolver solver = new DirectSolver();
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".partial-");
            RunDirectory run = runDirectory(wb, parent).reuse(tmp);
            run.writeManifest("running", null);
            FitResult result = new FitPipeline(kernelEngine, solver).run(request, new ConsoleFitProgress("ntk fit"));
            write(wb, run, request, result, ts, kernelEngine.name(), solver.name());
            moveIntoPlace(tmp);
            tmp = null;
            System.out.println(summary(result));
            return ExitCodes.OK;
        } catch (IOException | RuntimeException e) {
            String msg = org.ntkworkbench.runtime.PluginLoader.oneLine(e);
            System.err.println("ntk fit: " + msg);
            if (root.debug) {
                e.printStackTrace();
            }
            return ExitCodes.of(e);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    private FitRequest request(ArrayIO io, Layer net, List<Double> ts) {
        // Data-set inputs: flattened when the model takes vectors, NHWC otherwise.
        Tensor xTrain = inputs(io, "--x-train", xTrainSpec, net);
        Tensor xTest = inputs(io, "--x-test", xTestSpec, net);
        try {
            net.modelOutputShape(Arrays.copyOfRange(xTrain.shape(), 1, xTrain.rank()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--x-train " + xTrainSpec + ": inputs " + xTrain.shapeString() + " do not fit the model: "
                    + e.getMessage());
        }
        String yTr = yTrainSpec != null ? yTrainSpec : DatasetSpec.isDataset(xTrainSpec) ? xTrainSpec : null;
        String yTe = yTestSpec != null ? yTestSpec : DatasetSpec.isDataset(xTestSpec) ? xTestSpec : null;
        if (yTr == null) {
            throw new IllegalArgumentException("--y-train is needed (the training inputs are not a data set with labels)");
        }
        List<String> kernels = get.stream().map(String::trim).toList();
        long budget = memory.gigabytes() == null ? 0 : (long) (memory.gigabytes() * 1e9); // GB as everywhere (MemoryPlanner.ofGigabytes)
        if (isIntegerLabels(io, "--y-train", yTr)) {
            int[] lTrain = labels(io, "--y-train", yTr);
            int[] lTest = yTe == null ? null : labels(io, "--y-test", yTe);
            int k = 1 + Math.max(Arrays.stream(lTrain).max().orElse(0), lTest == null ? 0 : Arrays.stream(lTest).max().orElse(0));
            LabeledData d = datasets.get(yTr);
            if (d != null) {
                k = Math.max(k, d.classes());
            }
            int classes = k;
            return FitRequest.classification(net, xTrain, lTrain, xTest, lTest, classes, kernels, ts, diagReg).withMemory(budget);
        }
        Tensor yTrain = array(io, "--y-train", yTr);
        Tensor yTest = yTe == null ? null : array(io, "--y-test", yTe);
        return FitRequest.regression(net, xTrain, yTrain, xTest, yTest, kernels, ts, diagReg).withMemory(budget);
    }

    private Tensor inputs(ArrayIO io, String option, String spec, Layer net) {
        if (!DatasetSpec.isDataset(spec)) {
            return array(io, option, spec);
        }
        LabeledData d = dataset(option, spec, true);
        try {
            net.modelOutputShape(Arrays.copyOfRange(d.x().shape(), 1, d.x().rank()));
            return d.x();
        } catch (IllegalArgumentException flatDoesNotFit) {
            LabeledData images = dataset(option, spec, false);
            return images.x();
        }
    }

    private LabeledData dataset(String option, String spec, boolean flatten) {
        String key = spec + (flatten ? "#flat" : "#nhwc");
        LabeledData d = datasets.get(key);
        if (d == null) {
            try {
                d = DatasetSpec.parse(spec).load(flatten, dataDir);
            } catch (IOException | UncheckedIOException e) {
                throw new IllegalArgumentException(option + " " + spec + ": " + e.getMessage());
            }
            datasets.put(key, d);
            datasets.putIfAbsent(spec, d);
        }
        return d;
    }

    private int[] labels(ArrayIO io, String option, String spec) {
        if (DatasetSpec.isDataset(spec)) {
            return dataset(option, spec, true).labels();
        }
        Tensor y = array(io, option, spec);
        if (y.rank() != 1) {
            throw new IllegalArgumentException(option + " " + spec + ": integer labels must be 1-D, got shape " + y.shapeString());
        }
        int[] out = new int[y.size()];
        for (int i = 0; i < out.length; i++) {
            double v = y.data()[i];
            if (!(v >= 0) || v != Math.rint(v)) {
                throw new IllegalArgumentException(option + " " + spec + ": label " + i + " is " + v + ", not a class index >= 0");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private static Tensor array(ArrayIO io, String option, String spec) {
        try {
            return io.readArray(spec);
        } catch (IOException | UncheckedIOException e) {
            Throwable c = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
            String m = c instanceof NoSuchFileException ? "no such file" : c.getMessage();
            m = m == null ? c.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
            throw new IllegalArgumentException(option + " " + (m.contains(spec) ? m : spec + ": " + m));
        }
    }

    /** True when the spec is a data set or a 1-D array stored with an integer (or bool) dtype. */
    private static boolean isIntegerLabels(ArrayIO io, String option, String spec) {
        if (DatasetSpec.isDataset(spec)) {
            return true;
        }
        try {
            NpyHeader h;
            int colon = spec.lastIndexOf(':');
            int dotNpz = spec.toLowerCase().lastIndexOf(".npz");
            if (dotNpz >= 0) {
                Path file = Path.of(spec.substring(0, dotNpz + 4));
                String name = colon == dotNpz + 4 ? spec.substring(colon + 1) : null;
                try (ZipFile zip = new ZipFile(file.toFile())) {
                    ZipEntry entry = name != null ? zip.getEntry(name + ".npy")
                            : zip.stream().filter(z -> z.getName().endsWith(".npy")).findFirst().orElse(null);
                    if (entry == null) {
                        array(io, option, spec); // the reader's message names what is missing
                        return false;
                    }
                    try (InputStream in = zip.getInputStream(entry)) {
                        h = NpyHeader.read(in, spec);
                    }
                }
            } else {
                h = NpyReader.readHeader(Path.of(spec));
            }
            char kind = h.dtype().descr().charAt(1);
            return h.shape().length == 1 && (kind == 'i' || kind == 'u' || kind == 'b');
        } catch (IOException | UncheckedIOException e) {
            array(io, option, spec);
            throw new IllegalArgumentException(option + " " + spec + ": " + e.getMessage());
        }
    }

    private static List<Double> parseTimes(List<String> ts) {
        List<Double> out = new ArrayList<>();
        for (String s : ts) {
            String v = s.trim().toLowerCase();
            double t;
            if (v.equals("inf") || v.equals("infinity") || v.equals("+inf") || v.equals("∞")) {
                t = Double.POSITIVE_INFINITY;
            } else {
                try {
                    t = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--t " + s + ": not a number (use inf for t = infinity)");
                }
            }
            if (!(t >= 0)) {
                throw new IllegalArgumentException("--t " + s + ": times must be >= 0");
            }
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private void checkOut() {
        if (Files.isRegularFile(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; give a directory to create");
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + out + " exists and is not empty; give a new directory");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--out " + out + ": " + e.getMessage());
            }
        }
    }

    private RunDirectory runDirectory(Workbench wb, Path parent) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("model", model.expression());
        args.put("x_train", xTrainSpec);
        args.put("y_train", yTrainSpec);
        args.put("x_test", xTestSpec);
        args.put("y_test", yTestSpec);
        args.put("get", get);
        args.put("t", times);
        args.put("diag_reg", diagReg);
        args.put("engine", engine.engine());
        args.put("master", engine.master());
        args.put("memory_gb", memory.gigabytes());
        args.put("data", dataDir == null ? null : dataDir.toString());
        List<String> plugins = wb.plugins().stream().map(p -> p.name() + " " + p.version()).toList();
        return new RunDirectory("fit", parent, "ntk fit", model.expression(), args, plugins);
    }

    private void write(Workbench wb, RunDirectory run, FitRequest r, FitResult result, List<Double> ts, String engineName,
                       String solverName) throws IOException {
        Path dir = run.dir();
        long w0 = System.nanoTime();
        wb.service(ArrayIO.class).writeNpz(dir.resolve("predictions.npz"), result.predictions());
        result.timings().forEach(run::timing);
        result.metrics().forEach(run::result);
        run.result("n_train", r.xTrain().dim(0));
        run.result("n_test", r.xTest().dim(0));
        result.diagonalAdded().forEach((k, v) -> run.result("diag_added_" + k, v));
        run.log("engine " + engineName + ", solver " + solverName);
        result.notes().forEach(run::log);
        Plots plots = wb.service(Plots.class);
        Path plotDir = dir.resolve("plots");
        String metric = r.classification() ? "accuracy" : "rmse";
        if (!result.metrics().isEmpty()) {
            plots.save(metricPlot(r, result, ts, metric), plotDir, metric + "_vs_t");
        }
        List<String> classNames = new ArrayList<>();
        LabeledData d = datasets.get(yTrainSpec != null ? yTrainSpec : xTrainSpec);
        for (int c = 0; c < r.classes(); c++) {
            classNames.add(d != null && c < d.classNames().size() ? c + " " + d.classNames().get(c) : String.valueOf(c));
        }
        // One confusion matrix per kernel: at t = inf, or at the largest time asked.
        double tShown = ts.stream().mapToDouble(Double::doubleValue).max().orElse(Double.POSITIVE_INFINITY);
        for (Map.Entry<String, int[][]> e : result.confusion().entrySet()) {
            if (r.get().stream().noneMatch(g -> FitRequest.predictionName(g, tShown).equals(e.getKey()))) {
                continue;
            }
            Heatmap.save(e.getValue(), classNames, "confusion matrix, " + e.getKey() + String.format(" (accuracy %.4f)",
                    result.metrics().get("accuracy_" + e.getKey())), "predicted class", "true class", plotDir, "confusion_" + e.getKey());
        }
        run.timing("write", (System.nanoTime() - w0) * 1e-9);
        List<List<Object>> rows = new ArrayList<>();
        result.timings().forEach((k, v) -> rows.add(List.of(k, String.format("%.3f", v))));
        rows.add(List.of("write", String.format("%.3f", (System.nanoTime() - w0) * 1e-9)));
        Files.createDirectories(dir.resolve("tables"));
        Tables.write(dir.resolve("tables").resolve("timings.csv"), new Tables.Table(List.of("stage", "seconds"), rows));
        if (!result.metrics().isEmpty()) {
            List<List<Object>> mrows = new ArrayList<>();
            result.metrics().forEach((k, v) -> mrows.add(List.of(k, v)));
            Tables.write(dir.resolve("tables").resolve(metric + ".csv"), new Tables.Table(List.of("prediction", metric), mrows));
        }
        wb.service(Reports.class).writeHtml(run, "ntk fit: " + model.expression(),
                r.xTrain().dim(0) + " training and " + r.xTest().dim(0) + " test examples; kernels " + r.get() + ", times " + times
                        + ", diag-reg " + diagReg + "; engine " + engineName + ", solver " + solverName + ". "
                        + (r.classification() ? "Classification: one-hot targets, class = argmax." : "Regression."));
        run.writeManifest("ok", null);
    }

    /** Accuracy (or RMSE) against t per kernel; t = ∞ is drawn as a dashed line at that kernel's value. */
    private static PlotSpec metricPlot(FitRequest r, FitResult result, List<Double> ts, String metric) {
        List<Double> finite = ts.stream().filter(t -> t != Double.POSITIVE_INFINITY && t > 0).sorted().toList();
        double lo = finite.isEmpty() ? 1 : finite.getFirst(), hi = finite.isEmpty() ? 10 : Math.max(finite.getLast(), lo * 10);
        List<Series> series = new ArrayList<>();
        int color = 0;
        for (String g : r.get()) {
            if (!finite.isEmpty()) {
                double[] x = finite.stream().mapToDouble(Double::doubleValue).toArray();
                double[] y = finite.stream().mapToDouble(t -> result.metrics().get(metric + "_" + FitRequest.predictionName(g, t))).toArray();
                series.add(new Series(g + " at t", x, y, finite.size() == 1, false, color));
            }
            if (ts.contains(Double.POSITIVE_INFINITY)) {
                double v = result.metrics().get(metric + "_" + g);
                series.add(new Series(g + " at t = inf (dashed)", new double[] {lo, hi}, new double[] {v, v}, false, true, color));
            }
            color++;
        }
        return new PlotSpec(metric + " against training time t", "t (steps of learning rate 1)", metric, true, false, false, series);
    }

    private void moveIntoPlace(Path tmp) throws IOException {
        try {
            if (Files.isDirectory(out)) {
                Files.deleteIfExists(out); // empty, checked before
            }
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, out);
            }
        } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.FileAlreadyExistsException e) {
            // another process (a second ntk fit --out with the same DIR) finished first: its run stays, whole
            throw new IOException("--out " + out + " was filled by another process while this fit ran; its run was kept "
                    + "and this one's results were not moved there (run again with a new --out)", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden .partial directory is harmless
                }
            });
        } catch (IOException ignored) {
            // nothing to clean
        }
    }

    private String summary(FitResult result) {
        StringBuilder s = new StringBuilder("wrote " + out + ": predictions " + String.join(", ", result.predictions().keySet()));
        result.metrics().forEach((k, v) -> s.append("; ").append(k).append(" = ").append(String.format("%.4f", v)));
        return s.toString();
    }
}
