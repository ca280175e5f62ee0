package org.ntkworkbench.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkworkbench.io.ArrayIO;
import org.ntkworkbench.io.DefaultArrayIO;
import org.ntkworkbench.memory.MemoryPlanner;
import org.ntkworkbench.runtime.PhaseTimes;
import org.ntkworkbench.runtime.Workbench;
import org.ntkworkbench.spectrum.EigenDecomposition;
import org.ntkworkbench.spectrum.Spectra;
import org.ntkworkbench.tensor.Finite;
import org.ntkworkbench.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntk eigen --in K.npy|K.npz:NAME [--top k] [--vectors] --out E.npz}. */
@Command(name = "eigen", description = "Eigenvalues (descending) and optionally eigenvectors of a symmetric matrix.")
final class EigenCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @picocli.CommandLine.Mixin
    MemoryOption memoryOption;

    @Option(names = "--in", required = true, paramLabel = "K.npy|K.npz:NAME", description = "The symmetric matrix.")
    String in;

    @Option(names = "--top", paramLabel = "k", description = "Only the k largest (block Krylov, no dense decomposition for large n).")
    Integer top;

    @Option(names = "--vectors", description = "Also the eigenvectors (columns of array 'vectors').")
    boolean vectors;

    @Option(names = "--out", required = true, paramLabel = "E.npz", description = "Output NPZ with 'values' (and 'vectors').")
    Path out;

    @Override
    public Integer call() throws Exception {
        // The workbench (the core-only one, NtkCommand.workbench(null); the full one, plugin discovery and the injector,
        // when plugin directories are given or a plugin fails) starts on a second thread while this one
        // reads the matrix (0.5 CPU s at n = 4000): the read does not depend on it (core's ArrayIO, which no plugin
        // can rebind). On two idle cores the two overlap; errors are reported in the old order (workbench first).
        java.util.concurrent.FutureTask<Workbench> starting = new java.util.concurrent.FutureTask<>(() -> root.workbench(null, false));
        Thread.ofPlatform().name("ntk-workbench-start").daemon(true).start(starting);
        Tensor k = null;
        Exception readFailure = null;
        try {
            k = new DefaultArrayIO().readArray(in);
        } catch (Exception e) {
            readFailure = e;
        }
        Workbench wb;
        try {
            wb = starting.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
        if (readFailure != null) {
            throw readFailure;
        }
        PhaseTimes.mark("read --in (workbench started alongside)");
        ArrayIO io = wb.service(ArrayIO.class);
        if (k.rank() != 2 || k.dim(0) != k.dim(1)) {
            throw new IllegalArgumentException("--in " + in + ": expected a square matrix, got shape " + k.shapeString());
        }
        Finite.requireInput("--in " + in, k);
        int n = k.dim(0);
        double[] a = k.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double x = a[i * n + j], y = a[j * n + i];
                if (!Double.isFinite(x)) {
                    throw new ArithmeticException("--in " + in + ": entry (" + i + ", " + j + ") is " + x);
                }
                if (Math.abs(x - y) > 1e-10 * (Math.abs(x) + Math.abs(y)) + 1e-300) {
                    throw new IllegalArgumentException("--in " + in + ": not symmetric at (" + i + ", " + j + "): " + x + " vs " + y);
                }
            }
        }
        if (top != null && (top < 1 || top > n)) {
            throw new IllegalArgumentException("--top must be between 1 and " + n + ", got " + top);
        }
        // The input is already on the heap (its read was planned); the decomposition adds LAPACK's native copy
        // and, with --vectors, the eigenvector matrix (dsyevd's workspace is ~1 + 6n + 2n² more with vectors).
        long extra = top == null ? MemoryPlanner.float64Bytes(n, n) * (vectors ? 4 : 1)
                : MemoryPlanner.float64Bytes(n, Math.max(2L * top, 32)) * 4;
        MemoryPlanner.current().require("the eigendecomposition of " + n + " x " + n + (vectors ? " with vectors" : ""),
                MemoryPlanner.float64Bytes(n, n) + extra);
        Spectra spectra = wb.service(Spectra.class);
        // Eigenvalues only: the matrix is ours and needed no more, so the decomposition may work in it (no n² copy).
        PhaseTimes.mark("checks, memory plan");
        EigenDecomposition e = top != null ? spectra.topK(a, n, top, vectors)
                : vectors ? spectra.eigh(a, n, true) : spectra.eigenvaluesOverwriting(a, n);
        PhaseTimes.mark(top != null ? "top-k" : vectors ? "eigh with vectors" : "eigenvalues");
        Finite.requireResult("values", Tensor.vector(e.values()));
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("values", Tensor.vector(e.values()));
        if (vectors) {
            arrays.put("vectors", Tensor.of(e.vectors(), n, e.count()));
        }
        io.writeNpz(out, arrays);
        PhaseTimes.mark("NPZ written");
        System.err.println("ntk eigen: " + e.count() + " eigenvalues of a " + n + "x" + n + " matrix -> " + out);
        return 0;
    }
}
