package org.ntkworkbench.dsl;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.report.Reports;
import org.ntkworkbench.report.RunDirectory;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.ExitCodes;

/**
 * Runs an experiment script: compiles it with {@link NtkScript} as base class and the workbench's
 * imports, binds services, words and parameters, gives it a run directory, and turns any error into
 * one line {@code file:line: message} with DESIGN.md's exit code.
 */
public final class ScriptRunner {

    /** Packages every script and REPL session imports. */
    public static final List<String> IMPORT_PACKAGES = List.of(
            "org.ntkworkbench.tensor", "org.ntkworkbench.kernel", "org.ntkworkbench.plot", "org.ntkworkbench.report",
            "org.ntkworkbench.runtime", "org.ntkworkbench.dsl", "org.ntkworkbench.nn", "org.ntkworkbench.data",
            "org.ntkworkbench.io", "org.ntkworkbench.train", "org.ntkworkbench.model", "org.ntkworkbench.spi");

    /** How a run ended. {@code runDir} is null when the script did not compile. */
    public record Outcome(int exitCode, Path runDir, String error) {}

    private final DslContext workbench;
    private final PrintStream out;
    private final PrintStream err;

    public ScriptRunner(DslContext workbench, PrintStream out, PrintStream err) {
        this.workbench = workbench;
        this.out = out;
        this.err = err;
    }

    /** The compiler configuration shared by scripts and the REPL. */
    public static CompilerConfiguration compilerConfiguration() {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(NtkScript.class.getName());
        ImportCustomizer imports = new ImportCustomizer();
        imports.addStarImports(IMPORT_PACKAGES.toArray(String[]::new));
        cc.addCompilationCustomizers(imports);
        return cc;
    }

    /** The variables every script and REPL session sees: services, the workbench, parameters. */
    public static Binding binding(DslContext workbench, Map<String, Object> params) {
        Binding b = new Binding();
        workbench.serviceBindings().forEach(b::setVariable);
        b.setVariable(NtkScript.WORKBENCH, workbench);
        b.setVariable(NtkScript.PARAMS, new LinkedHashMap<>(params));
        params.forEach(b::setVariable);
        return b;
    }

