package org.ntkworkbench.nn;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.tensor.Tensor;

/**
 * Static factories named like the DSL words (DESIGN.md), with DESIGN.md's defaults
 * ({@code wStd = 1}, {@code bStd = 0}, NTK parameterization, strides 1, VALID padding).
 * {@code import static org.ntkworkbench.nn.Layers.*} gives Java code the DSL's vocabulary.
 */
public final class Layers {
    private Layers() {}

    // ------------------------------------------------------------------ combinators

    /** {@code serial(a, b, …)}: composition in order. */
    public static Serial serial(Layer... layers) {
        return new Serial(Arrays.asList(layers));
    }

    /** {@code serial} of a list. */
    public static Serial serial(List<? extends Layer> layers) {
        return new Serial(List.copyOf(layers));
    }

    /** {@code parallel(a, b, …)}: branch i on flow item i. */
    public static Parallel parallel(Layer... branches) {
        return new Parallel(Arrays.asList(branches));
    }

    /** {@code parallel} of a list. */
    public static Parallel parallel(List<? extends Layer> branches) {
        return new Parallel(List.copyOf(branches));
    }

    /** {@code fanOut(n)}: n copies of the input. */
    public static FanOut fanOut(int n) {
        return new FanOut(n);
    }

    /** {@code fanInSum()}. */
    public static FanInSum fanInSum() {
        return new FanInSum();
    }

    /** {@code fanInProd()}. */
    public static FanInProd fanInProd() {
        return new FanInProd();
    }

    /** {@code fanInConcat(axis: -1)}. */
    public static FanInConcat fanInConcat() {
        return new FanInConcat(-1);
    }

    /** {@code fanInConcat(axis: axis)}. */
    public static FanInConcat fanInConcat(int axis) {
        return new FanInConcat(axis);
    }

    /** {@code repeat(layer, n)}. */
    public static Repeat repeat(Layer layer, int n) {
        return new Repeat(layer, n);
    }

    // ------------------------------------------------------------------ layers

    /** {@code dense(width)} with wStd 1, no bias, NTK parameterization. */
    public static Dense dense(int width) {
        return new Dense(width, 1.0, 0.0, Parameterization.NTK);
    }

    /** {@code dense(width, wStd:, bStd:)} in NTK parameterization. */
    public static Dense dense(int width, double wStd, double bStd) {
        return new Dense(width, wStd, bStd, Parameterization.NTK);
    }

    /** {@code dense(width, wStd:, bStd:, parameterization:)}. */
    public static Dense dense(int width, double wStd, double bStd, Parameterization parameterization) {
        return new Dense(width, wStd, bStd, parameterization);
    }

    /** {@code conv(channels, filter: f)}: stride 1, VALID, wStd 1, no bias. */
    public static Conv conv(int channels, int... filter) {
        return new Conv(channels, filter, null, Padding.VALID, 1.0, 0.0, Parameterization.NTK);
    }

    /** {@code conv(channels, filter:, strides:, padding:, wStd:, bStd:)} in NTK parameterization. */
    public static Conv conv(int channels, int[] filter, int[] strides, Padding padding, double wStd, double bStd) {
        return new Conv(channels, filter, strides, padding, wStd, bStd, Parameterization.NTK);
    }

    /** {@code conv(…, parameterization:)}. */
    public static Conv conv(int channels, int[] filter, int[] strides, Padding padding, double wStd, double bStd,
                            Parameterization parameterization) {
        return new Conv(channels, filter, strides, padding, wStd, bStd, parameterization);
    }

    /** {@code avgPool(window)}: stride 1, VALID. */
    public static AvgPool avgPool(int... window) {
        return new AvgPool(window, null, Padding.VALID);
    }

    /** {@code avgPool(window, strides:, padding:)}. */
    public static AvgPool avgPool(int[] window, int[] strides, Padding padding) {
        return new AvgPool(window, strides, padding);
    }

    /** {@code sumPool(window)}: stride 1, VALID. */
    public static SumPool sumPool(int... window) {
        return new SumPool(window, null, Padding.VALID);
    }

    /** {@code sumPool(window, strides:, padding:)}. */
    public static SumPool sumPool(int[] window, int[] strides, Padding padding) {
        return new SumPool(window, strides, padding);
    }

