package org.ntkworkbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkworkbench.io.AtomicFiles;
import org.ntkworkbench.io.ArrayIO;
import org.ntkworkbench.io.Npz;
import org.ntkworkbench.io.NpzRowWriter;
import org.ntkworkbench.kernel.EntrywiseChain;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.model.KernelService;
import org.ntkworkbench.model.ModelExtensions;
import org.ntkworkbench.memory.MemoryPlanner;
import org.ntkworkbench.model.empirical.EmpiricalNngp;
import org.ntkworkbench.model.empirical.EmpiricalNtk;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.runtime.PhaseTimes;
import org.ntkworkbench.runtime.Workbench;
import org.ntkworkbench.spi.ComputeEngine;
import org.ntkworkbench.spi.EngineProvider;
import org.ntkworkbench.tensor.Finite;
import org.ntkworkbench.tensor.Finite.NonFiniteException;
import org.ntkworkbench.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntk kernel --model EXPR|FILE --x1 A.npy [--x2 B.npy] [--get nngp,ntk] [--empirical [--params P.npz | --seed S]] [--mask-constant C] [--engine local|spark [--master URL]] [--compress] --out K.npz}:
 * the analytic (default) or empirical NNGP/NTK of the model's output between x1 and x2 (x1 when
 * omitted: symmetric to the last bit), written as NPZ arrays {@code nngp} and/or {@code ntk}.
 * Empirical kernels are those of the finite network with parameters from {@code --params} (keys
 * {@code <path>/<name>}, every key the model needs) or drawn from {@code --seed} (default 0).
 * {@code --mask-constant C} is neural-tangents' {@code mask_constant} ({@code net.kernel(maskConstant: C)}): input
 * entries equal to C are zeroed and a position whose channels all equal C is masked (variable-length sequences,
 * padded images); {@code nan} is allowed as C and then NaN inputs are the padding. Local engine only.
 */
