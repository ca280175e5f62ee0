package org.ntkworkbench.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.DiagonalStep;
import org.ntkworkbench.kernel.EntrywiseRule;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.Masks;
import org.ntkworkbench.kernel.Symmetry;
import org.ntkworkbench.tensor.Tensor;

/**
 * A layer or a whole model (a model is just a layer value, e.g. {@code serial(dense(8), relu(), dense(1))}).
 *
 * <p>Like a neural-tangents stax layer, one class holds every meaning of a layer: its DSL
 * {@link #word()}, shape inference, parameter initialisation, the finite-width forward pass on
 * {@link Var}s (differentiable in reverse and forward mode) and the infinite-width
 * {@link #kernel(Kernel)} rule.
 *
 * <p><b>Flows.</b> Data flowing between layers is a flat list of tensors: most layers take and give
 * one; {@code fanOut(n)} gives n; {@code parallel} applies branch i to item i; {@code fanIn…}
 * combine a list into one. Shapes are per example (without the leading example axis).
 *
 * <p><b>Paths and keys.</b> A layer's path is the child indices from the root joined by {@code .}
 * ({@code ""} for the root itself); parameter keys are {@code <path>/<name>} ({@code <name>} alone
 * at the root), see {@link Params#key}. Each parameter's draws come from
 * {@code SeededRandom.derived(seed, key)}, so adding a layer never changes other layers' draws.
 */
public interface Layer {

    /** The DSL word of this layer, e.g. {@code "dense"}. */
    String word();

    /**
     * Per-example output shapes for per-example input shapes; throws {@link IllegalArgumentException}
     * naming the shapes when the inputs do not fit.
     */
    List<int[]> outputShapes(List<int[]> inputShapes);

    /**
     * {@link #outputShapes(List)} for the layer at {@code path}: combinators override it so that errors
     * inside children are located at the child's full path.
     */
    default List<int[]> outputShapes(String path, List<int[]> inputShapes) {
        return outputShapes(inputShapes);
    }

    /** The per-example output shape for a single input and single output. */
    default int[] outputShape(int[] perExampleInputShape) {
        return single(outputShapes(List.of(perExampleInputShape)), "output");
    }

    /**
     * Adds this layer's parameters (keyed under {@code path}) to {@code params}, for inputs of the given
     * per-example shapes, and returns the output shapes. The default: no parameters.
     */
    default List<int[]> init(String path, List<int[]> inputShapes, long seed, Map<String, Tensor> params) {
        return outputShapes(inputShapes);
    }

    /**
     * The differentiable forward pass of this layer at {@code path}: inputs have the example axis
     * first; parameters come from {@code ctx.param(key, expectedShape)}.
     */
    List<Var> apply(ApplyContext ctx, String path, List<Var> inputs);

    /** The forward pass for one input and one output. */
    default Var apply(ApplyContext ctx, String path, Var input) {
        return single(apply(ctx, path, List.of(input)), "output");
    }

    /**
     * The infinite-width kernel rule: maps the NNGP/NTK of this layer's input to those of its output.
     * The default derives it from {@link #entrywiseKernelRule()} ({@link EntrywiseRule#applyTo}); a layer
     * without an entrywise rule overrides this. Throws {@link NoKernelRuleException} when the layer has
     * no rule (yet).
     */
    default Kernel kernel(Kernel in) {
        EntrywiseRule rule = entrywiseKernelRule();
        if (rule == null) {
            throw new NoKernelRuleException(word());
        }
        Gaussianity after = gaussianityAfter(in.gaussianity());
        return rule.applyTo(in).withGaussianity(after);
    }

    /**
     * This layer's kernel rule in entrywise form, or {@code null} (the default) when it has none. Layers
     * whose rule maps each entry from that entry and the variances of the two slots it pairs alone (dense,
     * activations, identity) write their rule once in this form: {@link #kernel(Kernel)} is derived from
     * it, and {@link Serial} runs consecutive such layers on dense kernels as one fused pass
     * ({@link org.ntkworkbench.kernel.EntrywiseChain}).
     */
    default EntrywiseRule entrywiseKernelRule() {
        return null;
    }

