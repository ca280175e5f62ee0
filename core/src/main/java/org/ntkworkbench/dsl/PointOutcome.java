package org.ntkworkbench.dsl;

import groovy.lang.GroovyObjectSupport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.spi.DslException;

/**
 * How one point ended, as the report stage sees it: {@code pt.name}, {@code pt.ok}, {@code pt.status}
 * ({@code ok} or {@code failed}), {@code pt.error}, {@code pt.results}, {@code pt.parameters}; and,
 * for short, {@code pt.width} (a swept parameter) or {@code pt.test_rmse} (a result).
 */
public final class PointOutcome extends GroovyObjectSupport {
    private final ExperimentPoint point;
    private final String status;
    private final String error;
    private final Map<String, Object> results;
    private final boolean computed;
    private final boolean misuse;

    PointOutcome(ExperimentPoint point, String status, String error, Map<String, Object> results, boolean computed) {
        this(point, status, error, results, computed, false);
    }

    PointOutcome(ExperimentPoint point, String status, String error, Map<String, Object> results, boolean computed, boolean misuse) {
        this.point = point;
        this.misuse = misuse;
        this.status = status;
        this.error = error;
        this.results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
        this.computed = computed;
    }

    /** The point. */
    public ExperimentPoint getPoint() {
        return point;
    }

    /** The point's name. */
    public String getName() {
        return point.getName();
    }

    /** {@code ok} or {@code failed}. */
    public String getStatus() {
        return status;
    }

    /** Whether the point completed. */
    public boolean isOk() {
        return "ok".equals(status);
    }

    /** The one-line {@code file:line: message} of a failed point, else null. */
    public String getError() {
        return error;
    }

    /** The named scalar results (empty for a failed point). */
    public Map<String, Object> getResults() {
        return results;
    }

    /** The swept parameters by axis. */
    public Map<String, Object> getParameters() {
        return point.asMap();
    }

    /** Whether this run computed the point (false: its outputs were found complete and reused). */
    boolean computed() {
        return computed;
    }

    /** Whether the point failed on bad input (exit 2) rather than a failed computation (exit 1). */
    boolean misuse() {
        return misuse;
    }

    /** A swept parameter or a result by name (parameters first); null for a result a failed point lacks. */
    public Object value(String key) {
        if (point.asMap().containsKey(key)) {
            return point.asMap().get(key);
        }
        return results.get(key);
    }

    /** The properties above, else a parameter or result by name (null on a failed point). */
    @Override
    public Object getProperty(String property) {
        return switch (property) {
            case "name" -> getName();
            case "point" -> point;
            case "status" -> status;
            case "ok" -> isOk();
            case "error" -> error;
            case "results" -> results;
            case "parameters" -> getParameters();
            case "index" -> point.getIndex();
            case "seed" -> point.getProperty("seed");
            default -> {
                if (point.asMap().containsKey(property) || results.containsKey(property) || !isOk()) {
                    yield value(property);
                }
                throw new DslException("point " + getName() + " has no parameter or result '" + property + "'"
                        + NtkScript.suggestion(property, keys()) + " (it has " + String.join(", ", keys()) + ")");
            }
        };
    }

    private java.util.List<String> keys() {
        java.util.List<String> k = new java.util.ArrayList<>(point.asMap().keySet());
        k.addAll(results.keySet());
        return k;
    }

    /** {@code name status results} or {@code name failed: error}. */
    @Override
    public String toString() {
        return getName() + " " + status + (isOk() ? " " + results : ": " + error);
    }
}
