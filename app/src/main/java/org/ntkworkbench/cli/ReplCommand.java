package org.ntkworkbench.cli;

import groovy.lang.Binding;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkworkbench.dsl.ScriptRunner;
import org.ntkworkbench.dsl.WordClosure;
import org.ntkworkbench.runtime.Workbench;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code ntk repl}: groovysh (JLine 3) with the services and DSL words bound. */
@Command(name = "repl", description = "Interactive Groovy shell with the DSL words and services bound (reads a pipe too).")
final class ReplCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @Override
    public Integer call() {
        Workbench wb = root.workbench();
        return start(wb);
    }

    static int start(Workbench wb) {
        Map<String, Object> vars = new LinkedHashMap<>(variables(wb));
        // groovysh evaluates one statement with -e: import the tensor package; the other API classes are
        // bound as variables below, which is enough for their static factories.
        String imports = "import org.ntkworkbench.tensor.*";
        return System.console() != null
                ? org.apache.groovy.groovysh.Main.start(vars, "-e", imports)
                : org.apache.groovy.groovysh.Main.start(vars, "-q", "-e", imports);
    }

    /** Public API classes visible by simple name in the REPL. */
    static final java.util.List<Class<?>> API_CLASSES = java.util.List.of(
            org.ntkworkbench.tensor.Tensor.class, org.ntkworkbench.kernel.Kernel.class,
            org.ntkworkbench.runtime.Workbench.class, org.ntkworkbench.plot.Series.class,
            org.ntkworkbench.plot.PlotSpec.class);

    /** Services, the workbench and every DSL word (as a closure, so it completes and calls like a method). */
    static Map<String, Object> variables(Workbench wb) {
        Binding b = ScriptRunner.binding(wb, Map.of());
        Map<String, Object> vars = new LinkedHashMap<>();
        wb.words().forEach((name, word) -> vars.put(name, new WordClosure(name, word)));
        @SuppressWarnings("unchecked")
        Map<String, Object> bound = b.getVariables();
        vars.putAll(bound);
        for (Class<?> c : API_CLASSES) {
            vars.putIfAbsent(c.getSimpleName(), c);
        }
        return vars;
    }
}
