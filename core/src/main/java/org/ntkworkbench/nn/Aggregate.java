package org.ntkworkbench.nn;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.tensor.Tensor;

/**
 * Graph aggregation (neural-tangents' {@code Aggregate}, the graph NTK of Du et al. 2019): the positions of the
 * input {@code (n, spatial…, C)} are the nodes of a graph ({@code V} = number of positions, flattened row-major;
 * all spatial axes are aggregated, as neural-tangents' default), and every node becomes the weighted sum of its
 * predecessors: {@code out[j, c] = Σ_i A[i, j] x[i, c]} ({@code A[i, j]}: the weight of the edge i → j; 0 = no
 * edge; add {@code A[j, j] = 1} for a node to keep its own features). No parameters.
 *
 * <p><b>How the graph enters.</b> Either one graph for every example, given to the word:
 * {@code aggregate(pattern: A)} with {@code A} of shape {@code (V, V)} (or {@code (X…, X…)}, neural-tangents'
 * dense form without the batch axis), or {@code aggregate(edges: [[tail, head], …])} (neural-tangents' sparse
 * form: weight 1 per listed edge, repeats add, an edge with a negative index is padding and ignored); inputs and
 * kernels stay plain arrays, so this form works everywhere a model does ({@code --model}, row-block kernels,
 * engines). Or (session 5) a graph per example, neural-tangents' form: {@code aggregate()} takes the graphs that
 * travel with the examples, {@code pattern} of shape {@code (n, V, V)} or {@code (n, X…, X…)} ({@code A[e, i, j]}:
 * edge i → j of example e) given as {@code net.apply(params, x, pattern: A)}, {@code net.kernel(x1, x2,
 * pattern: [A1, A2])} (neural-tangents' {@code pattern=(A1, A2)}) and the empirical / Monte Carlo / predict words
 * alike; the kernel carries them ({@link Kernel#pattern1()}), the forward pass reads them from the
 * {@link ApplyContext}. The pattern indexes the positions of this layer's input (several aggregate layers read the
 * same pattern, as in neural-tangents). Without a pattern, {@code aggregate()} refuses in one line (neural-tangents
 * would return its input unchanged).
 *
 * <p><b>Masks.</b> As neural-tangents (its {@code Aggregate} keeps the mask and remasks): a masked node stays
 * masked, and masked nodes send zeros (every layer reads masked positions as 0), so padding nodes of a graph are
 * inert.
 *
 * <p><b>Kernel.</b> A fixed linear map of positions, so exactly {@code Σ′[j, j′] = Σ_{i,i′} A[i, j] A[i′, j′] Σ[i, i′]}
 * ({@code Aᵀ Σ A}) per pair of examples, Θ and the covariances alike ({@link PairAxes#mapPositions}); with graphs per
 * example {@code Σ′[a, b] = A1[a]ᵀ Σ[a, b] A2[b]} ({@link PairAxes#mapPositionsPerExample}). It mixes
 * positions, so it needs every position pair.
 * <p>The map of a nonlinearity's outputs is not Gaussian, and the next nonlinearity's kernel assumes Gaussian inputs:
 * put a dense or conv layer in between ({@link Serial} refuses that order, as neural-tangents does; see docs/math-notes.md).
 */
public final class Aggregate extends UnaryLayer {
    private final Tensor pattern;
    private final int[][] edges;

    private Aggregate(Tensor pattern, int[][] edges) {
        this.pattern = pattern;
        this.edges = edges;
    }

    /**
     * Aggregation with the graphs that travel with the examples ({@code aggregate()}; neural-tangents' {@code Aggregate()}
     * with {@code pattern} passed to {@code apply_fn} / {@code kernel_fn}).
     */
    public static Aggregate perExample() {
        return new Aggregate(null, null);
    }

    /** True when this layer reads the per-example graphs rather than one graph of its own. */
    public boolean perExampleGraphs() {
        return pattern == null && edges == null;
    }

