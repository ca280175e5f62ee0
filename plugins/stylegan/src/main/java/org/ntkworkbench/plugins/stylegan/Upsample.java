package org.ntkworkbench.plugins.stylegan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code upsample(factor)}: nearest-neighbour upsampling of every spatial axis,
 * {@code y[p] = x[⌊p / factor⌋]}, on a feature map or on the style pair (passing the style on).
 * Kernel (exact, the map is linear and fixed): {@code Σ'[p, q] = Σ[⌊p/f⌋, ⌊q/f⌋]} per spatial axis, Θ and
 * the covariances alike.
 */
public final class Upsample implements Layer {
    private final int factor;

    /** Upsampling by {@code factor} on each spatial axis. */
    public Upsample(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("upsample factor " + factor + " must be positive");
        }
        this.factor = factor;
    }

    @Override
    public String word() {
        return "upsample";
    }

    private int[] up(int[] x) {
        int[] y = x.clone();
        for (int a = 0; a < y.length - 1; a++) {
            y[a] *= factor;
        }
        return y;
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        StylePairs.checkFeaturesOrPair(word(), in);
        List<int[]> out = new ArrayList<>(in);
        out.set(0, up(in.get(0)));
        return out;
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        Var x = inputs.get(0);
        int[] in = Arrays.copyOfRange(x.shape(), 1, x.rank());
        int[] out = up(in);
        int size = 1;
        for (int d : out) {
            size *= d;
        }
        int[] index = new int[size];
        int[] idx = new int[out.length];
        for (int i = 0; i < size; i++) {
            int rest = i;
            for (int a = out.length - 1; a >= 0; a--) {
                idx[a] = rest % out[a];
                rest /= out[a];
            }
            int src = 0;
            for (int a = 0; a < in.length; a++) {
                int v = a < in.length - 1 ? idx[a] / factor : idx[a];
                src = src * in[a] + v;
            }
            index[i] = src;
        }
        List<Var> res = new ArrayList<>(inputs);
        res.set(0, Ops.gather(x, index, out));
        return res;
    }

    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        if (in.size() == 2) {
            StylePairs.checkPairKernels(word(), in);
        } else if (in.size() != 1 || in.get(0).spatial().length < 1) {
            throw new IllegalArgumentException("upsample needs a spatial kernel (or the style pair)");
        }
        Kernel k = in.get(0);
        int[] sp = k.spatial();
        int[] outSp = sp.clone();
        for (int a = 0; a < sp.length; a++) {
            outSp[a] *= factor;
        }
        Tensor cov1 = pairs(k.cov1(), 1);
        Tensor cov2 = k.cov2() == k.cov1() ? cov1 : pairs(k.cov2(), 1);
        Kernel u = k.withArrays(pairs(k.nngp(), 2), k.ntk() == null ? null : pairs(k.ntk(), 2), cov1, cov2, outSp);
        List<Kernel> res = new ArrayList<>(in);
        res.set(0, u);
        return res;
    }

    /** Every pair axis {@code (S, S)} becomes {@code (fS, fS)} with entry {@code [p/f, q/f]}. */
    private Tensor pairs(Tensor t, int lead) {
        int[] shape = t.shape();
        int[] outShape = shape.clone();
        for (int a = lead; a < shape.length; a++) {
            outShape[a] *= factor;
        }
        int outSize = 1;
        for (int d : outShape) {
            outSize *= d;
        }
        double[] v = t.data(), o = new double[outSize];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < outSize; i++) {
            int rest = i;
            for (int a = outShape.length - 1; a >= 0; a--) {
                idx[a] = rest % outShape[a];
                rest /= outShape[a];
            }
            int src = 0;
            for (int a = 0; a < shape.length; a++) {
                src = src * shape[a] + (a < lead ? idx[a] : idx[a] / factor);
            }
            o[i] = v[src];
        }
        return Tensor.of(o, outShape);
    }

    /** The rule on a lone feature kernel ({@link #kernels} with one item). */
    @Override
    public Kernel kernel(Kernel in) {
        return kernels(List.of(in)).get(0);
    }

    @Override
    public String toString() {
        return "upsample(" + factor + ")";
    }
}
