package org.ntkworkbench.spi;

import java.util.ServiceLoader;
import org.ntkworkbench.nn.Layer;

/**
 * What an engine's code needs from the workbench in any JVM of the engine, the driver's or an executor's
 * on another machine: models from their DSL text and experiment points from their jobs. An engine ships
 * text (a model expression, a {@link PointJob}) rather than objects, and rebuilds them where it computes.
 *
 * <p>{@link #get()} is this JVM's: it uses the workbench already running here (the driver, or an engine in
 * local mode), else starts one once with the plugins on the class path (an executor).
 */
public interface EngineSupport {

    /**
     * The layer of a DSL model expression such as {@code "serial(dense(512), relu(), dense(1))"}, under the
     * rules of the command line's {@code --model} (DESIGN.md: data, not a program; words that touch files
     * are refused). Throws {@link DslException} with a one-line reason for a bad expression.
     */
    Layer model(String expression);

    /**
     * Computes the point of {@code job} in this JVM by re-running its script in point mode into the job's run
     * directory (the experiment runner then reads the point's status file). Returns the point's status
     * ({@code ok}, {@code failed}) or a one-line reason why the script did not reach the point; never throws
     * for a failure of the point itself. One point at a time per JVM.
     */
    String computePoint(PointJob job);

    /** This JVM's engine support (core's, found with {@link ServiceLoader}). */
    static EngineSupport get() {
        return Holder.INSTANCE;
    }

    /** Loads the implementation once, on first use. */
    final class Holder {
        private static final EngineSupport INSTANCE = ServiceLoader.load(EngineSupport.class, EngineSupport.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + EngineSupport.class.getName() + " on the class path (core's jar is missing)"));

        private Holder() {}
    }
}