    /**
     * This layer's kernel rule on the diagonal spatial layout as {@link DiagonalStep}s, for the fused per-pair
     * pass ({@link org.ntkworkbench.kernel.DiagonalChain}, which {@link Serial} runs from the inputs to a
     * flatten readout), or {@code null} when the layer has no such form. The default: the
     * {@linkplain #entrywiseKernelRule() entrywise rule}, if any, as one step.
     */
    default List<DiagonalStep> diagonalSteps() {
        EntrywiseRule rule = entrywiseKernelRule();
        return rule == null ? null : List.of(new DiagonalStep.Entrywise(rule));
    }

    /**
     * Whether this model's kernel of inputs like {@code x1} is computed on the diagonal spatial layout:
     * {@code null} chooses it where exact ({@link SpatialDiagonal#exactByDefault()}); {@code true} is refused in
     * one line when a layer needs other pairs.
     */
    default boolean diagonalLayout(Tensor x1, Boolean diagonalSpatial) {
        return diagonalLayout(spatialDiagonal(), x1.rank() > 2, diagonalSpatial);
    }

    /** {@link #diagonalLayout(Tensor, Boolean)} for a requirement and whether any input has spatial axes. */
    private static boolean diagonalLayout(SpatialDiagonal req, boolean spatialInputs, Boolean diagonalSpatial) {
        boolean diagonal = diagonalSpatial == null ? req.exactByDefault() : diagonalSpatial;
        if (diagonal && !req.allowed() && spatialInputs) {
            throw new IllegalArgumentException("diagonalSpatial: true is not exact for this model: a layer needs the "
                    + "covariances between different positions (avgPool, sumPool, globalAvgPool, globalSumPool or a plugin "
                    + "layer without a diagonal rule); use diagonalSpatial: false");
        }
        return diagonal;
    }

    /**
     * The one place that decides this layer's effect on the {@link Gaussianity} of the flow (whether it is
     * Gaussian, neural-tangents' {@code is_gaussian}, and whether its mean is zero): given the input's, returns
     * the output's. A layer whose kernel rule assumes Gaussian inputs (activations, layerNorm) throws an
     * {@link IllegalArgumentException} in one line for a non-Gaussian one ({@link #requireGaussian}). The
     * layer's kernel rule applies it to the kernel it returns, and {@link Serial} folds it over the layers it
     * runs fused. Default: kept (no fresh weights: pools, identity, fixed linear maps of positions; a plugin
     * layer's rule that builds its kernel with the {@code with…} copies also keeps it unless it sets it).
     */
    default Gaussianity gaussianityAfter(Gaussianity in) {
        return in;
    }

    /**
     * The refusal of {@link #gaussianityAfter} for a layer whose rule needs a Gaussian input: throws, in one
     * line, when {@code in} is not Gaussian.
     */
    default void requireGaussian(Gaussianity in) {
        if (!in.gaussian()) {
            throw new IllegalArgumentException(word() + " after " + in.why() + " has no kernel rule: its input is not"
                    + " Gaussian; put a dense or conv layer in between");
        }
    }

    /** The kernel rule on a list flow (default: one kernel in, one out, through {@link #kernel(Kernel)}). */
    default List<Kernel> kernels(List<Kernel> in) {
        if (in.size() != 1) {
            throw new IllegalArgumentException("layer '" + word() + "' takes one input but got " + in.size());
        }
        return List.of(kernel(in.get(0)));
    }

    // ------------------------------------------------------------------ input masks (maskConstant)

    /**
     * Neural-tangents' {@code mask_fn}: this layer's output masks for its input masks (one per flow item,
     * {@code (n, spatial…)} arrays, 1 = masked position, {@code null} = unmasked; see
     * {@link org.ntkworkbench.kernel.Masks}). It is the one statement of how the layer treats masks, used by both
     * its masked forward pass ({@link #applyMasked}) and its masked kernel rule ({@link #maskedKernels}). The
     * default refuses in one line naming the layer: a layer that does not implement masking never ignores a mask.
     */
    default List<Tensor> outputMasks(List<Tensor> masks) {
        throw Masking.refusal(word());
    }

    /**
     * The forward pass on a masked flow: the inputs with their masked positions zeroed, then {@link #apply}, with
     * the masks {@link #outputMasks} gives. Layers whose forward pass reduces over positions (globalAvgPool,
     * layerNorm over positions, attention) and combinators override it.
     */
    default MaskedFlow applyMasked(ApplyContext ctx, String path, MaskedFlow in) {
        List<Tensor> masks = outputMasks(in.masks());
        return new MaskedFlow(apply(ctx, path, in.zeroedValues()), masks);
    }

