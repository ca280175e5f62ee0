package org.ntkworkbench.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.ntkworkbench.io.AtomicFiles;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** A set of benchmark results with the machine they ran on and when (ISO-8601 UTC). */
public record BenchmarkReport(String timestamp, MachineInfo machine, List<BenchmarkResult> results) {

    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public BenchmarkReport {
        results = List.copyOf(results);
    }

    /** The result of a named benchmark. */
    public BenchmarkResult result(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no benchmark '" + name + "' in the report"));
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    /** Writes {@link #toJson()} to {@code file} through a temporary file and a rename. */
    public void writeJson(Path file) {
        try {
            AtomicFiles.writeString(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write benchmark report " + file + ": " + e.getMessage(), e);
        }
    }
}
