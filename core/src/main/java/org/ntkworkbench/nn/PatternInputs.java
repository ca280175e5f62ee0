package org.ntkworkbench.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.tensor.Tensor;

/**
 * A model whose inputs carry each example's graph as trailing channels ({@link Graphs#bind}): the first {@code c}
 * channels are the input, the next {@code extra} channels of every position hold the example's pattern, flattened
 * row-major (zero-filled past its end). The forward pass splits them and runs the model with the pattern in the
 * {@link ApplyContext}; the analytic kernel runs the model's kernel with the patterns. Parameters, shapes and paths
 * are the model's.
 */
final class PatternInputs implements Layer {
    private final Layer model;
    private final Double maskConstant;
    private final int c;
    private final int extra;
    private final int[] patternShape;

    PatternInputs(Layer model, Double maskConstant, int c, int extra, int[] patternShape) {
        this.model = model;
        this.maskConstant = maskConstant;
        this.c = c;
        this.extra = extra;
        this.patternShape = patternShape.clone();
    }

    /** {@code x (n, …, c)} with {@code p (n, patternShape…)} appended as {@code extra} channels per position. */
    Tensor augment(Tensor x, Tensor p) {
        int n = x.dim(0);
        if (p.dim(0) != n) {
            throw new IllegalArgumentException("pattern: " + p.shapeString() + " has " + p.dim(0) + " graphs but the batch "
                    + x.shapeString() + " has " + n + " examples");
        }
        int q = x.size() / Math.max(1, n * c), size = p.size() / n, w = c + extra;
        double[] xv = x.data(), pv = p.data(), out = new double[n * q * w];
        for (int e = 0; e < n; e++) {
            for (int pos = 0; pos < q; pos++) {
                System.arraycopy(xv, (e * q + pos) * c, out, (e * q + pos) * w, c);
                for (int t = 0; t < extra; t++) {
                    int k = pos * extra + t;
                    if (k < size) {
                        out[(e * q + pos) * w + c + t] = pv[e * size + k];
                    }
                }
            }
        }
        int[] s = x.shape();
        s[s.length - 1] = w;
        return Tensor.of(out, s);
    }

    /** The input part {@code (n, …, c)} of an augmented batch. */
    private Tensor inputs(Tensor a) {
        check(a.shape(), 1);
        int n = a.dim(0), w = c + extra, q = a.size() / Math.max(1, n * w);
        double[] av = a.data(), out = new double[n * q * c];
        for (int r = 0; r < n * q; r++) {
            System.arraycopy(av, r * w, out, r * c, c);
        }
        int[] s = a.shape();
        s[s.length - 1] = c;
        return Tensor.of(out, s);
    }

    /** The patterns {@code (n, patternShape…)} of an augmented batch. */
    private Tensor patterns(Tensor a) {
        int n = a.dim(0), w = c + extra, q = a.size() / Math.max(1, n * w);
        int size = Arrays.stream(patternShape).reduce(1, (x, y) -> x * y);
        double[] av = a.data(), out = new double[n * size];
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < size; k++) {
                int pos = k / extra, t = k % extra;
                out[e * size + k] = av[(e * q + pos) * w + c + t];
            }
        }
        int[] s = new int[patternShape.length + 1];
        s[0] = n;
        System.arraycopy(patternShape, 0, s, 1, patternShape.length);
        return Tensor.of(out, s);
    }

    private void check(int[] shape, int from) {
        if (shape.length <= from || shape[shape.length - 1] != c + extra) {
            throw new IllegalArgumentException("inputs bound to their graphs must have " + (c + extra) + " channels, got "
                    + Arrays.toString(shape));
        }
    }

    private List<int[]> unbound(List<int[]> shapes) {
        if (shapes.size() != 1) {
            throw new IllegalArgumentException("pattern: is supported for models with one input (got " + shapes.size() + ")");
        }
        int[] s = shapes.get(0).clone();
        check(s, 0);
        s[s.length - 1] = c;
        return List.of(s);
    }

    private Layer inner() {
        return maskConstant == null ? model : model.masked(maskConstant);
    }

    @Override
    public String word() {
        return model.word();
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        return model.outputShapes(unbound(inputShapes));
    }

    @Override
    public List<int[]> outputShapes(String path, List<int[]> inputShapes) {
        return model.outputShapes(path, unbound(inputShapes));
    }

    @Override
    public List<int[]> init(String path, List<int[]> inputShapes, long seed, Map<String, Tensor> params) {
        return model.init(path, unbound(inputShapes), seed, params);
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("pattern: is supported for models with one input (got " + inputs.size() + ")");
        }
        Var a = inputs.get(0);
        check(a.shape(), 1);
        // The input channels by a per-example gather (differentiable in the inputs; the graph channels are data).
        int[] s = a.shape();
        int w = c + extra, q = a.value().size() / Math.max(1, s[0] * w);
        int[] index = new int[q * c];
        for (int pos = 0; pos < q; pos++) {
            for (int ch = 0; ch < c; ch++) {
                index[pos * c + ch] = pos * w + ch;
            }
        }
        int[] per = Arrays.copyOfRange(s, 1, s.length);
        per[per.length - 1] = c;
        Var x = org.ntkworkbench.autodiff.Ops.gather(a, index, per);
        return inner().apply(ctx.withPattern(patterns(a.value())), path, List.of(x));
    }

    /**
     * The model's analytic kernel of the input part, with the graphs read back from the inputs (and this wrapper's
     * mask constant); every input form of {@link Layer#kernel(Tensor, Tensor)} ends here.
     */
    @Override
    public Kernel kernel(List<Tensor> x1s, List<Tensor> x2s, KernelRequest request) {
        if (x1s.size() != 1 || (x2s != null && x2s.size() != 1)) {
            throw new IllegalArgumentException("pattern: is supported for models with one input (got " + x1s.size() + ")");
        }
        Tensor a = x1s.get(0), b = x2s == null ? null : x2s.get(0);
        boolean itself = b == null || b == a;
        List<Tensor> in2 = itself ? null : List.of(inputs(b));
        return model.kernel(List.of(inputs(a)), in2,
                request.withMaskConstant(maskConstant).withPatterns(patterns(a), itself ? null : patterns(b)));
    }

    /** Kernels carry no inputs to take graphs from: use {@link #kernel(Tensor, Tensor)}. */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        throw new IllegalArgumentException("a model bound to per-example graphs takes them from its inputs: compute its kernel from inputs");
    }

    @Override
    public SpatialDiagonal spatialDiagonal() {
        return model.spatialDiagonal();
    }

    @Override
    public String toString() {
        return model.toString();
    }
}
