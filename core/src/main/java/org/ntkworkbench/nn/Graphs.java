package org.ntkworkbench.nn;

import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.tensor.Tensor;

/**
 * Per-example graphs (neural-tangents' {@code pattern} keyword of {@code Aggregate}) on the model side: the one place
 * that reads the {@code pattern:} option of the DSL words and makes the graphs travel with the examples where only
 * the inputs travel (empirical kernels, Monte Carlo kernels, predict, row-block kernel services).
 *
 * <p>In the analytic kernel the graphs are components of the {@link org.ntkworkbench.kernel.Kernel} ({@code pattern1},
 * {@code pattern2}); in a forward pass they ride in the {@link ApplyContext}. Code that slices or re-batches inputs
 * (per-example Jacobians, row blocks) gets {@link #bind bound} inputs instead: each example's graph appended to its
 * input as extra trailing channels, read back by a wrapper layer, so a row of the input is a row of the graph.
 */
public final class Graphs {
    private Graphs() {}

    /**
     * The {@code pattern:} option as {@code [pattern1, pattern2]} ({@code null} when absent): an array
     * {@code (n, V, V)} or {@code (n, X…, X…)} for x1 (and x2 when {@code ofItself}), or a pair
     * {@code [A1, A2]} of arrays for x1 and x2 (neural-tangents' {@code pattern=(A1, A2)}); {@code what} names the word.
     */
    public static Tensor[] option(String what, Object v, boolean ofItself) {
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l && l.size() == 2 && l.stream().allMatch(o -> o instanceof Tensor)) {
            return new Tensor[] {(Tensor) l.get(0), (Tensor) l.get(1)};
        }
        Tensor p = Layers.arrayOption(what + " pattern", v);
        if (!ofItself) {
            throw new IllegalArgumentException(what + ": with x2 given, pattern: needs the graphs of both batches, [A1, A2] "
                    + "(neural-tangents' pattern=(pattern1, pattern2))");
        }
        return new Tensor[] {p, p};
    }

    /** A single batch's {@code pattern:} option (apply): one array, or {@code null} when absent. */
    public static Tensor single(String what, Object v) {
        return v == null ? null : Layers.arrayOption(what + " pattern", v);
    }

    /** A model and its inputs with the per-example graphs bound to the examples ({@link #bind}). */
    public record Bound(Layer net, Tensor x1, Tensor x2) {}

    /**
     * {@code net} (with input masking by {@code maskConstant} when not {@code null}) as a layer whose inputs carry
     * each example's graph: {@code x1}'s examples get {@code p1}'s, {@code x2}'s (may be {@code null}: x2 = x1)
     * {@code p2}'s. The bound layer has the model's parameters, shapes and kernels; its forward pass and its
     * analytic kernel read the graphs back from the inputs. Only single-input models.
     */
    public static Bound bind(Layer net, Double maskConstant, Tensor x1, Tensor p1, Tensor x2, Tensor p2) {
        if (p1 == null || (x2 != null && p2 == null)) {
            throw new IllegalArgumentException("pattern: needs the graph of every batch (x1 and x2)");
        }
        int[] shape = per(p1);
        if (x2 != null && !Arrays.equals(per(p2), shape)) {
            throw new IllegalArgumentException("pattern: the graphs of x1 " + p1.shapeString() + " and x2 " + p2.shapeString()
                    + " differ beyond the example axis");
        }
        int c = x1.dim(-1);
        int q = x1.size() / Math.max(1, x1.dim(0) * c);
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int extra = Math.max(1, (size + q - 1) / q);
        PatternInputs layer = new PatternInputs(net, maskConstant, c, extra, shape);
        return new Bound(layer, layer.augment(x1, p1), x2 == null ? null : layer.augment(x2, p2));
    }

    private static int[] per(Tensor p) {
        if (p.rank() < 2) {
            throw new IllegalArgumentException("pattern: needs an example axis and the graph, got shape " + p.shapeString());
        }
        return Arrays.copyOfRange(p.shape(), 1, p.rank());
    }
}
