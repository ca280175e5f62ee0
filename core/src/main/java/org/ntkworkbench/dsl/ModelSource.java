package org.ntkworkbench.dsl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslWord;

/**
 * The DSL text of models built by DSL words, e.g. {@code "serial(dense(512, bStd: 0.1d), relu(), dense(1))"}.
 *
 * <p>Engines that rebuild a model elsewhere (Spark executors) receive models as model expressions
 * (DESIGN.md: data, not a program), never as Java objects. Every word the runtime binds is wrapped by
 * {@link #recording}: when a word returns a {@link Layer} and all its arguments have a text form
 * (literals, lists, maps and layers that have one), the call's text is remembered for that layer. A
 * layer built otherwise (Java factories, {@code elementwise} with a closure) has no text, and engines
 * that need one refuse it in one line ({@link #require}).
 *
 * <p>Numbers are written so that {@link ModelExpressions#parse} gives back the same value: doubles
 * with Java's shortest round-trip digits and a {@code d} suffix, Groovy decimals as decimals.
 */
public final class ModelSource {
    private ModelSource() {}

    /** Layer -> text; weak keys: a layer that is no longer used takes its text with it. */
    private static final Map<Layer, String> TEXT = Collections.synchronizedMap(new WeakHashMap<>());

    /** Why a value has no text (kept per layer for the refusal message). */
    private static final Map<Layer, String> WHY_NOT = Collections.synchronizedMap(new WeakHashMap<>());

    /** {@code word} such that each {@link Layer} it returns gets the text of the call. */
    public static DslWord recording(String name, DslWord word) {
        return args -> {
            Object result = word.call(args);
            if (result instanceof Layer layer) {
                remember(layer, name, args);
            }
            return result;
        };
    }

    /** Records the text of {@code name(args)} as {@code layer}'s, or why there is none. */
    static void remember(Layer layer, String name, DslArgs args) {
        StringBuilder s = new StringBuilder(name).append('(');
        String[] why = {null};
        boolean first = true;
        for (Object p : args.positional()) {
            s.append(first ? "" : ", ");
            first = false;
            if (!render(p, s, why)) {
                WHY_NOT.put(layer, why[0]);
                return;
            }
        }
        for (Map.Entry<String, Object> e : args.named().entrySet()) {
            s.append(first ? "" : ", ");
            first = false;
            s.append(key(e.getKey())).append(": ");
            if (!render(e.getValue(), s, why)) {
                WHY_NOT.put(layer, why[0]);
                return;
            }
        }
        TEXT.put(layer, s.append(')').toString());
    }

    /** The model expression that rebuilds {@code net}, if it was built by DSL words with literal arguments. */
    public static Optional<String> of(Layer net) {
        return Optional.ofNullable(TEXT.get(net));
    }

    /**
     * {@link #of} or a one-line {@link IllegalArgumentException} saying why {@code net} cannot be shipped
     * to {@code engine}.
     */
    public static String require(Layer net, String engine) {
        String text = TEXT.get(net);
        if (text != null) {
            return text;
        }
        String why = WHY_NOT.get(net);
        throw new IllegalArgumentException("engine: '" + engine + "' rebuilds the model from its DSL text, and this model has none ("
                + (why != null ? why : "it was not built by DSL words") + "); build it from DSL words with literal arguments");
    }

    private static boolean render(Object v, StringBuilder s, String[] why) {
        switch (v) {
            case null -> s.append("null");
            case Boolean b -> s.append(b);
            case Integer i -> s.append(i);
            case Long l -> s.append(l).append('L');
            case Short i -> s.append(i);
            case Byte i -> s.append(i);
            case BigInteger i -> s.append(i).append('G');
            case BigDecimal d -> s.append(d.toString().replace("E+", "E"));
            case Double d -> renderDouble(d, s);
            case Float f -> renderDouble(f.doubleValue(), s);
            case CharSequence c -> quote(c.toString(), s);
            case Layer layer -> {
                String t = TEXT.get(layer);
                if (t == null) {
                    String w = WHY_NOT.get(layer);
                    why[0] = w != null ? w : "its layer '" + layer.word() + "' was not built by a DSL word";
                    return false;
                }
                s.append(t);
            }
            case List<?> list -> {
                s.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        s.append(", ");
                    }
                    if (!render(list.get(i), s, why)) {
                        return false;
                    }
                }
                s.append(']');
            }
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    s.append("[:]");
                    break;
                }
                s.append('[');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof CharSequence k)) {
                        why[0] = "a map key " + e.getKey() + " is not a string";
                        return false;
                    }
                    s.append(first ? "" : ", ").append(key(k.toString())).append(": ");
                    first = false;
                    if (!render(e.getValue(), s, why)) {
                        return false;
                    }
                }
                s.append(']');
            }
            case int[] a -> {
                return render(java.util.Arrays.stream(a).boxed().toList(), s, why);
            }
            case double[] a -> {
                return render(java.util.Arrays.stream(a).boxed().toList(), s, why);
            }
            case groovy.lang.Closure<?> c -> {
                why[0] = "a closure argument (e.g. elementwise { x -> ... }) has no text form";
                return false;
            }
            default -> {
                why[0] = "an argument of type " + v.getClass().getSimpleName() + " has no text form";
                return false;
            }
        }
        return true;
    }

    private static void renderDouble(double d, StringBuilder s) {
        if (Double.isNaN(d)) {
            s.append("Double.NaN");
        } else if (Double.isInfinite(d)) {
            s.append(d > 0 ? "Double.POSITIVE_INFINITY" : "-Double.POSITIVE_INFINITY");
        } else {
            s.append(Double.toString(d)).append('d');
        }
    }

    private static String key(String k) {
        boolean ident = !k.isEmpty() && Character.isJavaIdentifierStart(k.charAt(0)) && k.chars().allMatch(Character::isJavaIdentifierPart);
        if (ident) {
            return k;
        }
        StringBuilder s = new StringBuilder();
        quote(k, s);
        return s.toString();
    }

    private static void quote(String v, StringBuilder s) {
        s.append('\'');
        for (char c : v.toCharArray()) {
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '\'' -> s.append("\\'");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '$' -> s.append("\\$");
                default -> s.append(c);
            }
        }
        s.append('\'');
    }
}