    /**
     * The kernel rule on masked kernels: the output masks ({@link #outputMasks}, refused first for layers that do
     * not implement masking), the rule {@link #kernels} (which reads the input masks where it reduces over
     * positions), then every output entry pairing a masked position zeroed
     * ({@link org.ntkworkbench.kernel.Masks#remask}: the next layer reads zeros there). Combinators override it to
     * route their children.
     */
    default List<Kernel> maskedKernels(List<Kernel> in) {
        List<Tensor> m1 = outputMasks(Masking.masks1(in));
        boolean itself = in.stream().allMatch(Kernel::x1IsX2);
        List<Tensor> m2 = itself ? m1 : outputMasks(Masking.masks2(in));
        return Masking.remasked(kernels(in), m1, m2);
    }

    // ------------------------------------------------------------------ model conveniences

    /**
     * The analytic infinite-width NNGP and NTK of this model's output (one output unit) between the
     * examples of {@code x1} and {@code x2}: {@link Kernel#fromInputs} then this model's kernel rule.
     * {@code x2 = null} means {@code x2 = x1}; then the dense result is made symmetric to the last bit
     * ({@code (K + Kᵀ)/2}, exact because floating-point addition commutes). Throws
     * {@link NoKernelRuleException} naming a layer without a rule.
     */
    default Kernel kernel(Tensor x1, Tensor x2) {
        return kernel(x1, x2, true, null);
    }

    /**
     * The analytic kernels with neural-tangents' {@code get} and {@code diagonal_spatial} choices:
     * {@code computeNtk = false} computes the NNGP only ({@code ntk()} is null; the NTK work is saved);
     * {@code diagonalSpatial} {@code null} chooses the same-position layout automatically where it is exact
     * ({@link SpatialDiagonal#exactByDefault()}: e.g. convs and activations with a flatten readout; O(Q) per
     * pair of examples instead of O(Q²)); {@code true} asks for it, refused in one line when a layer needs
     * other pairs (pooling, global pooling, plugin layers without a diagonal rule), and with a spatial
     * output the result is then the diagonal {@code (n1, n2, P…)}; {@code false} keeps all pairs.
     */
    default Kernel kernel(Tensor x1, Tensor x2, boolean computeNtk, Boolean diagonalSpatial) {
        // x2 = x1 is the kernel of x1 with itself (Symmetry.ofItself): the list form's x2s = null.
        return kernel(List.of(x1), Symmetry.ofItself(x1, x2) ? null : List.of(x2), computeNtk, diagonalSpatial);
    }

    /**
     * The analytic kernels of a model that takes <b>several inputs per example</b> (neural-tangents' lists
     * of inputs): item {@code i} of {@code x1s} (and {@code x2s}) is the batch fed to item {@code i} of the
     * input flow, e.g. to branch {@code i} of a root {@code parallel(...)}. Every item has the same number
     * of examples (axis 0); the items may differ in shape. {@code x2s = null} means {@code x2s = x1s}
     * (symmetric to the last bit). Options as {@link #kernel(Tensor, Tensor, boolean, Boolean)};
     * {@link #kernel(List, List, KernelRequest)} with {@link KernelRequest#of}.
     */
    default Kernel kernel(List<Tensor> x1s, List<Tensor> x2s, boolean computeNtk, Boolean diagonalSpatial) {
        return kernel(x1s, x2s, KernelRequest.of(computeNtk, diagonalSpatial));
    }

