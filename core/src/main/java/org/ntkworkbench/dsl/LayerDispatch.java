package org.ntkworkbench.dsl;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Layers;

/**
 * The layer words' calls of the {@link Layers} factories in plain Java, for the argument forms where Groovy's
 * dynamic dispatch (which {@link LayerWords} used for every call until session 7) is known to choose one overload
 * and coerce in one way; {@link #UNDECIDED} for every other call, which {@link LayerWords} then gives to Groovy's
 * dispatch exactly as before. Why: a model made of plain calls ({@code serial(dense(512, bStd: 0.1), relu())})
 * then builds without starting the Groovy runtime (≈ 400 classes, 0.15–0.3 CPU s and their JIT work per run).
 *
 * <p>This class decides a call only when all of these hold: every argument is an {@code Integer}, {@code Double},
 * finite {@code BigDecimal}, {@code String}, {@code Boolean}, {@link Layer}, {@link List} or (first, the named
 * arguments) {@link Map}; among the factories of the word whose parameter count fits (varargs included) exactly
 * one accepts the arguments under the rules below; and no factory that fits by count has a parameter type outside
 * these rules (e.g. {@code Padding}, {@code int[]}, {@code DoubleUnaryOperator}). The rules are Groovy's for these
 * argument types: an {@code int} takes an {@code Integer} only; a {@code double} an {@code Integer}, {@code Double}
 * or {@code BigDecimal} (their {@code doubleValue()}); {@code Map}, {@code List} and {@link Layer} parameters take
 * instances; {@code Object} takes any of them; a varargs parameter takes the remaining arguments under its element's
 * rule. Anything else (closures, {@code Long}, {@code null}, no fitting or several fitting factories, which Groovy
 * reports or ranks) is {@link #UNDECIDED}. {@code LayerDispatchSpec} checks {@link #FORMS} against {@link Layers}'
 * methods and compares this class's decisions with Groovy's on every argument form of every layer word.
 */
public final class LayerDispatch {
    private LayerDispatch() {}

    /** The answer for calls this class does not decide. */
    public static final Object UNDECIDED = new Object();

    /**
     * One public static factory of {@link Layers}: its name and parameter kinds, one character each: {@code i} int,
     * {@code d} double, {@code M} Map (named arguments), {@code L} Layer, {@code l} List, {@code O} Object, and as
     * the last, varargs: {@code I} int..., {@code D} double..., {@code Y} Layer...; {@code ?} any other type (the
     * factory is never called from here). Id -1: never called from here ({@code ?} in it, not a layer word, or, for
     * {@code elementwise(Map)}, always beside {@code elementwise(DoubleUnaryOperator)}).
     */
    record Form(String word, String kinds, int id) {
        boolean varargs() {
            return !kinds.isEmpty() && "IDY".indexOf(kinds.charAt(kinds.length() - 1)) >= 0;
        }

        boolean fits(int count) {
            return varargs() ? count >= kinds.length() - 1 : count == kinds.length();
        }
    }

