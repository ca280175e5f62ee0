package org.ntkworkbench.runtime;

import java.util.List;
import org.ntkworkbench.dsl.ModelExpressions;
import org.ntkworkbench.dsl.PointWorker;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.EngineSupport;
import org.ntkworkbench.spi.PointJob;

/**
 * Core's {@link EngineSupport} (registered in {@code META-INF/services}): model expressions through
 * {@link ModelExpressions}, points through {@link PointWorker}, both on this JVM's workbench.
 */
public final class WorkbenchEngineSupport implements EngineSupport {

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public WorkbenchEngineSupport() {}

    /** This JVM's workbench: the running one (driver, local mode), else one started once (an executor). */
    static synchronized Workbench workbench() {
        try {
            return Workbench.current();
        } catch (IllegalStateException none) {
            return Workbench.start(List.of());
        }
    }

    @Override
    public Layer model(String expression) {
        return ModelExpressions.parse(workbench(), expression);
    }

    @Override
    public String computePoint(PointJob job) {
        return PointWorker.compute(workbench(), job);
    }
}
