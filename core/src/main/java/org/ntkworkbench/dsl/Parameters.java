package org.ntkworkbench.dsl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;

/** {@code -Pkey=value} parameters: parsed to typed values (integer, double, boolean, list, string). */
public final class Parameters {
    private Parameters() {}

    /** Parses {@code key=value} strings; a bad one is a {@link DslException} naming it. */
    public static Map<String, Object> parse(List<String> keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new DslException("-P" + kv + ": expected -Pkey=value");
            }
            String key = kv.substring(0, eq).trim();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new DslException("-P" + kv + ": '" + key + "' is not a valid parameter name");
            }
            out.put(key, typed(kv.substring(eq + 1).trim()));
        }
        return out;
    }

    /** "3" → Integer, "3000000000" → Long, "0.5"/"1e-3" → Double, "true" → Boolean, "a,b" → List, else String. */
    public static Object typed(String v) {
        if (v.contains(",")) {
            List<Object> list = new ArrayList<>();
            for (String part : v.split(",")) {
                list.add(typed(part.trim()));
            }
            return list;
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        try {
            long l = Long.parseLong(v);
            return l == (int) l ? (Object) (int) l : (Object) l;
        } catch (NumberFormatException ignored) {
            // not an integer
        }
        try {
            if (v.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                return Double.parseDouble(v);
            }
        } catch (NumberFormatException ignored) {
            // not a number
        }
        return v;
    }

    /** Converts a given parameter to the type of its default, or fails naming the parameter. */
    static Object convert(String name, Object given, Object dflt) {
        if (dflt == null || dflt.getClass().isInstance(given)) {
            return given;
        }
        if (dflt instanceof Double && given instanceof Number n) {
            return n.doubleValue();
        }
        if (dflt instanceof Long && given instanceof Integer i) {
            return i.longValue();
        }
        if (dflt instanceof String) {
            return String.valueOf(given);
        }
        if (dflt instanceof List<?> && !(given instanceof List<?>)) {
            return List.of(given);
        }
        throw new DslException("parameter '" + name + "': expected " + kind(dflt) + " like the default " + dflt
                + ", got " + DslArgs.describe(given));
    }

    private static String kind(Object v) {
        return switch (v) {
            case Integer i -> "an integer";
            case Long l -> "an integer";
            case Double d -> "a number";
            case Boolean b -> "true or false";
            case List<?> l -> "a comma-separated list";
            default -> "a " + v.getClass().getSimpleName();
        };
    }
}
