package org.ntkworkbench.nn;

import java.util.Arrays;
import java.util.Map;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.tensor.Tensor;

/**
 * Locally connected layer (neural-tangents' {@code ConvLocal}): a convolution whose filter is not shared, every
 * output position p has its own weights {@code W[p] (filter…, inC, outC)} and bias {@code b[p] (outC)}:
 * {@code z[p, o] = (wStd/√(F·inC)) Σ_{f,c} h[p·s + f − pad, c] W[p, f, c, o] + bStd b[p, o]} (NTK parameterization;
 * standard as {@link Conv}). Parameters {@code W (outSpatial…, filter…, inC, outC)}, {@code b (outSpatial…, outC)}.
 *
 * <p><b>Kernel.</b> Outputs at different positions use independent weights, so their covariance is zero; at
 * the same position the weights are those of a convolution. The rule is therefore the convolution's
 * ({@link Conv}) on the same-position pairs and 0 on every other pair (the per-position bias adds σ_b² only
 * there too), as in neural-tangents (Novak et al. 2019: a locally connected network's kernel is the CNN-GP
 * without pooling's, i.e. only the diagonal matters).
 */
public final class ConvLocal extends UnaryLayer {
    private final Conv shared;

    /** A locally connected layer with {@code channels} outputs; the arguments are those of {@link Conv}. */
    public ConvLocal(int channels, int[] filter, int[] strides, Padding padding, double wStd, double bStd,
                     Parameterization parameterization) {
        this.shared = new Conv(channels, filter, strides, padding, wStd, bStd, parameterization);
    }

    @Override
    public String word() {
        return "convLocal";
    }

    @Override
    public int[] outputShape(int[] in) {
        return shared.outputShape(in);
    }

    private int[] weightShape(Windows w, int inC) {
        int d = w.outSpatial().length;
        int[] filter = shared.filter();
        int[] s = new int[2 * d + 2];
        System.arraycopy(w.outSpatial(), 0, s, 0, d);
        System.arraycopy(filter, 0, s, d, d);
        s[2 * d] = inC;
        s[2 * d + 1] = shared.channels();
        return s;
    }

    private int[] biasShape(Windows w) {
        int[] s = Arrays.copyOf(w.outSpatial(), w.outSpatial().length + 1);
        s[s.length - 1] = shared.channels();
        return s;
    }

    @Override
    protected void initParams(String path, int[] in, long seed, Map<String, Tensor> params) {
        Windows w = shared.windows(in);
        int inC = in[in.length - 1];
        int fanIn = w.windowSize() * inC;
        boolean ntk = shared.parameterization() == Parameterization.NTK;
        String wKey = Params.key(path, "W");
        Tensor weights = Params.normal(seed, wKey, weightShape(w, inC));
        params.put(wKey, ntk ? weights : weights.mul(shared.wStd() / Math.sqrt(fanIn)));
        if (shared.hasBias()) {
            String bKey = Params.key(path, "b");
            Tensor b = Params.normal(seed, bKey, biasShape(w));
            params.put(bKey, ntk ? b : b.mul(shared.bStd()));
        }
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] shape = x.shape();
        int[] in = Arrays.copyOfRange(shape, 1, shape.length);
        Windows win = shared.windows(in);
        int n = shape[0], inC = in[in.length - 1], positions = win.positions();
        int fanIn = win.windowSize() * inC, out = shared.channels();
        Var w = ctx.param(Params.key(path, "W"), weightShape(win, inC)).reshape(positions, fanIn, out);
        // Receptive fields (n, P, F·inC) → (P, n, F·inC), one product per position with its own weights.
        Var patches = Ops.permute(Ops.gather(x, win.index(), positions, fanIn), 1, 0, 2);
        boolean ntk = shared.parameterization() == Parameterization.NTK;
        Var z = Ops.matmul(patches, w, ntk ? shared.wStd() / Math.sqrt(fanIn) : 1.0);   // (P, n, out)
        if (shared.hasBias()) {
            Var b = ctx.param(Params.key(path, "b"), biasShape(win)).reshape(positions, 1, out);
            z = z.add(ntk && shared.bStd() != 1.0 ? b.scale(shared.bStd()) : b);
        }
        int[] full = new int[in.length + 1];
        full[0] = n;
        System.arraycopy(outputShape(in), 0, full, 1, in.length);
        return Ops.permute(z, 1, 0, 2).reshape(full);
    }

    /** The convolution's rule on same-position pairs, 0 elsewhere (see the class comment). */
    /** Fresh Gaussian weights over infinitely many inputs: the output is Gaussian whatever the input. */
    @Override
    public Gaussianity gaussianityAfter(Gaussianity in) {
        return Gaussianity.GAUSSIAN;
    }

    @Override
    public Kernel kernel(Kernel in) {
        Kernel k = shared.kernel(in).withGaussianity(gaussianityAfter(in.gaussianity()));
        if (k.diagonalSpatial()) {
            return k;
        }
        PairLayout lay = k.layout();
        boolean[] same = new boolean[lay.block()];
        for (int m = 0; m < same.length; m++) {
            same[m] = lay.posA(m) == lay.posB(m);
        }
        Tensor cov1 = keepSame(k.cov1(), same);
        Tensor cov2 = k.cov2() == k.cov1() ? cov1 : keepSame(k.cov2(), same);
        return k.withArrays(keepSame(k.nngp(), same), k.ntk() == null ? null : keepSame(k.ntk(), same), cov1, cov2);
    }

    private static Tensor keepSame(Tensor x, boolean[] same) {
        double[] o = x.data().clone();
        for (int e = 0; e < o.length; e++) {
            if (!same[e % same.length]) {
                o[e] = 0;
            }
        }
        return Tensor.of(o, x.shape());
    }

    /** Same-position pairs from same-position pairs, as the convolution. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    @Override
    public String toString() {
        return shared.toString().replaceFirst("^conv", "convLocal");
    }

    /** As {@link Conv}: each output position takes the mask of its window's centre tap (neural-tangents' ConvLocal). */
    @Override
    public Tensor outputMask(Tensor mask) {
        return shared.outputMask(mask);
    }
}
