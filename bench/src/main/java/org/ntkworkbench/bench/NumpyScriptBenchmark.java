package org.ntkworkbench.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A NumPy reference script run as a {@link Benchmark}: each parameter is passed as
 * {@code --key value}; the numeric fields of the JSON object the script prints become the measured
 * values, the other fields {@link Measurement#info()}. Skipped (not failed) when python3 or NumPy is
 * missing.
 */
public final class NumpyScriptBenchmark implements Benchmark {
    private final String name;
    private final String description;
    private final Path script;
    private final Map<String, Object> defaults;
    private final long timeoutSeconds;
    private final String module;

    public NumpyScriptBenchmark(String name, String description, Path script, Map<String, Object> defaults,
                                long timeoutSeconds) {
        this(name, description, script, defaults, timeoutSeconds, "numpy");
    }

    /**
     * A reference script that also needs Python module {@code module} (e.g. {@code torch}): skipped with a note
     * when it does not import.
     */
    public NumpyScriptBenchmark(String name, String description, Path script, Map<String, Object> defaults,
                                long timeoutSeconds, String module) {
        this.module = module;
        this.name = name;
        this.description = description;
        this.script = script;
        this.defaults = Map.copyOf(defaults);
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Map<String, Object> defaultParams() {
        return defaults;
    }

    public Path script() {
        return script;
    }

    @Override
    public Measurement run(Map<String, Object> params) throws Exception {
        List<String> args = new ArrayList<>();
        params.forEach((k, v) -> {
            args.add("--" + k);
            args.add(String.valueOf(v));
        });
        JsonNode out = PythonScripts.runJson(script, args, timeoutSeconds, module);
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, String> info = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : out.properties()) {
            if (e.getValue().isNumber()) {
                values.put(e.getKey(), e.getValue().doubleValue());
            } else {
                info.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : e.getValue().toString());
            }
        }
        return new Measurement(values, info);
    }
}