    /**
     * Runs {@code script} with typed {@code params}; the run directory goes under {@code outBase}
     * ({@code runs} by default). With {@code resume}, the latest run directory of this script under
     * {@code outBase} is continued instead of a new one (scripts see {@code resuming == true}).
     */
    public Outcome run(Path script, Map<String, Object> params, Path outBase, boolean resume, boolean debug) {
        String file = script.getFileName().toString();
        String text;
        try {
            text = Files.readString(script, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return fail(null, script + ": no such script", ExitCodes.BAD_INPUT, e, debug);
        } catch (IOException e) {
            return fail(null, script + ": cannot read: " + e.getMessage(), ExitCodes.BAD_INPUT, e, debug);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a UTF-8 byte order mark, as some editors write
        }
        String unknown = unknownParameters(text, params.keySet());
        if (unknown != null) {
            return fail(null, script + ": " + unknown, ExitCodes.BAD_INPUT, null, debug);
        }
        Binding binding = binding(workbench, params);
        CompilerConfiguration config = compilerConfiguration();
        config.addCompilationCustomizers(new ExitCallCustomizer());
        GroovyShell shell = new GroovyShell(ScriptRunner.class.getClassLoader(), binding, config);
        Script compiled;
        try {
            compiled = shell.parse(text, file);
        } catch (MultipleCompilationErrorsException e) {
            return fail(null, compileError(script.toString(), e), ExitCodes.BAD_INPUT, e, debug);
        }
        String name = file.endsWith(".groovy") ? file.substring(0, file.length() - 7) : file;
        RunDirectory run = new RunDirectory(name, outBase, script.toString(), text, params,
                workbench.pluginVersions());
        String resumeNote = null;
        if (resume) {
            Path latest = latestRun(outBase, name);
            if (latest != null) {
                String mismatch = run.resumeMismatch(latest);
                if (mismatch != null) {
                    return fail(null, "--resume: " + mismatch + "; run without --resume for a new run directory",
                            ExitCodes.BAD_INPUT, null, debug);
                }
                String before = RunDirectory.status(latest.resolve("manifest.json"), true);
                run.reuse(latest);
                resumeNote = "--resume: continuing " + latest + " (previous status " + before + "; outputs that exist are not recomputed)";
            } else {
                resumeNote = "--resume: no previous run of " + name + " under " + outBase + "; starting a new run";
            }
        }
        binding.setVariable("resuming", resume);
        CurrentRun current = workbench.service(CurrentRun.class);
        current.set(run);
        binding.setVariable("run", run);
        binding.setVariable("out", new PrintWriter(new TeeWriter(out, run), true));
        long t0 = System.nanoTime();
        try {
            run.lock();
        } catch (IllegalStateException e) {
            current.set(null);
            return fail(null, (resume ? "--resume: " : "") + e.getMessage(), ExitCodes.BAD_INPUT, e, debug);
        }
        try {
            if (resumeNote != null) {
                run.log(resumeNote);
                err.println(resumeNote);
            }
            run.writeManifest("running", null);
            compiled.run();
            run.timing("script", (System.nanoTime() - t0) / 1e9);
            run.writeManifest("ok", null);
            workbench.service(Reports.class).finish(run); // report.html with the final manifest
            err.println("run directory: " + run.dir());
            return new Outcome(ExitCodes.OK, run.dir(), null);
        } catch (NtkScript.ScriptExit e) {
            String where = runtimeError(script.toString(), file, e);
            if (e.code() == 0) {
                run.timing("script", (System.nanoTime() - t0) / 1e9);
                try {
                    run.writeManifest("ok", null);
                } catch (IOException ex) {
                    return fail(run.dir(), run.dir() + "/manifest.json: " + ex.getMessage(), ExitCodes.COMPUTATION_FAILED, ex, debug);
                }
                err.println("run directory: " + run.dir());
                return new Outcome(ExitCodes.OK, run.dir(), null);
            }
            int code = e.code() == ExitCodes.BAD_INPUT ? ExitCodes.BAD_INPUT : ExitCodes.COMPUTATION_FAILED;
            String msg = where;
            try {
                run.log("ERROR " + msg);
                run.writeManifest("failed", msg);
            } catch (IOException | RuntimeException ignored) {
                // the message below is what matters
            }
            return fail(run.dir(), msg, code, null, debug);
        } catch (Throwable e) {
            String msg = runtimeError(script.toString(), file, e);
            int code = ExitCodes.of(e);
            try {
                run.log("ERROR " + msg);
                run.writeManifest("failed", msg);
                workbench.service(Reports.class).finish(run);
            } catch (IOException | RuntimeException ignored) {
                // The run already failed; the message below is what matters.
            }
            return fail(run.dir(), msg, code, e, debug);
        } finally {
            current.set(null);
            run.unlock();
        }
    }

    /**
     * {@code -P} keys read by the runner, not the script: {@code -Pthreads=N} sizes an experiment's thread pool,
     * {@code -Pengine=spark} and {@code -Pmaster=URL} choose where its points are computed.
     */
    static final java.util.Set<String> RUNNER_PARAMETERS = java.util.Set.of("threads", "engine", "master");

    /**
     * A {@code -P} key the script never mentions is almost always a typo ({@code -Pwidht=64}); refused with the
     * names the script does mention. A key counts as mentioned when it appears in the text as a whole word
     * (a variable, a {@code param('key', …)} argument, a grid key). Keys the runner itself reads
     * ({@link #RUNNER_PARAMETERS}) are always known.
     */
    static String unknownParameters(String text, java.util.Set<String> keys) {
        List<String> unknown = new java.util.ArrayList<>();
        for (String k : keys) {
            if (!RUNNER_PARAMETERS.contains(k) && !java.util.regex.Pattern.compile("(?<![A-Za-z0-9_$])" + java.util.regex.Pattern.quote(k) + "(?![A-Za-z0-9_$])")
                    .matcher(text).find()) {
                unknown.add(k);
            }
        }
        if (unknown.isEmpty()) {
            return null;
        }
        java.util.Set<String> mentioned = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("param\\(\\s*['\"]([A-Za-z_$][A-Za-z0-9_$]*)['\"]").matcher(text);
        while (m.find()) {
            mentioned.add(m.group(1));
        }
        return "unknown parameter" + (unknown.size() > 1 ? "s " : " ") + unknown.stream().map(u -> "-P" + u).toList()
                .toString().replaceAll("[\\[\\]]", "") + ": the script never mentions " + (unknown.size() > 1 ? "them" : "it")
                + (mentioned.isEmpty() ? "" : " (its param(...) names: " + String.join(", ", mentioned) + ")");
    }

    /** Rewrites {@code System.exit(code)} in a script into {@link NtkScript#ntkExit}, so it ends the run through the exit-code contract. */
    private static final class ExitCallCustomizer extends org.codehaus.groovy.control.customizers.CompilationCustomizer {
        ExitCallCustomizer() {
            super(org.codehaus.groovy.control.CompilePhase.CANONICALIZATION);
        }

        @Override
        public void call(org.codehaus.groovy.control.SourceUnit source, org.codehaus.groovy.classgen.GeneratorContext context,
                         org.codehaus.groovy.ast.ClassNode classNode) {
            new org.codehaus.groovy.ast.ClassCodeExpressionTransformer() {
                @Override
                protected org.codehaus.groovy.control.SourceUnit getSourceUnit() {
                    return source;
                }

                @Override
                public org.codehaus.groovy.ast.expr.Expression transform(org.codehaus.groovy.ast.expr.Expression e) {
                    if (e instanceof org.codehaus.groovy.ast.expr.MethodCallExpression mc
                            && mc.getObjectExpression() instanceof org.codehaus.groovy.ast.expr.ClassExpression ce
                            && ce.getType().getName().equals("java.lang.System") && "exit".equals(mc.getMethodAsString())) {
                        org.codehaus.groovy.ast.expr.MethodCallExpression call = new org.codehaus.groovy.ast.expr.MethodCallExpression(
                                new org.codehaus.groovy.ast.expr.ClassExpression(org.codehaus.groovy.ast.ClassHelper.make(NtkScript.class)),
                                "ntkExit", transform(mc.getArguments()));
                        call.setSourcePosition(mc);
                        return call;
                    }
                    if (e instanceof org.codehaus.groovy.ast.expr.StaticMethodCallExpression sc
                            && sc.getOwnerType().getName().equals("java.lang.System") && "exit".equals(sc.getMethod())) {
                        org.codehaus.groovy.ast.expr.MethodCallExpression call = new org.codehaus.groovy.ast.expr.MethodCallExpression(
                                new org.codehaus.groovy.ast.expr.ClassExpression(org.codehaus.groovy.ast.ClassHelper.make(NtkScript.class)),
                                "ntkExit", transform(sc.getArguments()));
                        call.setSourcePosition(sc);
                        return call;
                    }
                    return super.transform(e);
                }
            }.visitClass(classNode);
        }
    }

    /** The newest {@code <name>-yyyyMMdd-HHmmss[-k]} directory under {@code base}, or null. */
    static Path latestRun(Path base, String name) {
        if (!Files.isDirectory(base)) {
            return null;
        }
        try (var s = Files.list(base)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "-\\d{8}-\\d{6}(-\\d+)?"))
                    .max(java.util.Comparator.comparing(p -> {
                        try {
                            return Files.getLastModifiedTime(p.resolve("manifest.json"));
                        } catch (IOException e) {
                            return java.nio.file.attribute.FileTime.fromMillis(0);
                        }
                    }))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private Outcome fail(Path runDir, String message, int code, Throwable e, boolean debug) {
        err.println(message);
        if (debug && e != null) {
            e.printStackTrace(err);
        }
        return new Outcome(code, runDir, message);
    }

    /** {@code path:line: message} of the first compile error. */
    static String compileError(String path, MultipleCompilationErrorsException e) {
        for (Message m : e.getErrorCollector().getErrors()) {
            if (m instanceof SyntaxErrorMessage sm) {
                SyntaxException se = sm.getCause();
                String msg = se.getOriginalMessage() == null ? se.getMessage() : se.getOriginalMessage();
                return path + ":" + se.getLine() + ": " + firstLine(msg);
            }
        }
        return path + ": " + firstLine(e.getMessage());
    }

    /** {@code path:line: message}, the line taken from the deepest stack frame in the script. */
    static String runtimeError(String path, String file, Throwable e) {
        if (e instanceof Located) {
            return firstLine(e.getMessage());
        }
        int line = -1;
        for (Throwable t = e; t != null && line < 0; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement f : t.getStackTrace()) {
                if (file.equals(f.getFileName()) && f.getLineNumber() > 0) {
                    line = f.getLineNumber();
                    break;
                }
            }
        }
        return path + (line > 0 ? ":" + line : "") + ": " + message(e);
    }

