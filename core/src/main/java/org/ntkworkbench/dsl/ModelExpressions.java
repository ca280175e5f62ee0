package org.ntkworkbench.dsl;

import groovy.lang.GroovyShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.DslException;

/**
 * The command line's {@code --model EXPR|FILE}: a DSL model expression such as
 * {@code "serial(dense(512, bStd: 0.1), relu(), dense(1))"}, or a Groovy file whose last expression is
 * a model. Evaluated with the same words as scripts.
 */
public final class ModelExpressions {
    private ModelExpressions() {}

    /** Evaluates {@code exprOrFile} to a model; a {@link DslException} names the problem in one line. */
    public static Layer parse(DslContext workbench, String exprOrFile) {
        String source = exprOrFile;
        String name = "--model";
        Path file = Path.of(exprOrFile.length() < 250 && !exprOrFile.contains("(") ? exprOrFile : ".");
        if (exprOrFile.endsWith(".groovy") || (Files.isRegularFile(file) && !exprOrFile.contains("("))) {
            try {
                source = Files.readString(file);
                name = file.getFileName().toString();
            } catch (IOException e) {
                throw new DslException("--model " + exprOrFile + ": cannot read: " + e.getMessage());
            }
        }
        GroovyShell shell = new GroovyShell(ModelExpressions.class.getClassLoader(),
                ScriptRunner.binding(workbench, Map.of()), ScriptRunner.compilerConfiguration());
        Object value;
        try {
            value = shell.evaluate(source, name.equals("--model") ? "model.groovy" : name);
        } catch (MultipleCompilationErrorsException e) {
            throw new DslException("--model: " + ScriptRunner.compileError(name, e).replaceFirst("^[^:]*:", "line "));
        } catch (DslException e) {
            throw new DslException("--model: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new DslException("--model: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (!(value instanceof Layer layer)) {
            throw new DslException("--model: the expression gives " + (value == null ? "nothing" : "a " + value.getClass().getSimpleName())
                    + ", not a model; e.g. --model \"serial(dense(512), relu(), dense(1))\"");
        }
        return layer;
    }
}
