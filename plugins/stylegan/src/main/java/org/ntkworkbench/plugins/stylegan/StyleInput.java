package org.ntkworkbench.plugins.stylegan;

import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code styleInput(dim: D)}: unpacks a <b>packed style input</b> into the style pair {@code [x, w]}.
 *
 * <p>The workbench's models, kernels and empirical NTKs take one input tensor, so a feature map and a
 * style vector travel together: the feature map {@code x (n, S, …, C)} gets one extra slice along its
 * first spatial axis, {@code (n, S + 1, …, C)}, whose first {@code D} entries (row-major) hold
 * {@code w (n, D)} and the rest zeros ({@code D ≤} slice size). {@link #pack} builds it.
 *
 * <p>Kernel rule (exact, no limit involved): the features kernel is the input kernel restricted to the
 * first {@code S} positions; the style kernel is {@code w·w'/D = (C/D) Σ_r K[S, S, r, r]}, the sum over
 * the diagonal position pairs of the extra slice (zeros add nothing).
 */
public final class StyleInput implements Layer {
    private final int dim;

    /** Unpacks a style vector of {@code dim} entries. */
    public StyleInput(int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("styleInput dim " + dim + " must be positive");
        }
        this.dim = dim;
    }

    /** {@code x (n, S, …, C)} and {@code w (n, D)} packed into {@code (n, S + 1, …, C)}. */
    public static Tensor pack(Tensor features, Tensor style) {
        int n = features.dim(0);
        if (style.rank() != 2 || style.dim(0) != n || features.rank() < 3) {
            throw new IllegalArgumentException("pack: features " + features.shapeString() + " (n, S, ..., C) and style "
                    + style.shapeString() + " (n, D) do not fit");
        }
        int[] shape = features.shape();
        int perEx = features.size() / n, slice = perEx / shape[1], d = style.dim(1);
        if (d > slice) {
            throw new IllegalArgumentException("pack: style dim " + d + " exceeds the slice size " + slice + " of features "
                    + features.shapeString());
        }
        shape[1] += 1;
        double[] out = new double[n * (perEx + slice)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(features.data(), i * perEx, out, i * (perEx + slice), perEx);
            System.arraycopy(style.data(), i * d, out, i * (perEx + slice) + perEx, d);
        }
        return Tensor.of(out, shape);
    }

    @Override
    public String word() {
        return "styleInput";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        if (in.size() != 1) {
            throw new IllegalArgumentException("styleInput takes one packed input, the flow has " + in.size() + " items");
        }
        int[] s = in.get(0);
        StylePairs.checkFeatures(word(), s);
        if (s[0] < 2) {
            throw new IllegalArgumentException("styleInput: packed shape " + Arrays.toString(s) + " needs at least 2 slices on its first axis");
        }
        int slice = 1;
        for (int a = 1; a < s.length; a++) {
            slice *= s[a];
        }
        if (dim > slice) {
            throw new IllegalArgumentException("styleInput: dim " + dim + " exceeds the slice size " + slice + " of packed shape " + Arrays.toString(s));
        }
        int[] x = s.clone();
        x[0] -= 1;
        return List.of(x, new int[] {dim});
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        Var p = inputs.get(0);
        int[] perEx = Arrays.copyOfRange(p.shape(), 1, p.rank());
        List<int[]> out = outputShapes(List.of(perEx));
        int featureSize = 1;
        for (int d : out.get(0)) {
            featureSize *= d;
        }
        int[] fi = new int[featureSize];
        for (int i = 0; i < featureSize; i++) {
            fi[i] = i; // the features are the leading entries of each example (row-major)
        }
        int[] wi = new int[dim];
        for (int i = 0; i < dim; i++) {
            wi[i] = featureSize + i;
        }
        return List.of(Ops.gather(p, fi, out.get(0)), Ops.gather(p, wi, dim));
    }

    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        if (in.size() != 1) {
            throw new IllegalArgumentException("styleInput takes one packed input kernel, got " + in.size());
        }
        Kernel k = in.get(0);
        int[] spatial = k.spatial();
        if (spatial.length < 1 || k.channels() < 1) {
            throw new IllegalArgumentException("styleInput needs a spatial input kernel with known channels (Kernel.fromInputs), got "
                    + k);
        }
        int s0 = spatial[0];
        int inner = 1, rest = 1;
        for (int a = 1; a < spatial.length; a++) {
            inner *= spatial[a] * spatial[a];
            rest *= spatial[a];
        }
        double scale = (double) k.channels() / dim;
        int[] xs = spatial.clone();
        xs[0] = s0 - 1;
        int[] restShape = Arrays.copyOfRange(spatial, 1, spatial.length);
        PairLayout restLayout = new PairLayout(restShape);
        int[] diag = new int[rest];
        for (int r = 0; r < rest; r++) {
            diag[r] = restLayout.diagonal(r);
        }
        Tensor f1 = cut(k.cov1(), 1, s0, inner);
        Kernel features = k.withArrays(cut(k.nngp(), 2, s0, inner), k.ntk() == null ? null : cut(k.ntk(), 2, s0, inner),
                f1, k.cov2() == k.cov1() ? f1 : cut(k.cov2(), 1, s0, inner), xs);
        Tensor sn = styleOf(k.nngp(), 2, s0, inner, diag, scale);
        Tensor c1 = styleOf(k.cov1(), 1, s0, inner, diag, scale);
        Kernel style = k.withArrays(sn, k.ntk() == null ? null : styleOf(k.ntk(), 2, s0, inner, diag, scale), c1,
                k.cov2() == k.cov1() ? c1 : styleOf(k.cov2(), 1, s0, inner, diag, scale), new int[0]).withChannels(dim);
        return List.of(features, style);
    }

    /** The sub-array of the first {@code s0 − 1} positions on both sides of the first pair axes. */
    private static Tensor cut(Tensor t, int lead, int s0, int inner) {
        int outer = 1;
        for (int a = 0; a < lead; a++) {
            outer *= t.dim(a);
        }
        int m = s0 - 1;
        double[] v = t.data(), o = new double[outer * m * m * inner];
        for (int g = 0; g < outer; g++) {
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    System.arraycopy(v, ((g * s0 + a) * s0 + b) * inner, o, ((g * m + a) * m + b) * inner, inner);
                }
            }
        }
        int[] shape = t.shape();
        shape[lead] = m;
        shape[lead + 1] = m;
        return Tensor.of(o, shape);
    }

    /** {@code scale · Σ_r t[…, S, S, r, r]}: the style kernel from the extra slice. */
    private static Tensor styleOf(Tensor t, int lead, int s0, int inner, int[] diag, double scale) {
        int outer = 1;
        int[] shape = new int[lead];
        for (int a = 0; a < lead; a++) {
            outer *= t.dim(a);
            shape[a] = t.dim(a);
        }
        double[] v = t.data(), o = new double[outer];
        int last = s0 - 1;
        for (int g = 0; g < outer; g++) {
            int base = ((g * s0 + last) * s0 + last) * inner;
            double s = 0;
            for (int d : diag) {
                s += v[base + d];
            }
            o[g] = scale * s;
        }
        return Tensor.of(o, shape);
    }

    @Override
    public String toString() {
        return "styleInput(dim: " + dim + ")";
    }
}
