package org.ntkworkbench.runtime;

import java.util.Map;
import java.util.TreeMap;
import org.ntkworkbench.dsl.ExperimentWords;
/** Generates docs/dsl-reference.md from the words the runtime registers (so the reference cannot drift). */
public final class DslReference {
    private DslReference() {}

    /** The reference page: one table row per word, with the plugin that contributes it. */
    public static String markdown(Workbench wb) {
        Map<String, String> origin = new TreeMap<>();
        for (LoadedPlugin p : wb.plugins()) {
            p.words().forEach(w -> origin.put(w.name(), p.name()));
        }
        StringBuilder b = new StringBuilder();
        b.append("# DSL reference\n\n")
                .append("Generated from the words the runtime registers (`DslReference`; the build checks it is current:\n")
                .append("regenerate with `./mvnw -pl app test -Dtest=DslReferenceSpec -Dntk.regenerateDocs=true`).\n")
                .append("Words are the same in scripts and the REPL; `./ntk plugins` lists each plugin's words.\n\n")
                .append("| word | usage | gives | from |\n|---|---|---|---|\n");
        wb.wordInfo().values().forEach(w -> b.append("| `").append(w.name()).append("` | `")
                .append(w.usage().replace("|", "\\|")).append("` | ").append(w.summary().replace("|", "\\|"))
                .append(" | ").append(origin.getOrDefault(w.name(), "core")).append(" |\n"));
        b.append("\nInside `experiment('name') { … }` (and its `report { … }` stage):\n\n| word | usage | gives |\n|---|---|---|\n");
        ExperimentWords.BLOCK_WORDS.forEach(w -> b.append("| `").append(w.name()).append("` | `")
                .append(w.usage().replace("|", "\\|")).append("` | ").append(w.summary().replace("|", "\\|")).append(" |\n"));
        b.append("\nStages get `p` (the point: `p.width`, `p.seed`, `p.name`) and `ctx` (`ctx.data`, `ctx.x`, `ctx.model`, "
                + "`ctx.training`, `ctx.params`, `ctx.dir`).\n");
        b.append("\nAlso in every script: `param(name, default)` (a `-P` parameter converted to the default's type),\n")
                .append("`params` (all parameters), `run` (the run directory), `resuming` (true under `--resume`), and the\n")
                .append("services as variables: ");
        b.append(String.join(", ", wb.serviceBindings().keySet().stream().map(k -> "`" + k + "`").toList())).append(".\n");
        b.append("\nA model is a value: `net.init(seed, inputDim…)` gives its parameters, `net.apply(params, x)` its outputs, `net.kernel(x1, x2)` (or `net.kernel(x)`) its analytic NNGP/NTK (`.nngp()`, `.ntk()`).\n");
        return b.toString();
    }
}