    /**
     * The general analytic kernel of inputs, where the list forms and every form with per-example data end ({@link Serial}
     * runs its fused passes from single plain inputs before it): each item's input kernel is taken on its own
     * ({@link Kernel#fromInputs}), then the model's rule runs on the list. The {@link KernelRequest} holds the
     * {@code get}/{@code diagonal_spatial} choices and the data that travels with each example:
     * <ul>
     *   <li>neural-tangents' {@code mask_constant} ({@link KernelRequest#maskConstant}): every input entry equal to it is
     *       zeroed, and a position whose channels all equal it is masked (the masks travel with the kernel,
     *       {@link Kernel#withMasks}, and each layer propagates them, {@link #maskedKernels});</li>
     *   <li>per-example graphs (neural-tangents' {@code pattern=(pattern1, pattern2)}): {@code pattern1}
     *       {@code (n1, V, V)} holds the graph of each example of x1, {@code pattern2} of x2 ({@code null} with
     *       {@code x2s = null}: x1's); they travel with the kernels ({@link Kernel#withPatterns}) to the per-example
     *       {@code aggregate()} layers.</li>
     * </ul>
     * {@code x2s = null} means {@code x2s = x1s} (symmetric to the last bit).
     */
    default Kernel kernel(List<Tensor> x1s, List<Tensor> x2s, KernelRequest request) {
        checkItems(x1s, x2s);
        boolean diagonal = diagonalLayout(spatialDiagonal(), x1s.stream().anyMatch(x -> x.rank() > 2), request.diagonalSpatial());
        Double maskConstant = request.maskConstant();
        Tensor pattern1 = request.pattern1(), pattern2 = request.pattern2();
        ArrayList<Kernel> in = new ArrayList<>();
        for (int i = 0; i < x1s.size(); i++) {
            Tensor a = x1s.get(i), b = x2s == null ? null : x2s.get(i);
            Kernel k;
            if (maskConstant == null) {
                k = Kernel.fromInputs(a, b, diagonal, request.computeNtk());
            } else {
                Tensor za = Masks.zeroed(a, maskConstant);
                Tensor zb = b == null ? null : Masks.zeroed(b, maskConstant);
                k = Kernel.fromInputs(za, zb, diagonal, request.computeNtk()).withMasks(Masks.of(a, maskConstant),
                        b == null ? null : Masks.of(b, maskConstant));
            }
            in.add(pattern1 == null && pattern2 == null ? k : k.withPatterns(pattern1, b == null ? pattern1 : pattern2));
        }
        Kernel out = Params.located("", this, () -> single(Masking.kernels(this, in), "output kernel"));
        return Symmetry.forInputs(out, x1s, x2s);
    }

    /** {@link #kernel(List, List, boolean, Boolean)} with both kernels and the automatic layout. */
    default Kernel kernel(List<Tensor> x1s, List<Tensor> x2s) {
        return kernel(x1s, x2s, true, null);
    }

    /** {@link #kernel(List, List)} of the input list {@code xs} with itself (symmetric to the last bit). */
    default Kernel kernel(List<Tensor> xs) {
        return kernel(xs, null);
    }

    /**
     * {@code net.kernel([xa, xb], [ya, yb], get:, diagonalSpatial:)}: {@link #kernel(Map, Tensor, Tensor)}'s
     * options for several inputs per example ({@code x2s} may be omitted or null); {@code engine:} other than
     * 'local' is refused (engines ship one input array).
     */
    default Kernel kernel(Map<String, ?> options, List<Tensor> x1s, List<Tensor> x2s) {
        Object engine = options.get("engine");
        if (engine != null && !"local".equals(String.valueOf(engine))) {
            throw new IllegalArgumentException("kernel: engine: '" + engine + "' takes one input array per example, not a list of "
                    + x1s.size() + " (use the local engine for several inputs)");
        }
        if (options.get("master") != null) {
            throw new IllegalArgumentException("kernel: master: needs engine: 'spark', which takes one input array per example");
        }
        return kernel(x1s, x2s, request(options, x2s == null));
    }

    /** {@link #kernel(Map, List, List)} of {@code xs} with itself. */
    default Kernel kernel(Map<String, ?> options, List<Tensor> xs) {
        return kernel(options, xs, null);
    }

    /** Evaluation-mode output of a model with several inputs per example (one batch per input-flow item). */
    default Tensor apply(Map<String, Tensor> params, List<Tensor> xs) {
        return single(applyAll(params, xs), "output");
    }

    /**
     * {@code net.apply(params, x, maskConstant: 0)} (Groovy named arguments): the evaluation-mode output with
     * neural-tangents' {@code mask_constant} (see {@link #kernel(List, List, KernelRequest)}): inputs
     * equal to the constant are zeroed, masked positions are propagated through the layers (each layer reads its
     * inputs with masked positions zeroed), and the output's masked positions are zero (nt's {@code unmask_fn}).
     */
    default Tensor apply(Map<String, ?> options, Map<String, Tensor> params, Tensor x) {
        return apply(options, params, List.of(x));
    }

