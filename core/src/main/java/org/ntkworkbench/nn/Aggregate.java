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
 * <p><b>How the graph enters.</b> The pattern is given to the word, one graph for every example:
 * {@code aggregate(pattern: A)} with {@code A} of shape {@code (V, V)} (or {@code (X…, X…)}, neural-tangents'
 * dense form without the batch axis), or {@code aggregate(edges: [[tail, head], …])} (neural-tangents' sparse
 * form: weight 1 per listed edge, repeats add, an edge with a negative index is padding and ignored). Inputs and
 * kernels stay plain arrays, so the layer works everywhere a model does ({@code --model}, row-block kernels,
 * engines). Graphs that differ per example need the pattern to travel with each example (neural-tangents'
 * {@code pattern=(A1, A2)} keyword of {@code kernel_fn}), which this workbench does not carry yet.
 *
 * <p><b>Kernel.</b> A fixed linear map of positions, so exactly {@code Σ′[j, j′] = Σ_{i,i′} A[i, j] A[i′, j′] Σ[i, i′]}
 * ({@code Aᵀ Σ A}) per pair of examples, Θ and the covariances alike ({@link PairAxes#mapPositions}). It mixes
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
        matrix(spatialOf(in));
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
        return PositionMaps.apply(x, map(spatial), spatial);
    }

    /** {@code Aᵀ Σ A} on every pair of examples (see the class comment). */
    @Override
    public Kernel kernel(Kernel in) {
        if (in.spatial().length == 0) {
            throw new IllegalArgumentException("aggregate needs nodes on spatial axes, (n, V, C) inputs; got a dense kernel");
        }
        return PairAxes.mapPositions(in, map(in.spatial()), in.spatial(), "aggregate");
    }

    @Override
    public String toString() {
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
