package org.ntkworkbench.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.io.NpyReader;
import org.ntkworkbench.spectrum.NativeSpectra;
import tools.jackson.databind.JsonNode;

/**
 * NumPy (or, {@code eigvalsh_torch}, PyTorch) reference of {@link EigvalshBenchmark}: {@code bench/numpy/eigvalsh.py} loads the very same
 * matrix from an {@code .npy} file and times {@code np.linalg.eigvalsh}. Reports the script's
 * {@code seconds} and {@code max_rel_difference_vs_java} = max_j |λ_j(NumPy) − λ_j(Java)| / max_j |λ_j(Java)|
 * (Java's eigenvalues computed outside any timer if {@code eigvalsh} has not run). Skipped when python3
 * or NumPy (or the reference's module) is missing.
 */
public final class EigvalshNumpyBenchmark implements Benchmark {
    private final Path script;
    private final String name;
    private final String module;

    /** The reference script, normally {@code home/bench/numpy/eigvalsh.py}. */
    public EigvalshNumpyBenchmark(Path script) {
        this("eigvalsh_numpy", script, "numpy");
    }

    /**
     * A reference of the same shape whose script also needs Python module {@code module}: {@code eigvalsh_torch}
     * runs {@code home/bench/torch/eigvalsh.py} ({@code torch.linalg.eigvalsh}), skipped with a note without torch.
     */
    public EigvalshNumpyBenchmark(String name, Path script, String module) {
        this.name = name;
        this.script = script;
        this.module = module;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return ("numpy".equals(module) ? "NumPy reference: np.linalg.eigvalsh" : "PyTorch reference: torch.linalg.eigvalsh")
                + " of the same matrix as eigvalsh (read from .npy); "
                + "reports seconds and the max relative difference from Java's eigenvalues";
    }

    @Override
    public Map<String, Object> defaultParams() {
        return EigvalshBenchmark.defaults();
    }

    @Override
    public Measurement run(Map<String, Object> params) throws Exception {
        if (!Files.isRegularFile(script)) {
            throw new BenchmarkSkippedException("reference script " + script + " not found");
        }
        PythonScripts.requireModules(module);
        EigvalshBenchmark.Problem pr = EigvalshBenchmark.Problem.get(Benchmark.intParam(params, "n"),
                Benchmark.intParam(params, "seed"));
        Path matrix = pr.npy();
        Path valuesOut = matrix.resolveSibling(name + "_values.npy");
        List<String> args = new ArrayList<>(List.of("--matrix", matrix.toString(), "--values-out", valuesOut.toString()));
        JsonNode out = PythonScripts.runJson(script, args, 3600, module);
        double[] theirs = NpyReader.read(valuesOut).data(); // ascending
        Files.deleteIfExists(valuesOut);
        double[] ours = pr.javaValues(new NativeSpectra());    // descending
        if (theirs.length != ours.length) {
            throw new IllegalStateException("eigvalsh.py returned " + theirs.length + " eigenvalues for n=" + ours.length);
        }
        double diff = 0, scale = 0;
        for (int j = 0; j < ours.length; j++) {
            diff = Math.max(diff, Math.abs(theirs[ours.length - 1 - j] - ours[j]));
            scale = Math.max(scale, Math.abs(ours[j]));
        }
        Map<String, Double> v = new LinkedHashMap<>();
        Map<String, String> info = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : out.properties()) {
            if (e.getValue().isNumber()) {
                v.put(e.getKey(), e.getValue().doubleValue());
            } else {
                info.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : e.getValue().toString());
            }
        }
        v.put("max_rel_difference_vs_java", scale == 0 ? diff : diff / scale);
        return new Measurement(v, info);
    }
}