    /** {@link #apply(Map, Map, Tensor)} for several inputs per example. */
    default Tensor apply(Map<String, ?> options, Map<String, Tensor> params, List<Tensor> xs) {
        for (String k : options.keySet()) {
            if (!"maskConstant".equals(k) && !"pattern".equals(k)) {
                throw new IllegalArgumentException("apply: unknown option '" + k + "' (known: maskConstant, pattern)");
            }
        }
        return single(applyAll(params, xs, Masking.constant("apply", options.get("maskConstant")),
                Graphs.single("apply", options.get("pattern"))), "output");
    }

    /**
     * {@link #applyAll(Map, List, Double)} with the per-example graphs {@code pattern} ({@code (n, V, V)}, neural-tangents'
     * {@code pattern} keyword of {@code apply_fn}; {@code null}: none) in the context, for per-example {@code aggregate()}.
     */
    default List<Tensor> applyAll(Map<String, Tensor> params, List<Tensor> xs, Double maskConstant, Tensor pattern) {
        ApplyContext ctx = ApplyContext.eval(ApplyContext.leaves(params));
        return evaluate(pattern == null ? ctx : ctx.withPattern(pattern), xs, maskConstant);
    }

    /** Evaluation-mode outputs with input masking by {@code maskConstant} ({@code null}: none), masked outputs zeroed. */
    default List<Tensor> applyAll(Map<String, Tensor> params, List<Tensor> xs, Double maskConstant) {
        return evaluate(ApplyContext.eval(ApplyContext.leaves(params)), xs, maskConstant);
    }

    /**
     * The one evaluation of this model as the root that every {@code applyAll} form ends in: the forward pass in
     * {@code ctx}, or with {@code maskConstant} the masked forward pass ({@link Masking#apply}) with masked outputs zeroed.
     */
    private List<Tensor> evaluate(ApplyContext ctx, List<Tensor> xs, Double maskConstant) {
        if (maskConstant == null) {
            List<Var> in = xs.stream().map(Var::of).toList();
            return Params.located("", this, () -> apply(ctx, "", in)).stream().map(Var::value).toList();
        }
        MaskedFlow in = Masking.inputs(xs, maskConstant);
        return Params.located("", this, () -> Masking.unmasked(Masking.apply(this, ctx, "", in))).stream().map(Var::value).toList();
    }

    /**
     * This model as a layer that applies input masking with {@code maskConstant} itself (inputs equal to it zeroed,
     * positions masked, masked outputs zeroed): its forward pass is what {@code apply(maskConstant:)} computes, so
     * empirical and Monte Carlo kernels of it are those of the masked network; its analytic kernel is
     * this model's kernel with {@link KernelRequest#withMaskConstant}. Same parameters as this model.
     */
    default Layer masked(double maskConstant) {
        return new MaskConstant(this, maskConstant);
    }

    private static void checkItems(List<Tensor> x1s, List<Tensor> x2s) {
        if (x1s == null || x1s.isEmpty()) {
            throw new IllegalArgumentException("kernel: the input list is empty (give one array per input of the model)");
        }
        if (x2s != null && x2s.size() != x1s.size()) {
            throw new IllegalArgumentException("kernel: x1 has " + x1s.size() + " input arrays but x2 has " + x2s.size());
        }
        for (List<Tensor> xs : x2s == null ? List.of(x1s) : List.of(x1s, x2s)) {
            for (int i = 0; i < xs.size(); i++) {
                Object x = xs.get(i);
                if (!(x instanceof Tensor t)) {
                    throw new IllegalArgumentException("kernel: input " + i + " of the list is not an array ("
                            + (x == null ? "null" : x.getClass().getSimpleName()) + ")");
                }
                if (t.rank() < 2 || t.dim(0) != xs.get(0).dim(0)) {
                    throw new IllegalArgumentException("kernel: input " + i + " of the list has shape " + t.shapeString()
                            + " but input 0 has " + xs.get(0).dim(0) + " examples (every input needs the same examples on axis 0)");
                }
            }
        }
    }