    /** {@code globalAvgPool()}. */
    public static GlobalAvgPool globalAvgPool() {
        return new GlobalAvgPool();
    }

    /** {@code globalSumPool()}. */
    public static GlobalSumPool globalSumPool() {
        return new GlobalSumPool();
    }

    /** {@code flatten()}. */
    public static Flatten flatten() {
        return new Flatten();
    }

    /** {@code layerNorm()}. */
    public static LayerNorm layerNorm() {
        return new LayerNorm();
    }

    /** {@code dropout(rate)}. */
    public static Dropout dropout(double rate) {
        return new Dropout(rate);
    }

    /**
     * {@code dropout(rate, mode: 'eval'|'train')}: {@code mode} chooses the kernel rule (the forward pass drops
     * units in training mode either way): {@code 'eval'} (default) the evaluation-mode network's (the identity),
     * {@code 'train'} the training-mode network's ({@link Dropout}).
     */
    public static Dropout dropout(Map<String, ?> options, double rate) {
        new Options("dropout", options, "mode");
        Object mode = options.get("mode");
        return new Dropout(rate, mode == null ? Dropout.Mode.EVAL : Dropout.Mode.named(String.valueOf(mode)));
    }

    /**
     * {@code globalSelfAttention(channels, keyChannels: channels, valueChannels: channels, heads: 1, linearScaling: true,
     * attention: 'softmax'|'identity'|'relu'|'abs', wKeyStd: 1, wQueryStd: 1, wValueStd: 1, wOutStd: 1, bStd: 0, posEmb: 'none'|'sum'|'concat',
     * posEmbChannels:, wPosEmbStd: 1, posEmbDecay: 0, posEmbPNorm: 2, valPosEmb: false)}: see {@link GlobalSelfAttention} (neural-tangents'
     * {@code GlobalSelfAttention}; positional embeddings: {@link GlobalSelfAttention.PositionalEmbedding}).
     */
    public static GlobalSelfAttention globalSelfAttention(Map<String, ?> options, int channels) {
        Options o = new Options("globalSelfAttention", options, "keyChannels", "valueChannels", "heads", "linearScaling", "attention",
                "wKeyStd", "wQueryStd", "wValueStd", "wOutStd", "bStd", "posEmb", "posEmbChannels", "wPosEmbStd", "posEmbDecay",
                "posEmbPNorm", "valPosEmb");
        Object mech = options.get("attention");
        Object pe = options.get("posEmb");
        String type = pe == null ? "none" : String.valueOf(pe).toLowerCase(java.util.Locale.ROOT);
        if ("none".equals(type) && java.util.stream.Stream.of("posEmbChannels", "wPosEmbStd", "posEmbDecay", "posEmbPNorm", "valPosEmb")
                .anyMatch(options::containsKey)) {
            throw new IllegalArgumentException("globalSelfAttention: posEmbChannels, wPosEmbStd, posEmbDecay, posEmbPNorm and valPosEmb "
                    + "need posEmb: 'sum' or 'concat'");
        }
        GlobalSelfAttention.PositionalEmbedding emb = "none".equals(type) ? GlobalSelfAttention.PositionalEmbedding.NONE
                : new GlobalSelfAttention.PositionalEmbedding(type, (int) o.number("posEmbChannels", 0), o.number("wPosEmbStd", 1),
                        o.number("posEmbDecay", 0), o.number("posEmbPNorm", 2), o.bool("valPosEmb", false));
        return new GlobalSelfAttention(channels, (int) o.number("keyChannels", channels), (int) o.number("valueChannels", channels),
                (int) o.number("heads", 1), o.bool("linearScaling", true),
                mech == null ? GlobalSelfAttention.Mechanism.SOFTMAX : GlobalSelfAttention.Mechanism.named(String.valueOf(mech)),
                o.number("wKeyStd", 1) * o.number("wQueryStd", 1), o.number("wValueStd", 1) * o.number("wOutStd", 1), o.number("bStd", 0),
                emb);
    }

    /** {@code globalSelfAttention(channels)}: one softmax head of {@code channels} key and value channels, linear scaling. */
    public static GlobalSelfAttention globalSelfAttention(int channels) {
        return globalSelfAttention(Map.of(), channels);
    }

