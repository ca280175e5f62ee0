package org.ntkworkbench.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.tensor.Tensor;

/**
 * Global (all positions attend to all positions) multi-head scaled dot-product self-attention, as
 * neural-tangents' {@code GlobalSelfAttention} (Hron, Bahri, Sohl-Dickstein and Novak 2020, "Infinite
 * attention: NNGP and NTK for deep attention networks"), with its positional embeddings ({@link PositionalEmbedding}) and input masks (masked keys excluded, {@link #outputMask}).
 *
 * <p><b>Forward pass</b> (NTK parameterization, every weight N(0, 1)): inputs {@code (n, P…, C)} with the
 * positions flattened to Q, for each head h: keys {@code k = x K_h}, queries {@code q = x Q_h} (with
 * {@code linearScaling} the query weights are the key weights, {@code Q_h = K_h}), logits
 * {@code G = qkᵀ · σ_QK / (C · d_k^s)} with {@code s = 1} (linear scaling) or {@code ½} (standard), attention
 * {@code A = φ(G)} ({@code softmax} over the key positions, {@code identity}, {@code relu} or {@code abs}),
 * head output {@code A (x V_h)}; the heads concatenated and {@code out = heads·O · σ_OV/√(d_v H C) + bStd·b}.
 * Parameters {@code K}, {@code Q} {@code (H, C, d_k)}, {@code V} {@code (H, C, d_v)}, {@code O}
 * {@code (H·d_v, C_out)}, {@code b} {@code (C_out)} (no {@code Q} with linear scaling, no {@code b} when
 * bStd = 0). {@code σ_QK = wQueryStd·wKeyStd} and {@code σ_OV = wOutStd·wValueStd} enter only as products.
 *
 * <p><b>Kernel rule</b>, the limit of infinitely many heads and key/value channels (and infinitely wide
 * inputs, i.e. the input kernel is the limit one), in two cases:
 * <ul>
 *   <li><b>{@code linearScaling: true}</b> (any mechanism). Assumptions: the 1/d_k scaling makes the logits
 *   converge to their mean, which is zero for independent key and query weights; tying them
 *   ({@code Q_h = K_h}) makes the limit {@code G(x) = σ_QK Σ(x, x)} deterministic per example, so
 *   {@code A(x) = φ(σ_QK Σ(x, x))} (Q×Q, softmax over its rows) and the output is Gaussian:
 *   {@code Σ′(x, x′) = σ_OV² A(x) Σ(x, x′) A(x′)ᵀ + bStd²} and
 *   {@code Θ′ = σ_OV² A(x) Θ(x, x′) A(x′)ᵀ + 2 σ_OV² A(x) Σ(x, x′) A(x′)ᵀ + bStd²} (the factor 2: the value
 *   and output weights; the key weights' gradient and the input's effect on A vanish in the limit).</li>
 *   <li><b>{@code linearScaling: false}, {@code attention: 'identity'}</b> (independent keys and queries,
 *   1/√d_k). Then {@code E[G(x)G(x′)]} is exact at any width and the output tends to a Gaussian as the
 *   heads → ∞: with {@code d(x, x′) = Σ_{p,q} Σ(x, x′)[p,q]²} and {@code e = Σ_{p,q} Σ[p,q]Θ[p,q]},
 *   {@code Σ′ = σ_QK²σ_OV² d·Σ + bStd²} and
 *   {@code Θ′ = σ_QK²σ_OV² (2e·Σ + d·(Θ + 4Σ)) + bStd²} (the 4: query, key, value and output weights; 2e: the
 *   input's effect through queries and keys).</li>
 * </ul>
 * Standard 1/√d_k scaling with softmax (or relu/abs) has no known closed form (neural-tangents refuses it
 * too): the forward pass works, {@code kernel} throws {@link NoKernelRuleException}. The rule needs every
 * position pair of each example with itself, so it never runs on diagonal spatial kernels.
 */
public final class GlobalSelfAttention extends UnaryLayer {