@Command(name = "kernel", description = "Analytic (or empirical) NNGP/NTK of a model between x1 and x2, written to an NPZ.")
final class KernelCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @picocli.CommandLine.Mixin
    MemoryOption memoryOption;

    @picocli.CommandLine.Mixin
    ModelOption model;

    @Option(names = "--x1", required = true, paramLabel = "A.npy", description = "First inputs, examples on axis 0 (A.npz:NAME also works).")
    String x1File;

    @Option(names = "--x2", paramLabel = "B.npy", description = "Second inputs (default: x1, giving a symmetric kernel; B.npz:NAME also works).")
    String x2File;

    @Option(names = "--get", paramLabel = "nngp,ntk", split = ",", description = "Which arrays (default: nngp,ntk).")
    List<String> get = List.of("nngp", "ntk");

    @Option(names = "--empirical", description = "The finite network's kernels instead of the infinite-width ones.")
    boolean empirical;

    @Option(names = "--params", paramLabel = "P.npz", description = "Parameters of the finite network (with --empirical).")
    Path paramsFile;

    @Option(names = "--seed", paramLabel = "S", description = "Draw the finite network's parameters from this seed (with --empirical; default 0).")
    Long seed;

    @Option(names = "--mask-constant", paramLabel = "C", description = "Mask input entries equal to C (neural-tangents' mask_constant: "
            + "a position whose channels all equal C is masked; nan allowed). Local engine only.")
    String maskConstantText;

    /** {@code --mask-constant} as a number ({@code nan} in any case is NaN), or null. */
    private Double maskConstant() {
        if (maskConstantText == null) {
            return null;
        }
        if (maskConstantText.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(maskConstantText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mask-constant " + maskConstantText + ": expected a number or nan");
        }
    }

    @Option(names = "--out", required = true, paramLabel = "K.npz", description = "Output NPZ.")
    Path out;

    @Option(names = "--compress", description = "Deflate the NPZ entries (as np.savez_compressed); default stored, as np.savez.")
    boolean compress;

    @picocli.CommandLine.Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws IOException {
        for (String g : get) {
            if (!g.equals("nngp") && !g.equals("ntk")) {
                throw new IllegalArgumentException("--get " + g + ": expected nngp and/or ntk");
            }
        }
        if (!empirical && (paramsFile != null || seed != null)) {
            throw new IllegalArgumentException((paramsFile != null ? "--params" : "--seed") + " needs --empirical");
        }
        if (paramsFile != null && seed != null) {
            throw new IllegalArgumentException("--params and --seed exclude each other");
        }
        engine.check();
        Double maskConstant = maskConstant();
        if (maskConstant != null && !engine.local()) {
            throw new IllegalArgumentException("--mask-constant needs the local engine (the masks travel with its kernels)");
        }
        PhaseTimes.mark("picocli parse, kernel options");
        // the core-only workbench (no plugin modules, no injector) for a model of core words on the local engine
        Workbench wb = engine.local() ? root.workbench(model.source(), true) : root.workbench();
        PhaseTimes.mark("Workbench.start (rest)");
        long t0 = System.nanoTime();
        ArrayIO io = wb.service(ArrayIO.class);
        boolean nanPadding = maskConstant != null && maskConstant.isNaN();
        Tensor x1 = read(io, "--x1", x1File, nanPadding);
        Tensor x2 = x2File == null ? null : read(io, "--x2", x2File, nanPadding);
        PhaseTimes.mark("read inputs");
        Layer parsed = model.parse(wb);
        Layer net = maskConstant == null ? parsed : parsed.masked(maskConstant);
        PhaseTimes.mark("--model parsed");
        if (!engine.local()) {
            Map<String, Tensor> params = null;
            if (empirical) {
                int[] perExample = Arrays.copyOfRange(x1.shape(), 1, x1.rank());
                Map<String, Tensor> expected = net.init(seed == null ? 0 : seed, perExample);
                params = paramsFile == null ? expected : params(io, expected);
            }
            List<String> names = List.of("nngp", "ntk").stream().filter(get::contains).toList();
            try (ComputeEngine ce = EngineProvider.require(engine.engine()).open(engine.master())) {
                ce.kernelToFile(model.expression(), x1, x2, names, params, out);
                System.err.println("ntk kernel: " + String.join(",", names) + " (" + x1.dim(0) + ", " + (x2 == null ? x1 : x2).dim(0) + ")"
                        + (empirical ? " (empirical)" : " (analytic)") + " on " + ce.description() + " -> " + out);
            }
            writeManifest(wb, t0);
            return 0;
        }
        int n1 = x1.dim(0), n2 = x2 == null ? n1 : x2.dim(0);
        int[] perExample = Arrays.copyOfRange(x1.shape(), 1, x1.rank());
        Map<String, Tensor> params = null;
        if (empirical) {
            Map<String, Tensor> expected = net.init(seed == null ? 0 : seed, perExample);
            params = paramsFile == null ? expected : params(io, expected);
        }
        // Plan before allocating: the whole kernel in memory, row blocks through memory-mapped files, or a refusal.
        MemoryPlanner planner = MemoryPlanner.current();
        KernelService kernels = wb.service(KernelService.class);
        long whole = empirical ? EmpiricalNtk.estimateBytes(net, params, x1, n1, n2, get.size())
                : kernels.estimateBytes(net, n1, n2, perExample);
        long perRow = Math.max(1, whole / Math.max(1, n1));
        // Blockwise keeps a block per core plus the inputs; the smallest block is one row.
        long smallest = perRow * Runtime.getRuntime().availableProcessors();
        String what = (empirical ? "the empirical " : "the analytic ") + String.join(" and ", get) + " of "
                + n1 + " x " + n2 + " examples " + x1.shapeString();
        MemoryPlanner.Mode mode = planner.plan(what, whole, smallest);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String shape;
        PhaseTimes.mark("memory plan");
        if (mode == MemoryPlanner.Mode.IN_MEMORY && !empirical && !compress && streamed(kernels, net, x1, x2, n1, n2)) {
            shape = Arrays.toString(new int[] {n1, n2});
        } else if (mode == MemoryPlanner.Mode.IN_MEMORY) {
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            if (empirical) {
                if (get.contains("nngp")) {
                    arrays.put("nngp", EmpiricalNngp.of(net, params, x1, x2));
                }
                if (get.contains("ntk")) {
                    arrays.put("ntk", ModelExtensions.empiricalNtk(net, params, x1, x2));
                }
            } else {
                Kernel k = kernels.analytic(net, x1, x2);
                if (get.contains("nngp")) {
                    arrays.put("nngp", k.nngp());
                }
                if (get.contains("ntk")) {
                    arrays.put("ntk", k.ntk());
                }
            }
            PhaseTimes.mark("kernel computed");
            for (Map.Entry<String, Tensor> a : arrays.entrySet()) {
                Finite.requireResult((empirical ? "empirical " : "") + a.getKey(), a.getValue());
            }
            PhaseTimes.mark("finite check");
            io.writeNpz(out, arrays, compress);
            PhaseTimes.mark("NPZ written");
            shape = arrays.values().iterator().next().shapeString();
        } else {
            blockwise(kernels, planner, net, params, x1, x2, n1, n2, perRow);
            shape = "(" + n1 + ", " + n2 + ")";
        }
        System.err.println("ntk kernel: " + String.join(",", get) + " " + shape
                + (empirical ? " (empirical)" : " (analytic)") + (mode == MemoryPlanner.Mode.BLOCKWISE ? " blockwise" : "")
                + " -> " + out);
        writeManifest(wb, t0);
        PhaseTimes.mark("manifest written");
        return 0;
    }

    /**
     * {@code K.manifest.json} beside {@code K.npz}: the command line, input hashes and the output's hash, so that
     * {@code ntk rerun K.manifest.json} can recompute and compare it. Written only after the NPZ is in place.
     */
    private void writeManifest(Workbench wb, long t0) throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("model", model.expression());
        args.put("x1", x1File);
        args.put("x2", x2File);
        args.put("get", get);
        args.put("empirical", empirical);
        args.put("params", paramsFile == null ? null : paramsFile.toString());
        args.put("seed", seed);
        args.put("engine", engine.engine());
        args.put("master", engine.master());
        args.put("compress", compress);
        args.put("maskConstant", maskConstantText);
        List<String> plugins = wb.pluginVersions();
        org.ntkworkbench.report.RunDirectory run = new org.ntkworkbench.report.RunDirectory("kernel", out.toAbsolutePath().getParent(),
                "ntk kernel", model.expression(), args, plugins).forFile(out);
        if (empirical && paramsFile == null) {
            run.seed("params", seed == null ? 0 : seed);
        }
        run.timing("kernel", (System.nanoTime() - t0) * 1e-9);
        run.writeManifest("ok", null);
    }

    /**
     * The kernel too big for memory: tiles (x2 = x1) or row blocks of x1 against all of x2, written by positional
     * writes into NPY files in a hidden folder beside the output ({@code io.NpyTileFile}, the Spark engine's writer
     * too), then streamed into the NPZ, then deleted.
     */
    private void blockwise(KernelService kernels, MemoryPlanner planner, Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2,
                           int n1, int n2, long perRow) throws IOException {
        // removed at the end, by a shutdown hook on SIGTERM, or by the next write into the folder after a SIGKILL
        Path dir = AtomicFiles.createScratchDirectory(out);
        try {
            Map<String, Path> files = new LinkedHashMap<>();
            if (empirical) {
                // Tiles of the Spark engine's edge (ntk.tile, default 1024), written by the same tile writer: both engines
                // compute the same blocks and write the same bits.
                Map<String, Path> written = kernels.empiricalToFiles(net, params, x1, x2, get, dir, Integer.getInteger("ntk.tile", 1024),
                        planner.rowsPerBlock(perRow, 0.5, n1));
                for (String g : get) {
                    files.put(g, written.get(g));
                }
            } else {
                KernelService.KernelResult r = kernels.analyticOrFiles(net, x1, x2, dir, planner.budgetBytes() / 2);
                for (String g : get) {
                    files.put(g, g.equals("nngp") ? r.nngpFile() : r.ntkFile());
                }
            }
            Npz.writeNpyFiles(out, files, compress);
        } finally {
            AtomicFiles.deleteScratch(dir);
        }
    }

    /**
     * The analytic kernel written to the NPZ row block by row block as it is computed ({@link NpzRowWriter}), never
     * held as two {@code n1×n2} arrays: when the model allows it ({@link KernelService#analyticRows}) and the stored
     * archive needs no Zip64 records. The same bytes as computing in memory and {@code io.writeNpz}; the finite check
     * on the fly (the same first bad value named: NNGP before NTK); nothing under the final name on failure. False
     * when it does not apply (nothing written).
     */
    private boolean streamed(KernelService kernels, Layer net, Tensor x1, Tensor x2, int n1, int n2) throws IOException {
        List<String> names = java.util.stream.Stream.of("nngp", "ntk").filter(get::contains).toList();
        if (!NpzRowWriter.fits(names, n1, n2)) {
            return false;
        }
        int[] shape = {n1, n2};
        int nngpEntry = names.indexOf("nngp"), ntkEntry = names.indexOf("ntk");
        NonFiniteException[] ntkFailure = new NonFiniteException[1];
        try (NpzRowWriter writer = NpzRowWriter.create(out, names, n1, n2)) {
            boolean done = kernels.analyticRows(net, x1, x2, new EntrywiseChain.RowSink() {
                @Override
                public void rows(int from, int to, double[] nngp, double[] ntk) throws IOException {
                    int count = (to - from) * n2;
                    if (nngpEntry >= 0 && nngp != null) {
                        int e = firstNonFinite(nngp, count);
                        if (e >= 0) {
                            throw Finite.resultFailure("nngp", nngp[e], shape, (long) from * n2 + e);
                        }
                        writer.writeRows(nngpEntry, from, to, nngp);
                    }
                    if (ntkEntry >= 0 && ntk != null) {
                        if (ntkFailure[0] == null) {
                            int e = firstNonFinite(ntk, count);
                            if (e >= 0) {
                                // reported at the end unless the NNGP has a bad value (its check comes first)
                                ntkFailure[0] = Finite.resultFailure("ntk", ntk[e], shape, (long) from * n2 + e);
                            }
                        }
                        writer.writeRows(ntkEntry, from, to, ntk);
                    }
                }

                /** The NPZ's first entry (the NNGP) complete and hashed while the NTK rows are written. */
                @Override
                public boolean nngpFirst() {
                    return nngpEntry == 0;
                }
            });
            if (!done) {
                return false;
            }
            PhaseTimes.mark("kernel computed, NPZ rows written");
            if (ntkFailure[0] != null) {
                throw ntkFailure[0];
            }
            writer.commit();
            PhaseTimes.mark("NPZ written");
        }
        return true;
    }

    /**
     * The index of the first NaN or infinity among {@code a[0 .. count)}, or -1. First one pass without a branch (a
     * loop the JIT compiles once and small): a double is not finite iff its exponent bits are all ones, and then, and
     * only then, adding one to the exponent field carries into the sign bit.
     */
    static int firstNonFinite(double[] a, int count) {
        final long exponent = 0x7FF0000000000000L, one = 0x0010000000000000L;
        long any = 0;
        for (int e = 0; e < count; e++) {
            any |= (Double.doubleToRawLongBits(a[e]) & exponent) + one;
        }
        if (any >= 0) {
            return -1;
        }
        for (int e = 0; e < count; e++) {
            if (!Double.isFinite(a[e])) {
                return e;
            }
        }
        throw new IllegalStateException("no non-finite value after all");
    }

    private static Tensor read(ArrayIO io, String option, String spec, boolean nanPadding) {
        int colon = spec.toLowerCase(java.util.Locale.ROOT).lastIndexOf(".npz:");
        Path file = Path.of(colon >= 0 ? spec.substring(0, colon + 4) : spec);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
        Tensor t;
        try {
            t = io.readArray(spec);
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException(m.contains(spec) || m.contains(file.toString()) ? option + " " + m : option + " " + spec + ": " + m);
        }
        // With --mask-constant nan the NaN entries are the padding (masked); infinities are still refused.
        if (nanPadding) {
            Finite.requireInput(option + " " + spec, t.map(v -> Double.isNaN(v) ? 0 : v));
            return t;
        }
        return Finite.requireInput(option + " " + spec, t);
    }

    /** The NPZ's parameters, checked against the keys and shapes the model needs. */
    private Map<String, Tensor> params(ArrayIO io, Map<String, Tensor> expected) {
        if (!Files.isRegularFile(paramsFile)) {
            throw new IllegalArgumentException("--params " + paramsFile + ": no such file");
        }
        Map<String, Tensor> loaded;
        try {
            loaded = io.readNpz(paramsFile);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--params " + paramsFile + ": " + e.getMessage());
        }
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor t = loaded.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("--params " + paramsFile + ": missing key '" + e.getKey() + "'");
            }
            if (!t.sameShape(e.getValue())) {
                throw new IllegalArgumentException("--params " + paramsFile + ": key '" + e.getKey() + "' has shape "
                        + t.shapeString() + " but the model needs " + e.getValue().shapeString());
            }
            Finite.requireInput("--params " + paramsFile + ": key '" + e.getKey() + "'", t);
        }
        return loaded;
    }
}