    /**
     * {@code layerNorm(axis: -1 | [1, 2, 3])}: normalisation over the given axes of the batch array jointly
     * (they must include the channel axis −1); see {@link LayerNorm}.
     */
    public static LayerNorm layerNorm(Map<String, ?> options) {
        new Options("layerNorm", options, "axis");
        Object v = options.get("axis");
        if (v == null) {
            return new LayerNorm();
        }
        return new LayerNorm(v instanceof Number n ? new int[] {n.intValue()} : Options.toInts("layerNorm axis", v));
    }

    /** {@code identity()}. */
    public static Identity identity() {
        return new Identity();
    }

    /**
     * {@code linearize(net, params)}: {@code f(x; θ₀) + J(x; θ₀)(θ − θ₀)} around {@code θ₀ = params}
     * (neural-tangents' {@code linearize}); see {@link Linearized}.
     */
    public static Linearized linearize(Layer net, Map<String, Tensor> params) {
        return new Linearized(net, params);
    }

    /**
     * {@code taylorExpand(net, params, degree)}: the Taylor expansion of {@code net} in its parameters
     * around {@code params}. Degree 1 is {@link #linearize}; other degrees are refused in one line (degree
     * 2 needs forward-over-forward differentiation, which the autodiff does not have).
     */
    public static Linearized taylorExpand(Layer net, Map<String, Tensor> params, int degree) {
        if (degree != 1) {
            throw new IllegalArgumentException("taylorExpand: degree " + degree + " is not supported, only degree 1 "
                    + "(= linearize); degree 2 would need forward-over-forward autodiff, which the workbench does not have");
        }
        return new Linearized(net, params);
    }

    // ------------------------------------------------------------------ Groovy named arguments

    /**
     * {@code dense(width, wStd: …, bStd: …, parameterization: 'ntk'|'standard')} (Groovy passes named
     * arguments as a leading map). Unknown option names are an error naming them.
     */
    public static Dense dense(Map<String, ?> options, int width) {
        Options o = new Options("dense", options, "wStd", "bStd", "parameterization");
        return new Dense(width, o.number("wStd", 1.0), o.number("bStd", 0.0), o.parameterization());
    }

    /** {@code conv(channels, filter: [3] | [3, 3], strides: …, padding: 'VALID'|'SAME'|'CIRCULAR', wStd: …, bStd: …, parameterization: …)}. */
    public static Conv conv(Map<String, ?> options, int channels) {
        Options o = new Options("conv", options, "filter", "strides", "padding", "wStd", "bStd", "parameterization");
        int[] filter = o.ints("filter", null);
        if (filter == null) {
            throw new IllegalArgumentException("conv needs filter: [size] or [height, width]");
        }
        return new Conv(channels, filter, o.ints("strides", null), o.padding(), o.number("wStd", 1.0),
                o.number("bStd", 0.0), o.parameterization());
    }

    /**
     * {@code convLocal(channels, filter: [3] | [3, 3] | [3, 3, 3], strides:, padding:, wStd:, bStd:, parameterization:)}: a
     * locally connected layer (unshared filters), see {@link ConvLocal}.
     */
    public static ConvLocal convLocal(Map<String, ?> options, int channels) {
        Options o = new Options("convLocal", options, "filter", "strides", "padding", "wStd", "bStd", "parameterization");
        int[] filter = o.ints("filter", null);
        if (filter == null) {
            throw new IllegalArgumentException("convLocal needs filter: [size], [height, width] or [depth, height, width]");
        }
        return new ConvLocal(channels, filter, o.ints("strides", null), o.padding(), o.number("wStd", 1.0),
                o.number("bStd", 0.0), o.parameterization());
    }

    /**
     * {@code convTranspose(channels, filter: [3] | [3, 3] | [3, 3, 3], strides:, padding:, wStd:, bStd:, parameterization:)}:
     * a transposed convolution (neural-tangents' ConvTranspose), see {@link ConvTranspose}.
     */
    public static ConvTranspose convTranspose(Map<String, ?> options, int channels) {
        Options o = new Options("convTranspose", options, "filter", "strides", "padding", "wStd", "bStd", "parameterization");
        int[] filter = o.ints("filter", null);
        if (filter == null) {
            throw new IllegalArgumentException("convTranspose needs filter: [size], [height, width] or [depth, height, width]");
        }
        return new ConvTranspose(channels, filter, o.ints("strides", null), o.padding(), o.number("wStd", 1.0),
                o.number("bStd", 0.0), o.parameterization());
    }