    /**
     * {@code net.kernel(x1, x2, get: 'nngp', diagonalSpatial: true, diagonalBatch: true)} (Groovy named
     * arguments; {@code x2} may be omitted or null): {@code get} is {@code 'nngp'}, {@code 'ntk'} or a list of
     * them (default both; the NTK needs the NNGP, so {@code 'ntk'} computes both); {@code diagonalSpatial}
     * as in {@link #kernel(Tensor, Tensor, boolean, Boolean)} (default: automatic); {@code diagonalBatch}
     * must be true (the default, and the only layout: every rule needs each example's covariance with itself
     * only, never the covariances between examples of one batch). {@code engine: 'spark'} (and optionally
     * {@code master: 'local[2]' | 'spark://HOST:PORT'}) computes the same dense kernel on that engine
     * ({@link KernelOffload}; the model travels as its DSL text); {@code engine: 'local'} is the default.
     */
    default Kernel kernel(Map<String, ?> options, Tensor x1, Tensor x2) {
        boolean itself = Symmetry.ofItself(x1, x2);
        KernelRequest request = request(options, itself);
        Object engine = options.get("engine");
        Object master = options.get("master");
        if (engine == null || "local".equals(String.valueOf(engine))) {
            if (master != null) {
                throw new IllegalArgumentException("kernel: master: needs engine: 'spark' (the local engine runs in this JVM)");
            }
            if (request.carriesExampleData()) {
                return kernel(List.of(x1), itself ? null : List.of(x2), request);
            }
            return kernel(x1, x2, request.computeNtk(), request.diagonalSpatial());
        }
        if (request.pattern1() != null) {
            throw new IllegalArgumentException("kernel: pattern with engine: '" + engine
                    + "' is not supported (the graphs travel with the local engine's kernels); use the local engine");
        }
        if (request.maskConstant() != null) {
            throw new IllegalArgumentException("kernel: maskConstant with engine: '" + engine
                    + "' is not supported (the masks travel with the local engine's kernels); use the local engine");
        }
        if (request.diagonalSpatial() != null) {
            throw new IllegalArgumentException("kernel: diagonalSpatial with engine: '" + engine
                    + "' is not supported (that engine computes dense (n1, n2) kernels)");
        }
        String e = String.valueOf(engine);
        return KernelOffload.find(e).kernel(this, e, master == null ? null : String.valueOf(master), x1, x2, request.computeNtk());
    }

    /**
     * The {@link KernelRequest} of the DSL's kernel options, checked in one place for every input form (names,
     * {@code get}, {@code diagonalSpatial}, {@code diagonalBatch}, {@code maskConstant}, {@code pattern}; {@code itself}:
     * no x2 was given, so one array of graphs serves both sides). The {@code engine}/{@code master} choice is the
     * caller's.
     */
    private static KernelRequest request(Map<String, ?> options, boolean itself) {
        boolean ntk = kernelOptions(options);
        Boolean diagonal = flag(options, "diagonalSpatial");
        Double maskConstant = Masking.constant("kernel", options.get("maskConstant"));
        Tensor[] patterns = Graphs.option("kernel", options.get("pattern"), itself);
        KernelRequest request = KernelRequest.of(ntk, diagonal).withMaskConstant(maskConstant);
        return patterns == null ? request : request.withPatterns(patterns[0], patterns[1]);
    }