    static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.lang.reflect.InvocationTargetException || t instanceof java.lang.reflect.UndeclaredThrowableException
                || (t.getMessage() == null && t.getCause() != null)) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof MissingMethodException mm) {
            return "no word or method " + mm.getMethod() + " for the given arguments " + argTypes(mm.getArguments())
                    + (mm.getType() != null && !NtkScript.class.isAssignableFrom(mm.getType()) ? " on " + mm.getType().getSimpleName() : "");
        }
        if (t instanceof MissingPropertyException mp) {
            return "unknown name '" + mp.getProperty() + "'";
        }
        if (t instanceof DslException || t instanceof IllegalArgumentException || t instanceof NtkScript.ScriptExit) {
            return firstLine(t.getMessage());
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage()));
    }

    private static String argTypes(Object[] args) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < args.length; i++) {
            b.append(i > 0 ? ", " : "").append(args[i] == null ? "null" : args[i].getClass().getSimpleName());
        }
        return b.append(")").toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Sends script output to the console and, line by line, to {@code log.txt}. */
    private static final class TeeWriter extends Writer {
        private final PrintStream console;
        private final RunDirectory run;
        private final StringBuilder line = new StringBuilder();

        TeeWriter(PrintStream console, RunDirectory run) {
            this.console = console;
            this.run = run;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            console.print(new String(cbuf, off, len));
            for (int i = off; i < off + len; i++) {
                if (cbuf[i] == '\n') {
                    run.log(line.toString());
                    line.setLength(0);
                } else {
                    line.append(cbuf[i]);
                }
            }
        }

        @Override
        public void flush() {
            console.flush();
        }

        @Override
        public void close() {
            if (!line.isEmpty()) {
                run.log(line.toString());
                line.setLength(0);
            }
        }
    }

    /** An output stream for tests and the REPL that discards. */
    static OutputStream nullStream() {
        return OutputStream.nullOutputStream();
    }
}