    /**
     * {@code imageResize(shape: [H, W], method: 'linear'|'nearest')}: resizes the spatial axes (−1 keeps an axis), see
     * {@link ImageResize}.
     */
    public static ImageResize imageResize(Map<String, ?> options) {
        new Options("imageResize", options, "shape", "method");
        Object m = options.get("method");
        return new ImageResize(options.get("shape") == null ? null : Options.toInts("imageResize shape", options.get("shape")),
                m == null ? ImageResize.Method.LINEAR : ImageResize.Method.named(String.valueOf(m)));
    }

    /**
     * {@code aggregate(pattern: A)} ({@code A[i, j]}: weight of the edge i → j, shape (V, V) or (X…, X…)) or
     * {@code aggregate(edges: [[tail, head], …])}: graph aggregation, one graph for all examples, see {@link Aggregate}.
     */
    public static Aggregate aggregate(Map<String, ?> options) {
        new Options("aggregate", options, "pattern", "edges");
        if (options.isEmpty()) {
            return Aggregate.perExample();
        }
        if (options.containsKey("pattern") == options.containsKey("edges")) {
            throw new IllegalArgumentException("aggregate takes pattern: [[...]] (a V x V adjacency) or edges: [[tail, head], ...], one of "
                    + "them (or neither: aggregate() reads the graph of each example, pattern: of net.apply/net.kernel)");
        }
        if (options.containsKey("pattern")) {
            return Aggregate.pattern(Options.array("aggregate pattern", options.get("pattern")));
        }
        Object e = options.get("edges");
        if (!(e instanceof List<?> list)) {
            throw new IllegalArgumentException("aggregate edges: " + e + " is not a list of [tail, head] pairs");
        }
        int[][] edges = new int[list.size()][];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = Options.toInts("aggregate edges", list.get(i));
        }
        return Aggregate.edges(edges);
    }

    /**
     * {@code aggregate()}: graph aggregation with the graph of each example (neural-tangents' per-example {@code pattern}),
     * given as {@code pattern:} to {@code net.apply}, {@code net.kernel} and the empirical words, see {@link Aggregate}.
     */
    public static Aggregate aggregate() {
        return Aggregate.perExample();
    }

    /**
     * {@code dotGeneral(rhs: c | [v…] | [[M…]], axis: a)}: multiplication by a constant number, or contraction of spatial
     * axis a with a constant vector or matrix; {@code dotGeneral(rhs: T | lhs: T, dimensionNumbers: [[[..], [..]], [[..], [..]]])}:
     * jax's {@code dot_general} with a constant on either side, see {@link DotGeneral}.
     */
    public static DotGeneral dotGeneral(Map<String, ?> options) {
        Options o = new Options("dotGeneral", options, "rhs", "lhs", "axis", "dimensionNumbers");
        if (options.containsKey("rhs") == options.containsKey("lhs")) {
            throw new IllegalArgumentException("dotGeneral needs rhs: or lhs: (a number or an array; the inputs are the other operand), "
                    + "one of them");
        }
        boolean lhs = options.containsKey("lhs");
        Tensor constant = Options.array("dotGeneral " + (lhs ? "lhs" : "rhs"), options.get(lhs ? "lhs" : "rhs"));
        if (options.containsKey("dimensionNumbers")) {
            if (options.containsKey("axis")) {
                throw new IllegalArgumentException("dotGeneral: give axis: (short form) or dimensionNumbers:, not both");
            }
            return DotGeneral.general(constant, lhs, dimensionNumbers(options.get("dimensionNumbers")));
        }
        if (lhs && constant.rank() > 0) {
            throw new IllegalArgumentException("dotGeneral with an lhs array needs dimensionNumbers: [[[lhs contracting...], "
                    + "[input contracting...]], [[lhs batch...], [input batch...]]]");
        }
        if (constant.rank() > 0 && !options.containsKey("axis")) {
            throw new IllegalArgumentException("dotGeneral with a vector or matrix rhs needs axis: (the spatial axis it contracts) or "
                    + "dimensionNumbers: [[[input contracting...], [rhs contracting...]], [[input batch...], [rhs batch...]]]");
        }
        return new DotGeneral(constant, (int) o.number("axis", 1));
    }

    /** jax's {@code dimension_numbers} {@code [[[c…], [c…]], [[b…], [b…]]]} as nested int arrays. */
    private static int[][][] dimensionNumbers(Object v) {
        String form = "dotGeneral dimensionNumbers: needs [[[lhs contracting...], [rhs contracting...]], [[lhs batch...], [rhs batch...]]]";
        if (!(v instanceof List<?> outer) || outer.size() != 2) {
            throw new IllegalArgumentException(form + ", got " + v);
        }
        int[][][] d = new int[2][2][];
        for (int i = 0; i < 2; i++) {
            if (!(outer.get(i) instanceof List<?> pair) || pair.size() != 2) {
                throw new IllegalArgumentException(form + ", got " + v);
            }
            for (int j = 0; j < 2; j++) {
                if (!(pair.get(j) instanceof List<?> axes) || !axes.stream().allMatch(a -> a instanceof Number)) {
                    throw new IllegalArgumentException(form + ", got " + v);
                }
                d[i][j] = axes.stream().mapToInt(a -> ((Number) a).intValue()).toArray();
            }
        }
        return d;
    }

    /**
     * {@code index(axis: a, at: i)} or {@code index(axis: a, start:, stop:, step:)}: one position or a Python slice of
     * spatial axis a, see {@link Index}.
     */
    public static Index index(Map<String, ?> options) {
        Options o = new Options("index", options, "axis", "at", "start", "stop", "step");
        if (!options.containsKey("axis")) {
            throw new IllegalArgumentException("index needs axis: (a spatial axis, 1 ... d or negative from -2)");
        }
        return new Index((int) o.number("axis", 0), o.integer("at"), o.integer("start"), o.integer("stop"), o.integer("step"));
    }

    /** {@code avgPool(window, strides: …, padding: …)} with {@code window} an int or a list. */
    public static AvgPool avgPool(Map<String, ?> options, Object window) {
        Options o = new Options("avgPool", options, "strides", "padding");
        return new AvgPool(Options.toInts("avgPool window", window), o.ints("strides", null), o.padding());
    }

    /** {@code sumPool(window, strides: …, padding: …)} with {@code window} an int or a list. */
    public static SumPool sumPool(Map<String, ?> options, Object window) {
        Options o = new Options("sumPool", options, "strides", "padding");
        return new SumPool(Options.toInts("sumPool window", window), o.ints("strides", null), o.padding());
    }

    /** {@code avgPool([2, 2])}: a window given as a list; stride 1, VALID. */
    public static AvgPool avgPool(List<? extends Number> window) {
        return new AvgPool(Options.toInts("avgPool window", window), null, Padding.VALID);
    }

    /** {@code sumPool([2, 2])}: a window given as a list; stride 1, VALID. */
    public static SumPool sumPool(List<? extends Number> window) {
        return new SumPool(Options.toInts("sumPool window", window), null, Padding.VALID);
    }

    /** {@code fanInConcat(axis: -1)}. */
    public static FanInConcat fanInConcat(Map<String, ?> options) {
        Options o = new Options("fanInConcat", options, "axis");
        return new FanInConcat((int) o.number("axis", -1));
    }

    /**
     * The spatial axis (0-based among the spatial axes) that the {@code axis} option of {@code word} names for
     * per-example input shape {@code in} (positions…, channels): 1 … d or negative from -2; the channel axis is refused
     * in one line ({@code verb} says what the layer would do to it), as is an axis out of range.
     */
    static int spatialAxis(String word, String verb, int axis, int[] in) {
        int d = in.length - 1;
        int a = axis < 0 ? axis + d + 2 : axis;
        if (a == d + 1) {
            throw new IllegalArgumentException(word + ": axis " + axis + " is the channel axis; the kernel treats the channels as "
                    + "infinitely many, so " + verb + " a spatial axis");
        }
        if (a < 1 || a > d) {
            throw new IllegalArgumentException(word + ": axis " + axis + " is not a spatial axis of inputs " + Arrays.toString(in)
                    + " (spatial axes 1 ... " + d + ", or negative from -2)");
        }
        return a - 1;
    }

    /** An array option (a tensor or nested lists of numbers), one-line errors naming {@code what}. */
    static Tensor arrayOption(String what, Object v) {
        return Options.array(what, v);
    }

    /** Named-argument parsing with clear errors. */
    private static final class Options {
        private final String word;
        private final Map<String, ?> values;

        Options(String word, Map<String, ?> values, String... allowed) {
            this.word = word;
            this.values = values;
            Set<String> ok = new HashSet<>(Arrays.asList(allowed));
            for (String k : values.keySet()) {
                if (!ok.contains(k)) {
                    throw new IllegalArgumentException(word + " has no option '" + k + "' (options: "
                            + String.join(", ", allowed) + ")");
                }
            }
        }

        double number(String key, double fallback) {
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException(word + " option " + key + ": " + v + " is not a number");
            }
            if (!Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException(word + " option " + key + ": " + v + " is not a finite number");
            }
            return n.doubleValue();
        }

        double required(String key) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException(word + " needs " + key + ":");
            }
            return number(key, Double.NaN);
        }

        boolean bool(String key, boolean fallback) {
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Boolean b)) {
                throw new IllegalArgumentException(word + " option " + key + ": " + v + " is not true or false");
            }
            return b;
        }

        /** A one-argument function: a {@link DoubleUnaryOperator} or a Groovy closure. */
        DoubleUnaryOperator unary(String key) {
            Object v = values.get(key);
            if (v == null || v instanceof DoubleUnaryOperator) {
                return (DoubleUnaryOperator) v;
            }
            if (v instanceof groovy.lang.Closure<?> cl) {
                return x -> toDouble(key, cl.call(x));
            }
            throw new IllegalArgumentException(word + " option " + key + ": not a function { x -> ... }");
        }

        /** A function of (Σ12, Σ11, Σ22): an {@link Elementwise.NngpFunction} or a Groovy closure of three arguments. */
        Elementwise.NngpFunction nngpFunction(String key) {
            Object v = values.get(key);
            if (v == null || v instanceof Elementwise.NngpFunction) {
                return (Elementwise.NngpFunction) v;
            }
            if (v instanceof groovy.lang.Closure<?> cl && cl.getMaximumNumberOfParameters() == 3) {
                return (c, v1, v2) -> toDouble(key, cl.call(c, v1, v2));
            }
            throw new IllegalArgumentException(word + " option " + key + ": not a function { cov12, var1, var2 -> ... }");
        }

        private double toDouble(String key, Object r) {
            if (!(r instanceof Number n)) {
                throw new IllegalArgumentException(word + " option " + key + " returned " + r + ", not a number");
            }
            return n.doubleValue();
        }

        int[] ints(String key, int[] fallback) {
            Object v = values.get(key);
            return v == null ? fallback : toInts(word + " option " + key, v);
        }

        /** An integer option, or null when absent. */
        Integer integer(String key) {
            Object v = values.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException(word + " option " + key + ": " + v + " is not an integer");
            }
            return n.intValue();
        }

        /** A number, a (nested, rectangular) list of numbers, a {@code double[]}/{@code double[][]} or a tensor, as a tensor. */
        static Tensor array(String what, Object v) {
            if (v instanceof Tensor t) {
                return t;
            }
            if (v instanceof Number n) {
                return Tensor.scalar(n.doubleValue());
            }
            if (v instanceof double[] d) {
                return Tensor.of(d.clone(), d.length);
            }
            if (v instanceof double[][] d) {
                return Tensor.of(d);
            }
            List<Integer> shape = new java.util.ArrayList<>();
            Object cur = v;
            while (cur instanceof List<?> l) {
                if (l.isEmpty()) {
                    throw new IllegalArgumentException(what + ": " + v + " has an empty list");
                }
                shape.add(l.size());
                cur = l.get(0);
            }
            if (shape.isEmpty()) {
                throw new IllegalArgumentException(what + ": " + v + " is not a number or a list of numbers");
            }
            int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
            int size = 1;
            for (int d : dims) {
                size *= d;
            }
            double[] data = new double[size];
            fill(what, v, dims, 0, data, 0);
            return Tensor.of(data, dims);
        }

        private static int fill(String what, Object v, int[] dims, int axis, double[] data, int at) {
            if (axis == dims.length) {
                if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    throw new IllegalArgumentException(what + ": " + v + " is not a finite number");
                }
                data[at] = n.doubleValue();
                return at + 1;
            }
            if (!(v instanceof List<?> l) || l.size() != dims[axis]) {
                throw new IllegalArgumentException(what + ": the nested lists are not rectangular (expected shape "
                        + Arrays.toString(dims) + ")");
            }
            for (Object item : l) {
                at = fill(what, item, dims, axis + 1, data, at);
            }
            return at;
        }

        static int[] toInts(String what, Object v) {
            if (v instanceof Number n) {
                return new int[] {n.intValue()};
            }
            if (v instanceof int[] a) {
                return a.clone();
            }
            if (v instanceof List<?> list) {
                int[] out = new int[list.size()];
                for (int i = 0; i < out.length; i++) {
                    if (!(list.get(i) instanceof Number n)) {
                        throw new IllegalArgumentException(what + ": " + v + " is not a list of integers");
                    }
                    out[i] = n.intValue();
                }
                return out;
            }
            throw new IllegalArgumentException(what + ": " + v + " is not an integer or a list of integers");
        }

        Padding padding() {
            Object v = values.get("padding");
            return v == null ? Padding.VALID : v instanceof Padding p ? p : Padding.parse(v.toString());
        }

        Parameterization parameterization() {
            Object v = values.get("parameterization");
            return v == null ? Parameterization.NTK : v instanceof Parameterization p ? p : Parameterization.parse(v.toString());
        }
    }

    // ------------------------------------------------------------------ activations

    /** The DSL word {@code relu()}. */
    public static Relu relu() {
        return new Relu();
    }

    /** The DSL word {@code leakyRelu(alpha)}. */
    public static LeakyRelu leakyRelu(double alpha) {
        return new LeakyRelu(alpha);
    }

    /** The DSL word {@code abs()}. */
    public static Abs abs() {
        return new Abs();
    }

    /** The DSL word {@code erf()}. */
    public static Erf erf() {
        return new Erf();
    }

    /** The DSL word {@code gelu()}. */
    public static Gelu gelu() {
        return new Gelu();
    }

    /** The DSL word {@code sin()}. */
    public static Sin sin() {
        return new Sin();
    }

    /** The DSL word {@code cos()}. */
    public static Cos cos() {
        return new Cos();
    }

    /** The DSL word {@code rbf(gamma)}. */
    public static Rbf rbf(double gamma) {
        return new Rbf(gamma);
    }

    /** The DSL word {@code sign()}. */
    public static Sign sign() {
        return new Sign();
    }

    /** The DSL word {@code monomial(degree)}. */
    public static Monomial monomial(int degree) {
        return new Monomial(degree);
    }

    /** The DSL word {@code rectifiedMonomial(degree)}. */
    public static RectifiedMonomial rectifiedMonomial(int degree) {
        return new RectifiedMonomial(degree);
    }

    /** The DSL word {@code tanh()}. */
    public static Tanh tanh() {
        return new Tanh();
    }

    /** The DSL word {@code sigmoid()}. */
    public static Sigmoid sigmoid() {
        return new Sigmoid();
    }

    /** {@code elementwise { x -> … }}: derivative by central finite differences. */
    public static Elementwise elementwise(DoubleUnaryOperator f) {
        return new Elementwise(f, null);
    }

    /** {@code elementwise} with an exact derivative. */
    public static Elementwise elementwise(DoubleUnaryOperator f, DoubleUnaryOperator derivative) {
        return new Elementwise(f, derivative);
    }

    // ------------------------------------------------------------------ parameterised activations (neural-tangents' stax)

    /** {@code erf(a: 1, b: 1, c: 0)}: {@code a·erf(b·x) + c}. */
    public static Erf erf(Map<String, ?> options) {
        Options o = new Options("erf", options, "a", "b", "c");
        return new Erf(o.number("a", 1), o.number("b", 1), o.number("c", 0));
    }

    /** {@code sin(a: 1, b: 1, c: 0)}: {@code a·sin(b·x + c)}. */
    public static Sin sin(Map<String, ?> options) {
        Options o = new Options("sin", options, "a", "b", "c");
        return new Sin(o.number("a", 1), o.number("b", 1), o.number("c", 0));
    }

    /** {@code cos(a: 1, b: 1, c: 0)}: {@code a·cos(b·x + c)}. */
    public static Cos cos(Map<String, ?> options) {
        Options o = new Options("cos", options, "a", "b", "c");
        return new Cos(o.number("a", 1), o.number("b", 1), o.number("c", 0));
    }

    /** {@code abRelu(a, b)}: slope a for x < 0, b for x > 0. */
    public static ABRelu abRelu(double a, double b) {
        return new ABRelu(a, b);
    }

    /** {@code abRelu(a: …, b: …)}. */
    public static ABRelu abRelu(Map<String, ?> options) {
        Options o = new Options("abRelu", options, "a", "b");
        return new ABRelu(o.required("a"), o.required("b"));
    }

    /** {@code gelu(approximate: false)}: the tanh approximation when true. */
    public static Gelu gelu(Map<String, ?> options) {
        Options o = new Options("gelu", options, "approximate");
        return new Gelu(o.bool("approximate", false));
    }

    /** {@code exp()}: {@code e^x}. */
    public static Exp exp() {
        return new Exp(1, 1);
    }

    /** {@code exp(a: 1, b: 1)}: {@code a·e^{b·x}}. */
    public static Exp exp(Map<String, ?> options) {
        Options o = new Options("exp", options, "a", "b");
        return new Exp(o.number("a", 1), o.number("b", 1));
    }

    /** {@code gaussianBump()}: {@code e^{−x²}}. */
    public static GaussianBump gaussianBump() {
        return new GaussianBump(1, -1);
    }

    /** {@code gaussianBump(a: 1, b: -1)}: {@code a·e^{b·x²}} (neural-tangents' Gaussian). */
    public static GaussianBump gaussianBump(Map<String, ?> options) {
        Options o = new Options("gaussianBump", options, "a", "b");
        return new GaussianBump(o.number("a", 1), o.number("b", -1));
    }

    /** {@code expNormalized()}: gamma 1, shift −1, no clipping. */
    public static ExpNormalized expNormalized() {
        return new ExpNormalized(1, -1, false);
    }

    /** {@code expNormalized(gamma: 1, shift: -1, clip: false)} (kernel only). */
    public static ExpNormalized expNormalized(Map<String, ?> options) {
        Options o = new Options("expNormalized", options, "gamma", "shift", "clip");
        return new ExpNormalized(o.number("gamma", 1), o.number("shift", -1), o.bool("clip", false));
    }

    /** {@code polynomial([p0, p1, …])}: {@code Σ_j p_j x^j}. */
    public static Polynomial polynomial(List<? extends Number> coefficients) {
        double[] p = new double[coefficients.size()];
        for (int j = 0; j < p.length; j++) {
            p[j] = coefficients.get(j).doubleValue();
        }
        return new Polynomial(p);
    }

    /** {@code polynomial(p0, p1, …)} (Java). */
    public static Polynomial polynomial(double... coefficients) {
        return new Polynomial(coefficients);
    }

    /** {@code hermite(degree)}: {@code He_degree/√(degree!)}. */
    public static Hermite hermite(int degree) {
        return new Hermite(degree);
    }

    /**
     * {@code elementwise(fn: { x -> … }, derivative: { x -> … }, nngp: { c, v1, v2 -> … }, dNngp: { c, v1, v2 -> … }, name: '…')}:
     * any of them optional except one of {@code fn}/{@code nngp}; see {@link Elementwise}.
     */
    public static Elementwise elementwise(Map<String, ?> options) {
        Options o = new Options("elementwise", options, "fn", "derivative", "nngp", "dNngp", "name");
        Object name = options.get("name");
        return new Elementwise(o.unary("fn"), o.unary("derivative"), name == null ? "elementwise" : name.toString(),
                o.nngpFunction("nngp"), o.nngpFunction("dNngp"));
    }

    /** {@code elementwise(nngp: …) { x -> … }}: the closure is {@code fn}. */
    public static Elementwise elementwise(Map<String, ?> options, DoubleUnaryOperator f) {
        if (options.containsKey("fn")) {
            throw new IllegalArgumentException("elementwise: fn given twice (as fn: and as the closure)");
        }
        Map<String, Object> all = new java.util.LinkedHashMap<>(options);
        all.put("fn", f);
        return elementwise(all);
    }
}
