package org.ntkworkbench.cli;

import org.ntkworkbench.dsl.DslContext;
import org.ntkworkbench.dsl.ModelExpressions;
import org.ntkworkbench.nn.Layer;
import picocli.CommandLine.Option;

/**
 * {@code --model EXPR|FILE} of the commands that take a model (kernel, spectrum, fit): a DSL model expression, or a
 * file holding one, read as data by {@link ModelExpressions} (DESIGN.md). One place for the option's name, help
 * and parsing.
 */
public final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "EXPR|FILE", description = "DSL model expression or Groovy file.")
    String expression;

    /** The option's text as given (what manifests record and remote engines rebuild the model from). */
    String expression() {
        return expression;
    }

    private ModelExpressions.Source source;

    /** The option's text read and parsed, not yet evaluated (once; errors wait for {@link #parse}). */
    ModelExpressions.Source source() {
        if (source == null) {
            source = ModelExpressions.read(expression);
        }
        return source;
    }

    /** The model; a bad expression is a one-line {@link org.ntkworkbench.spi.DslException}. */
    Layer parse(DslContext workbench) {
        return source().layer(workbench);
    }
}