    /** The attention nonlinearity φ applied to the logits. */
    public enum Mechanism {
        /** Softmax over the key positions (each row of A sums to 1). */
        SOFTMAX,
        /** φ(g) = g. */
        IDENTITY,
        /** φ(g) = max(g, 0). */
        RELU,
        /** φ(g) = |g|. */
        ABS;

        /** The mechanism a DSL option names ({@code 'softmax'}, {@code 'identity'}, {@code 'relu'}, {@code 'abs'}). */
        public static Mechanism named(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("globalSelfAttention attention: '" + s + "' is not softmax, identity, relu or abs");
            }
        }
    }

    private final int outChannels;
    private final int keyChannels;
    private final int valueChannels;
    private final int heads;
    private final boolean linearScaling;
    private final Mechanism mechanism;
    private final double qkStd;
    private final double ovStd;
    private final double bStd;
    private final PositionalEmbedding posEmb;

    /**
     * Attention with {@code outChannels} output channels, {@code heads} heads of {@code keyChannels} key/query and
     * {@code valueChannels} value channels; {@code qkStd = wQueryStd·wKeyStd}, {@code ovStd = wOutStd·wValueStd}.
     */
    public GlobalSelfAttention(int outChannels, int keyChannels, int valueChannels, int heads, boolean linearScaling,
                               Mechanism mechanism, double qkStd, double ovStd, double bStd) {
        this(outChannels, keyChannels, valueChannels, heads, linearScaling, mechanism, qkStd, ovStd, bStd, PositionalEmbedding.NONE);
    }

    /** As above, with positional embeddings {@code posEmb} (see {@link PositionalEmbedding}). */
    public GlobalSelfAttention(int outChannels, int keyChannels, int valueChannels, int heads, boolean linearScaling,
                               Mechanism mechanism, double qkStd, double ovStd, double bStd, PositionalEmbedding posEmb) {
        if (outChannels < 1 || keyChannels < 1 || valueChannels < 1 || heads < 1) {
            throw new IllegalArgumentException("globalSelfAttention channels, keyChannels, valueChannels and heads must be positive, got "
                    + outChannels + ", " + keyChannels + ", " + valueChannels + ", " + heads);
        }
        if (!Double.isFinite(qkStd) || !Double.isFinite(ovStd) || !Double.isFinite(bStd)) {
            throw new IllegalArgumentException("globalSelfAttention standard deviations must be finite");
        }
        this.outChannels = outChannels;
        this.keyChannels = keyChannels;
        this.valueChannels = valueChannels;
        this.heads = heads;
        this.linearScaling = linearScaling;
        this.mechanism = mechanism;
        this.qkStd = qkStd;
        this.ovStd = ovStd;
        this.bStd = bStd;
        this.posEmb = posEmb;
    }

    /**
     * neural-tangents' positional embeddings of {@code GlobalSelfAttention}: a trainable embedding {@code E}
     * {@code (Q, channels)}, drawn N(0, 1) and used as {@code e = wStd · L E} with {@code L Lᵀ = R}, the fixed
     * positional covariance {@code R[p, q] = exp(−decay · Σ_i |p_i − q_i|^pNorm)} (the identity when {@code decay}
     * is 0, nt's {@code pos_emb_decay_fn=None}). {@code SUM} adds e to the inputs (channels must equal the input's);
     * {@code CONCAT} appends it as extra channels. Keys and queries always see it; values only with
     * {@code values = true} (nt's {@code val_pos_emb}). Infinite-width: the input kernel the keys/queries see is
     * {@code κ_x·Σ + κ_e·R} (and {@code κ_x·Θ + κ_e·R}, the embedding being a parameter) with
     * {@code κ_x = 1, κ_e = wStd²} for SUM and {@code κ_x = C/(C + C_e), κ_e = wStd²·C_e/(C + C_e)} for CONCAT.
     *
     * @param type     {@code NONE}, {@code SUM} or {@code CONCAT}
     * @param channels the embedding's channels (CONCAT; 0 = the input's channels)
     * @param wStd     the embedding's standard deviation (nt's {@code W_pos_emb_std})
     * @param decay    the decay rate of R with distance (0 = identity R)
     * @param pNorm    the power p of the distance {@code Σ |p_i − q_i|^p}
     * @param values   whether the values see the embedding too
     */
    public record PositionalEmbedding(String type, int channels, double wStd, double decay, double pNorm, boolean values) {
        /** No positional embedding. */
        public static final PositionalEmbedding NONE = new PositionalEmbedding("none", 0, 1, 0, 2, false);

        /** Checks the arguments in one line each. */
        public PositionalEmbedding {
            if (!List.of("none", "sum", "concat").contains(type)) {
                throw new IllegalArgumentException("globalSelfAttention posEmb: '" + type + "' is not 'none', 'sum' or 'concat'");
            }
            if (channels < 0 || !(wStd >= 0) || !Double.isFinite(wStd) || !(decay >= 0) || !Double.isFinite(decay) || !(pNorm > 0)) {
                throw new IllegalArgumentException("globalSelfAttention posEmbChannels must be >= 0, wPosEmbStd and posEmbDecay finite "
                        + "and >= 0, posEmbPNorm > 0; got " + channels + ", " + wStd + ", " + decay + ", " + pNorm);
            }
            if ("sum".equals(type) && channels != 0) {
                throw new IllegalArgumentException("globalSelfAttention posEmbChannels is for posEmb: 'concat' (a summed embedding has the "
                        + "input's channels)");
            }
        }

        boolean used() {
            return !"none".equals(type);
        }

        /** The embedding's channels for an input with {@code c} channels. */
        int channelsFor(int c) {
            return channels == 0 ? c : channels;
        }

        /** The fixed positional covariance R {@code (Q×Q, row-major)} over the positions of {@code spatial}. */
        double[] covariance(int[] spatial) {
            int q = 1;
            for (int d : spatial) {
                q *= d;
            }
            double[] r = new double[q * q];
            for (int a = 0; a < q; a++) {
                for (int b = 0; b < q; b++) {
                    double dist = 0;
                    int ia = a, ib = b;
                    for (int ax = spatial.length - 1; ax >= 0; ax--) {
                        dist += Math.pow(Math.abs(ia % spatial[ax] - ib % spatial[ax]), pNorm);
                        ia /= spatial[ax];
                        ib /= spatial[ax];
                    }
                    r[a * q + b] = decay == 0 ? (a == b ? 1 : 0) : Math.exp(-decay * dist);
                }
            }
            return r;
        }

        /** The lower Cholesky factor of R (the finite embedding's correlation); one line when R is not positive definite. */
        double[] cholesky(int[] spatial) {
            double[] r = covariance(spatial);
            int q = (int) Math.round(Math.sqrt(r.length));
            double[] l = new double[r.length];
            for (int i = 0; i < q; i++) {
                for (int j = 0; j <= i; j++) {
                    double sum = r[i * q + j];
                    for (int k = 0; k < j; k++) {
                        sum -= l[i * q + k] * l[j * q + k];
                    }
                    if (i == j) {
                        if (!(sum > 1e-12)) {
                            throw new IllegalArgumentException("globalSelfAttention posEmbDecay: " + decay + " with posEmbPNorm: " + pNorm
                                    + " gives a positional covariance that is not positive definite over " + Arrays.toString(spatial)
                                    + " positions; use a larger decay or posEmbPNorm: 1");
                        }
                        l[i * q + i] = Math.sqrt(sum);
                    } else {
                        l[i * q + j] = sum / l[j * q + j];
                    }
                }
            }
            return l;
        }

        @Override
        public String toString() {
            return "posEmb: '" + type + "', posEmbChannels: " + channels + ", wPosEmbStd: " + wStd + ", posEmbDecay: " + decay
                    + ", posEmbPNorm: " + pNorm + ", valPosEmb: " + values;
        }
    }

    @Override
    public String word() {
        return "globalSelfAttention";
    }

    /** The number of heads. */
    public int heads() {
        return heads;
    }

    /** The attention mechanism. */
    public Mechanism mechanism() {
        return mechanism;
    }

    /** True for 1/d_k scaling with tied key and query weights. */
    public boolean linearScaling() {
        return linearScaling;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1 || in[in.length - 1] < 1) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(in) + " has no channel axis");
        }
        int[] out = in.clone();
        out[out.length - 1] = outChannels;
        return out;
    }

    @Override
    protected void initParams(String path, int[] in, long seed, Map<String, Tensor> params) {
        int c = in[in.length - 1];
        int ck = keyInputChannels(c), cv = valueInputChannels(c);
        put(params, seed, Params.key(path, "K"), heads, ck, keyChannels);
        if (!linearScaling) {
            put(params, seed, Params.key(path, "Q"), heads, ck, keyChannels);
        }
        put(params, seed, Params.key(path, "V"), heads, cv, valueChannels);
        put(params, seed, Params.key(path, "O"), heads * valueChannels, outChannels);
        if (bStd != 0) {
            put(params, seed, Params.key(path, "b"), outChannels);
        }
        if (posEmb.used()) {
            int q = 1;
            for (int a = 0; a < in.length - 1; a++) {
                q *= in[a];
            }
            put(params, seed, Params.key(path, "E"), q, posEmb.channelsFor(c));
        }
    }

    /** The channels keys and queries read: the input's, plus the embedding's when concatenated. */
    private int keyInputChannels(int c) {
        return "concat".equals(posEmb.type()) ? c + posEmb.channelsFor(c) : c;
    }

    /** The channels values read: the input's, plus the embedding's when concatenated and {@code valPosEmb}. */
    private int valueInputChannels(int c) {
        return "concat".equals(posEmb.type()) && posEmb.values() ? c + posEmb.channelsFor(c) : c;
    }

    private static void put(Map<String, Tensor> params, long seed, String key, int... shape) {
        params.put(key, Params.normal(seed, key, shape));
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        return forward(ctx, path, x, null);
    }

    /**
     * Masked inputs (neural-tangents' attention masks): a masked position is excluded as a key (its logits are
     * −∞ before the softmax, 0 before identity/relu/abs, as nt) and its query output is masked (zeroed by the next
     * layer). A positional embedding is zeroed at masked positions (nt), so its covariance R is masked too.
     */
    @Override
    public Tensor outputMask(Tensor mask) {
        return mask;
    }

    /** Per example, 1 at unmasked and 0 at masked positions ({@code null} without a mask). */
    private static double[][] keeps(Tensor mask, int n, int q) {
        if (mask == null) {
            return null;
        }
        double[][] k = new double[n][q];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < q; p++) {
                k[i][p] = mask.data()[i * q + p] == 0 ? 1 : 0;
            }
        }
        return k;
    }

    @Override
    public MaskedFlow applyMasked(ApplyContext ctx, String path, MaskedFlow in) {
        Tensor mask = in.masks().get(0);
        Tensor out = mask == null ? null : outputMask(mask);
        return new MaskedFlow(List.of(forward(ctx, path, in.zeroedValues().get(0), mask)), java.util.Collections.singletonList(out));
    }

    /**
     * Per example and key position: 1 when the key takes part, 0 when it is masked; an example with every position
     * masked keeps all keys (nt's −1e20 logits give the uniform softmax there; its values are all zero anyway).
     */
    private static double[] keyWeights(Tensor mask, int n, int q) {
        double[] k = new double[n * q];
        for (int i = 0; i < n; i++) {
            boolean all = true;
            for (int p = 0; p < q; p++) {
                k[i * q + p] = mask == null || mask.data()[i * q + p] == 0 ? 1 : 0;
                all &= k[i * q + p] == 0;
            }
            if (all) {
                Arrays.fill(k, i * q, (i + 1) * q, 1);
            }
        }
        return k;
    }

    private Var forward(ApplyContext ctx, String path, Var x, Tensor mask) {
        int[] shape = x.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(shape) + " needs an example axis and a channel axis");
        }
        int n = shape[0], c = shape[shape.length - 1];
        int q = x.value().size() / Math.max(1, n * c);
        Var h = x.reshape(n, q, c);
        Var hk = h, hv = h;
        if (posEmb.used()) {
            // e = wStd · L E (Q, C_e), the same for every example; L L^T = R, the fixed positional covariance.
            int ce = posEmb.channelsFor(c);
            int[] spatial = Arrays.copyOfRange(shape, 1, shape.length - 1);
            Var e = Ops.matmul(Var.of(Tensor.of(posEmb.cholesky(spatial), q, q)), ctx.param(Params.key(path, "E"), q, ce), posEmb.wStd());
            if (mask != null) {
                // nt: the embedding is zeroed at masked positions (per example).
                e = Ops.mul(Var.of(org.ntkworkbench.kernel.Masks.keep(mask).reshape(n, q, 1)), e);
            }
            if ("sum".equals(posEmb.type())) {
                hk = h.add(e);
            } else {
                hk = Ops.concat(2, List.of(h, Var.of(Tensor.zeros(n, 1, 1)).add(e)));
            }
            hv = posEmb.values() ? hk : h;
        }
        int ck = hk.shape()[2], cv = hv.shape()[2];
        Var keys = project(hk, ctx.param(Params.key(path, "K"), heads, ck, keyChannels), n, q, keyChannels);
        Var queries = linearScaling ? keys : project(hk, ctx.param(Params.key(path, "Q"), heads, ck, keyChannels), n, q, keyChannels);
        double norm = ck * (linearScaling ? keyChannels : Math.sqrt(keyChannels));
        Var logits = Ops.matmul(queries, Ops.permute(keys, 0, 1, 3, 2), qkStd / norm); // (n, H, Q, Q)
        Var attention = attend(logits, mask == null ? null : Tensor.of(keyWeights(mask, n, q), n, 1, 1, q));
        Var values = project(hv, ctx.param(Params.key(path, "V"), heads, cv, valueChannels), n, q, valueChannels);
        Var mixed = Ops.permute(Ops.matmul(attention, values), 0, 2, 1, 3).reshape(n, q, heads * valueChannels);
        Var out = Ops.matmul(mixed, ctx.param(Params.key(path, "O"), heads * valueChannels, outChannels),
                ovStd / Math.sqrt((double) valueChannels * heads * cv));
        if (bStd != 0) {
            out = out.add(ctx.param(Params.key(path, "b"), outChannels).scale(bStd));
        }
        int[] outShape = shape.clone();
        outShape[outShape.length - 1] = outChannels;
        return out.reshape(outShape);
    }

    /** {@code h (n, Q, C)} times per-head weights {@code (H, C, d)}: {@code (n, H, Q, d)}. */
    private Var project(Var h, Var w, int n, int q, int d) {
        int c = h.shape()[2];
        Var flat = Ops.permute(w, 1, 0, 2).reshape(c, heads * d);
        return Ops.permute(Ops.matmul(h, flat).reshape(n, q, heads, d), 0, 2, 1, 3);
    }

    /** {@code φ(g)} over the key axis (last); {@code keys} (n, 1, 1, Q): 0 for masked keys (weight 0), or null. */
    private Var attend(Var g, Tensor keys) {
        if (keys != null && mechanism != Mechanism.SOFTMAX) {
            g = Ops.mul(g, Var.of(keys)); // masked keys' logits are 0 (φ(0) = 0 for identity, relu, abs)
        }
        return switch (mechanism) {
            case IDENTITY -> g;
            case RELU -> Ops.relu(g);
            case ABS -> Ops.map(g, "abs", Math::abs, v -> Math.signum(v));
            case SOFTMAX -> {
                // Shift by each row's maximum (a constant: softmax is shift-invariant, so gradients are exact).
                Tensor v = g.value();
                int[] s = v.shape();
                int len = s[s.length - 1];
                int rows = v.size() / len;
                int[] keep = s.clone();
                keep[keep.length - 1] = 1;
                double[] mx = new double[rows];
                int perExample = rows / s[0];
                for (int r = 0; r < rows; r++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int e = 0; e < len; e++) {
                        if (keys == null || keys.data()[(r / perExample) * len + e] != 0) {
                            m = Math.max(m, v.data()[r * len + e]);
                        }
                    }
                    mx[r] = m;
                }
                Var e = Ops.map(g.sub(Var.of(Tensor.of(mx, keep))), "exp", Math::exp, Math::exp);
                if (keys != null) {
                    e = Ops.mul(e, Var.of(keys)); // masked keys: exp(−∞) = 0
                }
                yield e.div(Ops.sum(e, new int[] {s.length - 1}, true));
            }
        };
    }

    @Override
    public String toString() {
        return "globalSelfAttention(" + outChannels + ", keyChannels: " + keyChannels + ", valueChannels: " + valueChannels
                + ", heads: " + heads + ", linearScaling: " + linearScaling + ", attention: '"
                + mechanism.name().toLowerCase(Locale.ROOT) + "', qkStd: " + qkStd + ", ovStd: " + ovStd + ", bStd: " + bStd
                + (posEmb.used() ? ", " + posEmb : "") + ")";
    }

    /** The infinite-head limit (see the class comment); the output kernel has {@code outChannels} channels. */
    /** Fresh Gaussian weights over infinitely many inputs: the output is Gaussian whatever the input. */
    @Override
    public Gaussianity gaussianityAfter(Gaussianity in) {
        return Gaussianity.GAUSSIAN;
    }

    @Override
    public Kernel kernel(Kernel in) {
        if (!linearScaling && mechanism != Mechanism.IDENTITY) {
            throw new NoKernelRuleException(word() + "(linearScaling: false, attention: '" + mechanism.name().toLowerCase(Locale.ROOT)
                    + "') (no closed form is known; use linearScaling: true or attention: 'identity')");
        }
        if (in.diagonalSpatial()) {
            throw new IllegalArgumentException("globalSelfAttention needs the covariances between all positions of each example, but the "
                    + "kernel keeps only same-position pairs (diagonalSpatial); compute it with diagonalSpatial: false");
        }
        PairLayout lay = in.layout();
        int q = lay.positions(), block = lay.block();
        int[] flat = new int[block];
        for (int m = 0; m < block; m++) {
            flat[m] = lay.posA(m) * q + lay.posB(m);
        }
        // Positional embeddings: keys/queries see kx·K + ke·R; values too with valPosEmb (see PositionalEmbedding).
        double kx = 1, ke = 0;
        double[] r = null;
        if (posEmb.used()) {
            r = posEmb.covariance(in.spatial());
            ke = posEmb.wStd() * posEmb.wStd();
            if ("concat".equals(posEmb.type())) {
                if (in.channels() < 1) {
                    throw new IllegalArgumentException("globalSelfAttention posEmb: 'concat' needs the input's channel count, which this kernel "
                            + "does not carry");
                }
                double c = in.channels(), ce = posEmb.channelsFor(in.channels());
                kx = c / (c + ce);
                ke *= ce / (c + ce);
            }
        }
        Interp keysSee = new Interp(kx, ke, r, flat), valuesSee = posEmb.values() ? keysSee : new Interp(1, 0, null, flat);
        int n1 = in.n1(), n2 = in.n2();
        double w2 = ovStd * ovStd, b2 = bStd * bStd;
        double[] nngp = new double[n1 * n2 * block];
        double[] ntk = in.ntk() == null ? null : new double[nngp.length];
        double[] cov1, cov2;
        double[] nIn = in.nngp().data(), tIn = in.ntk() == null ? null : in.ntk().data();
        boolean same = in.cov2() == in.cov1();
        double[][] keep1 = keeps(in.mask1(), n1, q), keep2 = keeps(in.mask2(), n2, q);
        if (linearScaling) {
            double[][] a1 = attentionWeights(blocks(in.cov1(), n1, block, flat, q, keysSee, keep1), keyWeights(in.mask1(), n1, q));
            double[][] a2 = same ? a1 : attentionWeights(blocks(in.cov2(), n2, block, flat, q, keysSee, keep2), keyWeights(in.mask2(), n2, q));
            for (int i = 0; i < n1; i++) {
                for (int j = 0; j < n2; j++) {
                    int base = (i * n2 + j) * block;
                    Interp vs = valuesSee.pair(keep1 == null ? null : keep1[i], keep2 == null ? null : keep2[j]);
                    double[] sig = sandwich(a1[i], gather(nIn, base, block, flat, q, vs), a2[j], q);
                    double[] th = tIn == null ? null : sandwich(a1[i], gather(tIn, base, block, flat, q, vs), a2[j], q);
                    for (int m = 0; m < block; m++) {
                        nngp[base + m] = w2 * sig[flat[m]] + b2;
                        if (ntk != null) {
                            ntk[base + m] = w2 * th[flat[m]] + 2 * w2 * sig[flat[m]] + b2;
                        }
                    }
                }
            }
            cov1 = selfCov(blocks(in.cov1(), n1, block, flat, q, valuesSee, keep1), a1, q, block, flat, w2, b2);
            cov2 = same ? cov1 : selfCov(blocks(in.cov2(), n2, block, flat, q, valuesSee, keep2), a2, q, block, flat, w2, b2);
        } else {
            // Queries and keys independent: E[G(x)_pq G(x')_p'q'] = σ_QK² K[p,p'] K[q,q'] with K what they see (nt's rule).
            double std2 = qkStd * qkStd * w2;
            Interp keysSeeAll = keysSee, valuesSeeAll = valuesSee;
            for (int i = 0; i < n1; i++) {
                for (int j = 0; j < n2; j++) {
                    int base = (i * n2 + j) * block;
                    double[] ki = keep1 == null ? null : keep1[i], kj = keep2 == null ? null : keep2[j];
                    Interp ks = keysSeeAll.pair(ki, kj), vs = valuesSeeAll.pair(ki, kj);
                    double d = 0, e = 0;
                    for (int m = 0; m < block; m++) {
                        double nk = ks.at(nIn[base + m], m), nv = vs.at(nIn[base + m], m);
                        d += nk * nv;
                        if (tIn != null) {
                            e += nk * vs.at(tIn[base + m], m) + nv * ks.at(tIn[base + m], m);
                        }
                    }
                    for (int m = 0; m < block; m++) {
                        double sg = ks.at(nIn[base + m], m);
                        nngp[base + m] = std2 * d * sg + b2;
                        if (ntk != null) {
                            ntk[base + m] = std2 * (e * sg + d * (ks.at(tIn[base + m], m) + 4 * sg)) + b2;
                        }
                    }
                }
            }
            cov1 = identityCov(in.cov1().data(), n1, block, std2, b2, keysSeeAll, valuesSeeAll, keep1);
            cov2 = same ? cov1 : identityCov(in.cov2().data(), n2, block, std2, b2, keysSeeAll, valuesSeeAll, keep2);
        }
        Tensor c1 = Tensor.of(cov1, in.cov1().shape());
        Tensor c2 = same ? c1 : Tensor.of(cov2, in.cov2().shape());
        return in.withArrays(Tensor.of(nngp, in.nngp().shape()), ntk == null ? null : Tensor.of(ntk, in.nngp().shape()), c1, c2)
                .withChannels(outChannels).withGaussianity(gaussianityAfter(in.gaussianity()));
    }

    /**
     * What a projection of the inputs sees at block entry m: {@code kx·v + ke·R[pair m]} (the input plus the
     * positional embedding, whose NNGP and NTK are both R: it is the same for every example and a parameter).
     */
    private record Interp(double kx, double ke, double[] r, int[] flat) {
        double at(double v, int m) {
            return r == null ? v : kx * v + ke * r[flat[m]];
        }

        /**
         * What the projections see for a pair of examples whose positions are kept ({@code 1}) or masked ({@code 0})
         * as {@code ki}, {@code kj} ({@code null}: nothing masked): the embedding is zero at masked positions, so
         * R[p, q] becomes R[p, q]·ki[p]·kj[q] (nt masks R the same way).
         */
        Interp pair(double[] ki, double[] kj) {
            if (r == null || (ki == null && kj == null)) {
                return this;
            }
            int q = (int) Math.round(Math.sqrt(r.length));
            double[] masked = r.clone();
            for (int p = 0; p < q; p++) {
                for (int c = 0; c < q; c++) {
                    if ((ki != null && ki[p] == 0) || (kj != null && kj[c] == 0)) {
                        masked[p * q + c] = 0;
                    }
                }
            }
            return new Interp(kx, ke, masked, flat);
        }
    }

    /** Each example's Q×Q covariance (row-major flat positions), as {@code see} sees it, from a covariance array {@code (n, block)}. */
    private static double[][] blocks(Tensor cov, int n, int block, int[] flat, int q, Interp see, double[][] keep) {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = gather(cov.data(), i * block, block, flat, q, keep == null ? see : see.pair(keep[i], keep[i]));
        }
        return out;
    }

    private static double[] gather(double[] v, int base, int block, int[] flat, int q, Interp see) {
        double[] m = new double[q * q];
        for (int e = 0; e < block; e++) {
            m[flat[e]] = see.at(v[base + e], e);
        }
        return m;
    }

    /**
     * {@code A = φ(σ_QK S)} row by row for each example's covariance S; {@code keys} (n·Q): 0 for a masked key,
     * whose weight is then 0 (logit −∞ before the softmax, 0 before identity/relu/abs: the forward pass's masking).
     */
    private double[][] attentionWeights(double[][] s, double[] keys) {
        double[][] out = new double[s.length][];
        for (int i = 0; i < s.length; i++) {
            int q = (int) Math.round(Math.sqrt(s[i].length));
            double[] a = new double[q * q];
            for (int r = 0; r < q; r++) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < q; c++) {
                    double g = keys[i * q + c] == 0 ? 0 : qkStd * s[i][r * q + c];
                    a[r * q + c] = switch (mechanism) {
                        case IDENTITY, SOFTMAX -> g;
                        case RELU -> Math.max(g, 0);
                        case ABS -> Math.abs(g);
                    };
                    if (keys[i * q + c] != 0) {
                        mx = Math.max(mx, g);
                    }
                }
                if (mechanism == Mechanism.SOFTMAX) {
                    double sum = 0;
                    for (int c = 0; c < q; c++) {
                        a[r * q + c] = keys[i * q + c] == 0 ? 0 : Math.exp(a[r * q + c] - mx);
                        sum += a[r * q + c];
                    }
                    for (int c = 0; c < q; c++) {
                        a[r * q + c] /= sum;
                    }
                }
            }
            out[i] = a;
        }
        return out;
    }

    /** {@code A M Bᵀ} for Q×Q row-major matrices. */
    private static double[] sandwich(double[] a, double[] m, double[] b, int q) {
        double[] am = new double[q * q];
        for (int r = 0; r < q; r++) {
            for (int k = 0; k < q; k++) {
                double av = a[r * q + k];
                if (av == 0) {
                    continue;
                }
                for (int c = 0; c < q; c++) {
                    am[r * q + c] += av * m[k * q + c];
                }
            }
        }
        double[] out = new double[q * q];
        for (int r = 0; r < q; r++) {
            for (int c = 0; c < q; c++) {
                double s = 0;
                for (int k = 0; k < q; k++) {
                    s += am[r * q + k] * b[c * q + k];
                }
                out[r * q + c] = s;
            }
        }
        return out;
    }

    private static double[] selfCov(double[][] s, double[][] a, int q, int block, int[] flat, double w2, double b2) {
        double[] out = new double[s.length * block];
        for (int i = 0; i < s.length; i++) {
            double[] sig = sandwich(a[i], s[i], a[i], q);
            for (int m = 0; m < block; m++) {
                out[i * block + m] = w2 * sig[flat[m]] + b2;
            }
        }
        return out;
    }

    private static double[] identityCov(double[] cov, int n, int block, double std2, double b2, Interp keysSeeAll, Interp valuesSeeAll,
                                        double[][] keep) {
        double[] out = new double[cov.length];
        for (int i = 0; i < n; i++) {
            Interp keysSee = keep == null ? keysSeeAll : keysSeeAll.pair(keep[i], keep[i]);
            Interp valuesSee = keep == null ? valuesSeeAll : valuesSeeAll.pair(keep[i], keep[i]);
            double d = 0;
            for (int m = 0; m < block; m++) {
                d += keysSee.at(cov[i * block + m], m) * valuesSee.at(cov[i * block + m], m);
            }
            for (int m = 0; m < block; m++) {
                out[i * block + m] = std2 * d * keysSee.at(cov[i * block + m], m) + b2;
            }
        }
        return out;
    }
}