    /** Every public static factory of {@link Layers}, in its source order ({@code LayerDispatchSpec} compares). */
    static final List<Form> FORMS = List.of(
            new Form("serial", "Y", 0), new Form("serial", "l", 1),
            new Form("parallel", "Y", 2), new Form("parallel", "l", 3),
            new Form("fanOut", "i", 4), new Form("fanInSum", "", 5), new Form("fanInProd", "", 6),
            new Form("fanInConcat", "", 7), new Form("fanInConcat", "i", 8), new Form("repeat", "Li", 9),
            new Form("dense", "i", 10), new Form("dense", "idd", 11), new Form("dense", "idd?", -1),
            new Form("conv", "iI", 12), new Form("conv", "i???dd", -1), new Form("conv", "i???dd?", -1),
            new Form("avgPool", "I", 13), new Form("avgPool", "???", -1),
            new Form("sumPool", "I", 14), new Form("sumPool", "???", -1),
            new Form("globalAvgPool", "", 15), new Form("globalSumPool", "", 16), new Form("flatten", "", 17),
            new Form("layerNorm", "", 18), new Form("dropout", "d", 19), new Form("dropout", "Md", 20),
            new Form("globalSelfAttention", "Mi", 21), new Form("globalSelfAttention", "i", 22),
            new Form("layerNorm", "M", 23), new Form("identity", "", 24),
            new Form("linearize", "LM", -1), new Form("taylorExpand", "LMi", -1),
            new Form("dense", "Mi", 25), new Form("conv", "Mi", 26), new Form("convLocal", "Mi", 27),
            new Form("convTranspose", "Mi", 28), new Form("imageResize", "M", 29), new Form("aggregate", "M", 30),
            new Form("aggregate", "", 31), new Form("dotGeneral", "M", 32), new Form("index", "M", 33),
            new Form("avgPool", "MO", 34), new Form("sumPool", "MO", 35), new Form("avgPool", "l", 36), new Form("sumPool", "l", 37),
            new Form("fanInConcat", "M", 38),
            new Form("relu", "", 39), new Form("leakyRelu", "d", 40), new Form("abs", "", 41), new Form("erf", "", 42),
            new Form("gelu", "", 43), new Form("sin", "", 44), new Form("cos", "", 45), new Form("rbf", "d", 46),
            new Form("sign", "", 47), new Form("monomial", "i", 48), new Form("rectifiedMonomial", "i", 49),
            new Form("tanh", "", 50), new Form("sigmoid", "", 51),
            new Form("elementwise", "?", -1), new Form("elementwise", "??", -1),
            new Form("erf", "M", 52), new Form("sin", "M", 53), new Form("cos", "M", 54),
            new Form("abRelu", "dd", 55), new Form("abRelu", "M", 56), new Form("gelu", "M", 57),
            new Form("exp", "", 58), new Form("exp", "M", 59), new Form("gaussianBump", "", 60), new Form("gaussianBump", "M", 61),
            new Form("expNormalized", "", 62), new Form("expNormalized", "M", 63),
            new Form("polynomial", "l", 64), new Form("polynomial", "D", 65), new Form("hermite", "i", 66),
            new Form("elementwise", "M", -1), new Form("elementwise", "M?", -1));

    /**
     * {@code Layers.<word>(argv)} as Groovy's dispatch would call it, or {@link #UNDECIDED} (nothing called). A
     * factory's own exceptions propagate unchanged (as through Groovy's dispatch).
     */
    public static Object call(String word, Object[] argv) {
        for (Object a : argv) {
            if (!(a instanceof Integer || a instanceof Double || a instanceof String || a instanceof Boolean || a instanceof Layer
                    || a instanceof List || a instanceof Map || a instanceof BigDecimal b && Double.isFinite(b.doubleValue()))) {
                return UNDECIDED;
            }
        }
        Form chosen = null;
        for (Form f : FORMS) {
            if (!f.word().equals(word) || !f.fits(argv.length)) {
                continue;
            }
            if (f.id() < 0) {
                return UNDECIDED;
            }
            if (accepts(f, argv)) {
                if (chosen != null) {
                    return UNDECIDED;
                }
                chosen = f;
            }
        }
        return chosen == null ? UNDECIDED : invoke(chosen.id(), argv);
    }

