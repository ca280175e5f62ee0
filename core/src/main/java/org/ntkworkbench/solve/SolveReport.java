package org.ntkworkbench.solve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a solver did, for the run's manifest: the method, the stopping tolerance it was given, the
 * iterations it took (0 for direct methods), the largest relative residual {@code ‖b − A x‖ / ‖b‖}
 * over the right-hand sides at the end (of the system the method solves; {@code NaN} when not
 * measured), whether it met the tolerance, and method-specific details (centres, tile size, storage
 * precision, seconds per stage).
 */
public record SolveReport(String method, double tolerance, int iterations, double relativeResidual, boolean converged,
                          Map<String, Object> details) {

    public SolveReport {
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The report as a flat map for {@code manifest.json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("tolerance", tolerance);
        m.put("iterations", iterations);
        m.put("relative_residual", relativeResidual);
        m.put("converged", converged);
        m.putAll(details);
        return m;
    }

    /** One line for the log. */
    public String line() {
        return String.format(java.util.Locale.ROOT, "%s: %d iterations, relative residual %.3g (tolerance %.3g)%s %s",
                method, iterations, relativeResidual, tolerance, converged ? "" : " NOT CONVERGED", details);
    }
}