    /**
     * Checks the kernel options (names, {@code get}, {@code diagonalSpatial}, {@code diagonalBatch}) for
     * {@link #request}; returns whether the NTK is wanted.
     */
    private static boolean kernelOptions(Map<String, ?> options) {
        for (String k : options.keySet()) {
            if (!List.of("get", "diagonalSpatial", "diagonalBatch", "engine", "master", "maskConstant", "pattern").contains(k)) {
                throw new IllegalArgumentException("kernel: unknown option '" + k
                        + "' (known: diagonalBatch, diagonalSpatial, engine, get, maskConstant, master, pattern)");
            }
        }
        Object get = options.get("get");
        List<?> wanted = get == null ? List.of("nngp", "ntk") : get instanceof List<?> l ? l : List.of(get);
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("kernel: get must name 'nngp', 'ntk' or both");
        }
        for (Object w : wanted) {
            if (!"nngp".equals(String.valueOf(w)) && !"ntk".equals(String.valueOf(w))) {
                throw new IllegalArgumentException("kernel: get: '" + w + "' is not a kernel; use 'nngp', 'ntk' or ['nngp', 'ntk']");
            }
        }
        boolean ntk = wanted.stream().anyMatch(w -> "ntk".equals(String.valueOf(w)));
        flag(options, "diagonalSpatial");
        Masking.constant("kernel", options.get("maskConstant"));
        Boolean batch = flag(options, "diagonalBatch");
        if (batch != null && !batch) {
            throw new IllegalArgumentException("kernel: diagonalBatch: false is not supported: every layer's rule needs each "
                    + "example's covariance with itself only, which is what the kernel keeps (diagonalBatch: true)");
        }
        return ntk;
    }

    /** {@link #kernel(Map, Tensor, Tensor)} of {@code x} with itself. */
    default Kernel kernel(Map<String, ?> options, Tensor x) {
        return kernel(options, x, null);
    }

    private static Boolean flag(Map<String, ?> options, String name) {
        Object v = options.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("kernel: " + name + " must be true or false, got " + v);
        }
        return b;
    }

    /**
     * This layer's {@link SpatialDiagonal} requirement: whether its kernel rule works on kernels that keep
     * only same-position pairs. The default, {@link SpatialDiagonal#NEEDS_ALL_PAIRS}, is the safe one for
     * layers that do not say (the diagonal layout is then never used below them).
     */
    default SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.NEEDS_ALL_PAIRS;
    }

    /** {@link #kernel(Tensor, Tensor)} of {@code x} with itself (symmetric to the last bit). */
    default Kernel kernel(Tensor x) {
        return kernel(x, null);
    }

    /**
     * Parameters of this model for one input of per-example shape {@code inputShapePerExample},
     * drawn deterministically from {@code seed} (same seed, same bits). Keys in model order.
     */
    default Map<String, Tensor> init(long seed, int... inputShapePerExample) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        Params.located("", this, () -> init("", List.of(inputShapePerExample), seed, params));
        return params;
    }

    /**
     * Parameters for a model whose input flow has several items (e.g. a root {@code parallel}), one
     * per-example shape per item.
     */
    default Map<String, Tensor> init(long seed, List<?> inputShapesPerExample) {
        ArrayList<int[]> shapes = new ArrayList<>();
        for (Object s : inputShapesPerExample) {
            // Groovy scripts write the shapes as lists ([[6, 2], [5]]); Java callers as int arrays.
            if (s instanceof int[] a) {
                shapes.add(a);
            } else if (s instanceof List<?> l && l.stream().allMatch(v -> v instanceof Number)) {
                shapes.add(l.stream().mapToInt(v -> ((Number) v).intValue()).toArray());
            } else {
                throw new IllegalArgumentException("init: input shape " + s + " is not a list of numbers (one per-example shape per input, "
                        + "e.g. [[6, 2], [5]])");
            }
        }
        Map<String, Tensor> params = new LinkedHashMap<>();
        Params.located("", this, () -> init("", shapes, seed, params));
        return params;
    }

    /** Evaluation-mode outputs for an input flow of several batches (one per flow item). */
    default List<Tensor> applyAll(Map<String, Tensor> params, List<Tensor> xs) {
        return evaluate(ApplyContext.eval(ApplyContext.leaves(params)), xs, null);
    }

    /** Per-example output shape of this model for one input (root-level errors name the root). */
    default int[] modelOutputShape(int... inputShapePerExample) {
        return single(Params.located("", this, () -> outputShapes("", List.of(inputShapePerExample))), "output");
    }

    /** Evaluation-mode output of this model for a batch {@code x} (examples on axis 0). */
    default Tensor apply(Map<String, Tensor> params, Tensor x) {
        return apply(ApplyContext.eval(ApplyContext.leaves(params)), Var.of(x)).value();
    }

    /** Differentiable output for parameter Vars (evaluation mode); for use inside {@code Grad.of}. */
    default Var apply(Map<String, Var> params, Var x) {
        return apply(ApplyContext.eval(params), x);
    }

    /** Differentiable output in the given context (mode, dropout seed, trace). */
    default Var apply(ApplyContext ctx, Var x) {
        return single(Params.located("", this, () -> apply(ctx, "", List.of(x))), "output");
    }

    /**
     * Forward pass recording, for every dense and conv layer, its input activations and
     * pre-activations (see {@link Trace}) in evaluation mode.
     */
    default Trace trace(Map<String, Tensor> params, Tensor x) {
        Trace trace = new Trace();
        ApplyContext ctx = ApplyContext.eval(ApplyContext.leaves(params)).withTrace(trace);
        trace.setOutput(apply(ctx, Var.of(x)));
        return trace;
    }

    private static <T> T single(List<T> items, String what) {
        if (items.size() != 1) {
            throw new IllegalArgumentException("expected one " + what + " but the flow has " + items.size() + " items");
        }
        return items.get(0);
    }
}