    static boolean accepts(Form f, Object[] argv) {
        String k = f.kinds();
        for (int i = 0; i < argv.length; i++) {
            char c = k.charAt(Math.min(i, k.length() - 1));
            if (i >= k.length() - 1 && f.varargs()) {
                c = c == 'Y' ? 'L' : c == 'I' ? 'i' : 'd';
            }
            if (!accepts(c, argv[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean accepts(char kind, Object a) {
        return switch (kind) {
            case 'i' -> a instanceof Integer;
            case 'd' -> a instanceof Integer || a instanceof Double || a instanceof BigDecimal;
            case 'M' -> a instanceof Map;
            case 'L' -> a instanceof Layer;
            case 'l' -> a instanceof List;
            case 'O' -> true;
            default -> false;
        };
    }

    private static int i(Object a) {
        return (Integer) a;
    }

    private static double d(Object a) {
        return ((Number) a).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> m(Object a) {
        return (Map<String, ?>) a;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> l(Object a) {
        return (List<T>) a;
    }

    private static int[] ints(Object[] argv, int from) {
        int[] out = new int[argv.length - from];
        for (int j = 0; j < out.length; j++) {
            out[j] = (Integer) argv[from + j];
        }
        return out;
    }

    private static double[] doubles(Object[] argv, int from) {
        double[] out = new double[argv.length - from];
        for (int j = 0; j < out.length; j++) {
            out[j] = d(argv[from + j]);
        }
        return out;
    }

    private static Layer[] layers(Object[] argv) {
        Layer[] out = new Layer[argv.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (Layer) argv[j];
        }
        return out;
    }

    private static Object invoke(int id, Object[] a) {
        return switch (id) {
            case 0 -> Layers.serial(layers(a));
            case 1 -> Layers.serial(LayerDispatch.<Layer>l(a[0]));
            case 2 -> Layers.parallel(layers(a));
            case 3 -> Layers.parallel(LayerDispatch.<Layer>l(a[0]));
            case 4 -> Layers.fanOut(i(a[0]));
            case 5 -> Layers.fanInSum();
            case 6 -> Layers.fanInProd();
            case 7 -> Layers.fanInConcat();
            case 8 -> Layers.fanInConcat(i(a[0]));
            case 9 -> Layers.repeat((Layer) a[0], i(a[1]));
            case 10 -> Layers.dense(i(a[0]));
            case 11 -> Layers.dense(i(a[0]), d(a[1]), d(a[2]));
            case 12 -> Layers.conv(i(a[0]), ints(a, 1));
            case 13 -> Layers.avgPool(ints(a, 0));
            case 14 -> Layers.sumPool(ints(a, 0));
            case 15 -> Layers.globalAvgPool();
            case 16 -> Layers.globalSumPool();
            case 17 -> Layers.flatten();
            case 18 -> Layers.layerNorm();
            case 19 -> Layers.dropout(d(a[0]));
            case 20 -> Layers.dropout(m(a[0]), d(a[1]));
            case 21 -> Layers.globalSelfAttention(m(a[0]), i(a[1]));
            case 22 -> Layers.globalSelfAttention(i(a[0]));
            case 23 -> Layers.layerNorm(m(a[0]));
            case 24 -> Layers.identity();
            case 25 -> Layers.dense(m(a[0]), i(a[1]));
            case 26 -> Layers.conv(m(a[0]), i(a[1]));
            case 27 -> Layers.convLocal(m(a[0]), i(a[1]));
            case 28 -> Layers.convTranspose(m(a[0]), i(a[1]));
            case 29 -> Layers.imageResize(m(a[0]));
            case 30 -> Layers.aggregate(m(a[0]));
            case 31 -> Layers.aggregate();
            case 32 -> Layers.dotGeneral(m(a[0]));
            case 33 -> Layers.index(m(a[0]));
            case 34 -> Layers.avgPool(m(a[0]), a[1]);
            case 35 -> Layers.sumPool(m(a[0]), a[1]);
            case 36 -> Layers.avgPool(LayerDispatch.<Number>l(a[0]));
            case 37 -> Layers.sumPool(LayerDispatch.<Number>l(a[0]));
            case 38 -> Layers.fanInConcat(m(a[0]));
            case 39 -> Layers.relu();
            case 40 -> Layers.leakyRelu(d(a[0]));
            case 41 -> Layers.abs();
            case 42 -> Layers.erf();
            case 43 -> Layers.gelu();
            case 44 -> Layers.sin();
            case 45 -> Layers.cos();
            case 46 -> Layers.rbf(d(a[0]));
            case 47 -> Layers.sign();
            case 48 -> Layers.monomial(i(a[0]));
            case 49 -> Layers.rectifiedMonomial(i(a[0]));
            case 50 -> Layers.tanh();
            case 51 -> Layers.sigmoid();
            case 52 -> Layers.erf(m(a[0]));
            case 53 -> Layers.sin(m(a[0]));
            case 54 -> Layers.cos(m(a[0]));
            case 55 -> Layers.abRelu(d(a[0]), d(a[1]));
            case 56 -> Layers.abRelu(m(a[0]));
            case 57 -> Layers.gelu(m(a[0]));
            case 58 -> Layers.exp();
            case 59 -> Layers.exp(m(a[0]));
            case 60 -> Layers.gaussianBump();
            case 61 -> Layers.gaussianBump(m(a[0]));
            case 62 -> Layers.expNormalized();
            case 63 -> Layers.expNormalized(m(a[0]));
            case 64 -> Layers.polynomial(LayerDispatch.<Number>l(a[0]));
            case 65 -> Layers.polynomial(doubles(a, 0));
            case 66 -> Layers.hermite(i(a[0]));
            default -> throw new IllegalStateException("no layer factory " + id);
        };
    }
}
