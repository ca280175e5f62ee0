package org.ntkworkbench.dsl;

import groovy.lang.GroovyObjectSupport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;

/**
 * One point of an experiment: one combination of the swept parameters, seen by the stages as {@code p}.
 * {@code p.width} is the value of the axis {@code width}; {@code p.name} the point's name (also its
 * directory, e.g. {@code width=64_seed=0}); {@code p.index} its place in the sweep (0-based);
 * {@code p.seed} the axis {@code seed} if there is one, else 0 — every random draw of the point should
 * take it, so a point's results do not depend on which thread or run computed it.
 */
public final class ExperimentPoint extends GroovyObjectSupport {
    private final int index;
    private final String name;
    private final Map<String, Object> values;

    /** A point with the given axis values (in axis order). */
    public ExperimentPoint(int index, String name, Map<String, Object> values) {
        this.index = index;
        this.name = name;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The point's place in the sweep, from 0 (the first factor varies slowest). */
    public int getIndex() {
        return index;
    }

    /** The point's name, {@code axis=value} joined by {@code _}; also its directory under {@code points/}. */
    public String getName() {
        return name;
    }

    /** The seed of the point: its {@code seed} axis value, else 0. */
    public long getSeed() {
        Object s = values.get("seed");
        if (s == null) {
            return 0;
        }
        if (s instanceof Integer || s instanceof Long || s instanceof Short || s instanceof Byte) {
            return ((Number) s).longValue();
        }
        throw new DslException("experiment: axis 'seed' must hold integers, point " + name + " has " + DslArgs.describe(s));
    }

    /** The axis values by axis name, in axis order. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** The value of axis {@code axis}; fails naming the axes if there is no such axis. */
    public Object get(String axis) {
        if (!values.containsKey(axis)) {
            throw new DslException("point " + name + " has no parameter '" + axis + "'"
                    + NtkScript.suggestion(axis, values.keySet()) + " (parameters: " + String.join(", ", values.keySet()) + ")");
        }
        return values.get(axis);
    }

    /** {@code p.name}, {@code p.index}, {@code p.seed} (its axis value, else 0), or an axis value. */
    @Override
    public Object getProperty(String property) {
        return switch (property) {
            case "name" -> name;
            case "index" -> index;
            case "seed" -> values.containsKey("seed") ? values.get("seed") : 0;
            default -> get(property);
        };
    }

    /** Points are read-only. */
    @Override
    public void setProperty(String property, Object newValue) {
        throw new DslException("point " + name + " is read-only: cannot set '" + property + "'");
    }

    @Override
    public String toString() {
        return name;
    }
}
