package org.ntkworkbench.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Arguments of a DSL word call with typed accessors whose errors name the word and the argument.
 *
 * @param word       the word being called (for messages)
 * @param named      named arguments ({@code width: 512})
 * @param positional positional arguments in order
 */
public record DslArgs(String word, Map<String, Object> named, List<Object> positional) {

    /** Splits Groovy's method-call argument array: a leading {@link Map} holds the named arguments. */
    @SuppressWarnings("unchecked")
    public static DslArgs fromGroovy(String word, Object[] args) {
        if (args.length > 0 && args[0] instanceof Map<?, ?> m && allStringKeys(m)) {
            return new DslArgs(word, (Map<String, Object>) m, List.of(args).subList(1, args.length));
        }
        return new DslArgs(word, Map.of(), java.util.Arrays.asList(args));
    }

    private static boolean allStringKeys(Map<?, ?> m) {
        return m.keySet().stream().allMatch(k -> k instanceof String);
    }

    public int count() {
        return positional.size();
    }

    public Object positional(int i) {
        if (i >= positional.size()) {
            throw new DslException(word + ": missing argument " + (i + 1));
        }
        return positional.get(i);
    }

    public boolean has(String name) {
        return named.containsKey(name);
    }

    public int intArg(int i) {
        return toInt(positional(i), "argument " + (i + 1));
    }

    public double doubleArg(int i) {
        return toDouble(positional(i), "argument " + (i + 1));
    }

    public int intNamed(String name, int dflt) {
        return named.containsKey(name) ? toInt(named.get(name), name) : dflt;
    }

    public int intNamed(String name) {
        requireNamed(name);
        return toInt(named.get(name), name);
    }

    public double doubleNamed(String name, double dflt) {
        return named.containsKey(name) ? toDouble(named.get(name), name) : dflt;
    }

    public String stringNamed(String name, String dflt) {
        if (!named.containsKey(name)) {
            return dflt;
        }
        Object v = named.get(name);
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        throw new DslException(word + ": '" + name + "' must be a string, got " + describe(v));
    }

    public boolean boolNamed(String name, boolean dflt) {
        if (!named.containsKey(name)) {
            return dflt;
        }
        Object v = named.get(name);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new DslException(word + ": '" + name + "' must be true or false, got " + describe(v));
    }

    public void requireNamed(String name) {
        if (!named.containsKey(name)) {
            throw new DslException(word + ": missing named argument '" + name + ":'");
        }
    }

    /** Fails on named arguments the word does not know, listing the ones it does. */
    public DslArgs allowOnly(String... names) {
        Set<String> known = Set.of(names);
        for (String k : named.keySet()) {
            if (!known.contains(k)) {
                throw new DslException(word + ": unknown named argument '" + k + "'"
                        + (names.length == 0 ? "" : " (known: " + String.join(", ", new TreeSet<>(known)) + ")"));
            }
        }
        return this;
    }

    private int toInt(Object v, String what) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            if (l == (int) l) {
                return (int) l;
            }
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < Integer.MAX_VALUE) {
            return (int) n.doubleValue();
        }
        throw new DslException(word + ": " + what + " must be an integer, got " + describe(v));
    }

    private double toDouble(Object v, String what) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new DslException(word + ": " + what + " must be a number, got " + describe(v));
    }

    /** A value as an error message names it: its type and value, e.g. {@code Integer 3}. */
    public static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        String s = v instanceof CharSequence ? "'" + v + "'" : String.valueOf(v);
        if (s.length() > 40) {
            s = s.substring(0, 37) + "...";
        }
        return v.getClass().getSimpleName() + " " + s;
    }
}