    /** Aggregation with a dense pattern {@code A[i, j]} (edge i → j) of shape {@code (V, V)} or {@code (X…, X…)}. */
    public static Aggregate pattern(Tensor pattern) {
        if (pattern == null || pattern.rank() < 2 || pattern.rank() % 2 != 0) {
            throw new IllegalArgumentException("aggregate pattern: needs a (V, V) or (X..., X...) array, got "
                    + (pattern == null ? "nothing" : pattern.shapeString()));
        }
        for (double v : pattern.data()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("aggregate pattern: " + v + " is not a finite number");
            }
        }
        return new Aggregate(pattern, null);
    }

    /** Aggregation along edges {@code [tail, head]} (flat node indices) of weight 1; negative indices are ignored. */
    public static Aggregate edges(int[][] edges) {
        for (int[] e : edges) {
            if (e.length != 2) {
                throw new IllegalArgumentException("aggregate edges: each edge is [tail, head], got " + Arrays.toString(e));
            }
        }
        return new Aggregate(null, Arrays.stream(edges).map(int[]::clone).toArray(int[][]::new));
    }

    @Override
    public String word() {
        return "aggregate";
    }

    @Override
    public int[] outputShape(int[] in) {
        int[] spatial = spatialOf(in);
        if (!perExampleGraphs()) {
            matrix(spatial);
        }
        return in.clone();
    }

    private static int[] spatialOf(int[] in) {
        if (in.length < 2) {
            throw new IllegalArgumentException("aggregate needs nodes on spatial axes and a channel axis, (V, C) or (X..., C) per "
                    + "example, got " + Arrays.toString(in));
        }
        return Arrays.copyOf(in, in.length - 1);
    }

    /** The V × V pattern {@code A[i, j]} for nodes laid out on {@code spatial}, checked against it. */
    double[] matrix(int[] spatial) {
        int v = PairLayout.positions(spatial);
        if (pattern != null) {
            int[] s = pattern.shape();
            boolean square = s.length == 2 && s[0] == v && s[1] == v;
            boolean spatialForm = s.length == 2 * spatial.length;
            for (int a = 0; spatialForm && a < spatial.length; a++) {
                spatialForm = s[a] == spatial[a] && s[a + spatial.length] == spatial[a];
            }
            if (!square && !spatialForm) {
                throw new IllegalArgumentException("aggregate pattern of shape " + pattern.shapeString() + " does not fit "
                        + v + " nodes on spatial shape " + Arrays.toString(spatial) + " (needs (V, V) or (X..., X...))");
            }
            return pattern.data().clone();
        }
        double[] a = new double[v * v];
        for (int[] e : edges) {
            if (e[0] < 0 || e[1] < 0) {
                continue;
            }
            if (e[0] >= v || e[1] >= v) {
                throw new IllegalArgumentException("aggregate edge " + Arrays.toString(e) + " names a node beyond the " + v
                        + " nodes of spatial shape " + Arrays.toString(spatial));
            }
            a[e[0] * v + e[1]] += 1;
        }
        return a;
    }

    /** The map of positions {@code R = Aᵀ}: {@code out[j] = Σ_i R[j, i] x[i]}. */
    private double[] map(int[] spatial) {
        double[] a = matrix(spatial);
        int v = PairLayout.positions(spatial);
        double[] r = new double[v * v];
        for (int i = 0; i < v; i++) {
            for (int j = 0; j < v; j++) {
                r[j * v + i] = a[i * v + j];
            }
        }
        return r;
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] s = x.shape();
        int[] spatial = spatialOf(Arrays.copyOfRange(s, 1, s.length));
        if (!perExampleGraphs()) {
            return PositionMaps.apply(x, map(spatial), spatial);
        }
        // out[e, j, c] = Σ_i A[e, i, j] x[e, i, c]: (n, C, V) times the batched (n, V, V) pattern.
        int n = s[0], c = s[s.length - 1], v = PairLayout.positions(spatial);
        Tensor a = perExamplePattern(ctx.pattern(), n, spatial, "the batch");
        Var moved = org.ntkworkbench.autodiff.Ops.permute(x.reshape(n, v, c), 0, 2, 1);
        Var mapped = org.ntkworkbench.autodiff.Ops.matmul(moved, Var.of(a.reshape(n, v, v)));
        return org.ntkworkbench.autodiff.Ops.permute(mapped, 0, 2, 1).reshape(s);
    }

    /** {@code Aᵀ Σ A} on every pair of examples, or {@code A1[a]ᵀ Σ[a, b] A2[b]} per example (see the class comment). */
    @Override
    public Kernel kernel(Kernel in) {
        if (in.spatial().length == 0) {
            throw new IllegalArgumentException("aggregate needs nodes on spatial axes, (n, V, C) inputs; got a dense kernel");
        }
        if (!perExampleGraphs()) {
            return PairAxes.mapPositions(in, map(in.spatial()), in.spatial(), "aggregate");
        }
        int[] spatial = in.spatial();
        double[][] r1 = transposes(perExamplePattern(in.pattern1(), in.n1(), spatial, "x1"), in.n1(), spatial);
        double[][] r2 = in.x1IsX2() ? r1 : transposes(perExamplePattern(in.pattern2(), in.n2(), spatial, "x2"), in.n2(), spatial);
        return PairAxes.mapPositionsPerExample(in, r1, r2, spatial, "aggregate");
    }

    /** Keeps the masks (neural-tangents' Aggregate: masked nodes stay masked; they send zeros). */
    @Override
    public Tensor outputMask(Tensor mask) {
        return mask;
    }

    /**
     * The per-example pattern {@code p} checked against {@code n} examples on nodes {@code spatial}: {@code (n, V, V)} or
     * {@code (n, X…, X…)}, finite; refused in one line when missing (per-example {@code aggregate()} without a pattern).
     */
    static Tensor perExamplePattern(Tensor p, int n, int[] spatial, String whose) {
        if (p == null) {
            throw new IllegalArgumentException("aggregate() takes its graphs from the examples, but " + whose + " has none: give "
                    + "pattern: (n, V, V) per batch (net.apply(params, x, pattern: A), net.kernel(x1, x2, pattern: [A1, A2])), or "
                    + "one graph for all examples with aggregate(pattern: A) / aggregate(edges: [...])");
        }
        int v = PairLayout.positions(spatial);
        int[] s = p.shape();
        boolean flat = s.length == 3 && s[1] == v && s[2] == v;
        boolean spatialForm = s.length == 1 + 2 * spatial.length;
        for (int a = 0; spatialForm && a < spatial.length; a++) {
            spatialForm = s[1 + a] == spatial[a] && s[1 + a + spatial.length] == spatial[a];
        }
        if ((!flat && !spatialForm) || s[0] != n) {
            throw new IllegalArgumentException("aggregate: the pattern of " + whose + " has shape " + p.shapeString() + " but "
                    + n + " examples with nodes " + Arrays.toString(spatial) + " need (" + n + ", " + v + ", " + v
                    + ") or (n, X..., X...)");
        }
        for (double d : p.data()) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("aggregate: the pattern of " + whose + " holds " + d + ", not a finite number");
            }
        }
        return p;
    }

    /** Example e's map of positions {@code R[e] = A[e]ᵀ} ({@code out[j] = Σ_i A[e, i, j] x[i]}). */
    private static double[][] transposes(Tensor p, int n, int[] spatial) {
        int v = PairLayout.positions(spatial);
        double[] a = p.data();
        double[][] r = new double[n][v * v];
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < v; i++) {
                for (int j = 0; j < v; j++) {
                    r[e][j * v + i] = a[(e * v + i) * v + j];
                }
            }
        }
        return r;
    }

    @Override
    public String toString() {
        if (perExampleGraphs()) {
            return "aggregate()";
        }
        if (edges != null) {
            StringBuilder b = new StringBuilder("aggregate(edges: [");
            for (int i = 0; i < edges.length; i++) {
                b.append(i > 0 ? ", " : "").append(Arrays.toString(edges[i]));
            }
            return b.append("])").toString();
        }
        return "aggregate(pattern: " + PositionMaps.literal(pattern) + ")";
    }
}
