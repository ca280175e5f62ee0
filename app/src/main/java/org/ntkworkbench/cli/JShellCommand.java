package org.ntkworkbench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.ntkworkbench.dsl.ScriptRunner;
import org.ntkworkbench.runtime.Workbench;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntk jshell}: Java snippets in this JVM ({@code executionEngine("local")}) with the public API
 * imported and the running workbench at {@code Workbench.current()}, also available as {@code wb}.
 */
@Command(name = "jshell", description = "Interactive JShell with the workbench API imported (reads a pipe too).")
final class JShellCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @Override
    public Integer call() throws IOException {
        root.workbench();
        return run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out, System.err,
                System.console() != null);
    }

    /** Imports every session starts with. */
    static List<String> preamble() {
        List<String> lines = new java.util.ArrayList<>();
        for (String pkg : ScriptRunner.IMPORT_PACKAGES) {
            lines.add("import " + pkg + ".*;");
        }
        lines.add("import java.util.*;");
        lines.add("var wb = org.ntkworkbench.runtime.Workbench.current();");
        return lines;
    }

    /**
     * Reads snippets from {@code in} until EOF or {@code /exit}, evaluates them and prints values as
     * JShell does ({@code $1 ==> 42}); returns 1 if any snippet failed, else 0.
     */
    static int run(BufferedReader in, PrintStream out, PrintStream err, boolean interactive) throws IOException {
        int status = 0;
        try (JShell js = JShell.builder().executionEngine("local").out(out).err(err).build()) {
            for (String line : preamble()) {
                for (SnippetEvent e : js.eval(line)) {
                    if (e.status() == Snippet.Status.REJECTED) {
                        err.println("jshell preamble failed: " + line);
                        return 1;
                    }
                }
            }
            SourceCodeAnalysis sca = js.sourceCodeAnalysis();
            StringBuilder pending = new StringBuilder();
            if (interactive) {
                out.println("NTK Workbench JShell — Workbench.current() is bound as wb; /exit to leave.");
            }
            while (true) {
                if (interactive) {
                    out.print(pending.isEmpty() ? "ntk> " : "...> ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null || (pending.isEmpty() && line.strip().equals("/exit"))) {
                    break;
                }
                pending.append(line).append('\n');
                String src = pending.toString();
                while (!src.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(src);
                    if (ci.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
                        break;
                    }
                    String snippet = ci.completeness().isComplete() ? ci.source() : src;
                    if (!evaluate(js, snippet, out, err)) {
                        status = 1;
                    }
                    src = ci.completeness().isComplete() ? ci.remaining() : "";
                }
                pending.setLength(0);
                if (!src.isBlank()) {
                    pending.append(src);
                }
            }
            if (!pending.toString().isBlank() && !evaluate(js, pending.toString(), out, err)) {
                status = 1;
            }
        }
        return status;
    }

    private static boolean evaluate(JShell js, String snippet, PrintStream out, PrintStream err) {
        boolean ok = true;
        for (SnippetEvent e : js.eval(snippet)) {
            if (e.exception() != null) {
                err.println("exception: " + org.ntkworkbench.runtime.PluginLoader.oneLine(e.exception()));
                ok = false;
            } else if (e.status() == Snippet.Status.REJECTED) {
                js.diagnostics(e.snippet()).forEach(d -> err.println("error: " + d.getMessage(java.util.Locale.ROOT)));
                ok = false;
            } else if (e.value() != null && e.snippet().kind() == Snippet.Kind.EXPRESSION
                    || e.value() != null && e.snippet().kind() == Snippet.Kind.VAR && e.snippet().subKind().isExecutable()
                    && e.snippet().subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                out.println(((jdk.jshell.VarSnippet) e.snippet()).name() + " ==> " + e.value());
            }
        }
        return ok;
    }
}
