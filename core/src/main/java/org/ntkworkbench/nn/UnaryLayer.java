package org.ntkworkbench.nn;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.tensor.Tensor;

/** Base of layers with one input and one output: implement the single-tensor methods. */
public abstract class UnaryLayer implements Layer {

    @Override
    public abstract int[] outputShape(int[] perExampleInputShape);

    /** Adds this layer's parameters for per-example input shape {@code in} (default: none). */
    protected void initParams(String path, int[] in, long seed, Map<String, Tensor> params) {}

    /** The forward pass on one input with the example axis first. */
    @Override
    public abstract Var apply(ApplyContext ctx, String path, Var x);

    @Override
    public final List<int[]> outputShapes(List<int[]> inputShapes) {
        return List.of(outputShape(one(inputShapes)));
    }

    @Override
    public final List<int[]> init(String path, List<int[]> inputShapes, long seed, Map<String, Tensor> params) {
        int[] in = one(inputShapes);
        int[] out = outputShape(in);
        initParams(path, in, seed, params);
        return List.of(out);
    }

    @Override
    public final List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        return List.of(apply(ctx, path, one(inputs)));
    }

    /** {@link #outputMask} of the single input's mask (an unmasked input gives an unmasked output). */
    @Override
    public final List<Tensor> outputMasks(List<Tensor> masks) {
        Tensor m = one(masks);
        return java.util.Collections.singletonList(m == null ? null : outputMask(m));
    }

    /**
     * Neural-tangents' {@code mask_fn} for one input: the output mask ({@code (n, spatial…)}, 1 = masked) for the
     * input mask {@code mask}. The default refuses in one line naming the layer; entrywise layers keep the mask,
     * windowed layers take each window's centre, readouts mask an example only when all its positions are.
     */
    public Tensor outputMask(Tensor mask) {
        throw Masking.refusal(word());
    }

    private <T> T one(List<T> items) {
        if (items.size() != 1) {
            throw new IllegalArgumentException("'" + word() + "' takes one input but the flow has " + items.size()
                    + " items (combine them with fanInSum/fanInProd/fanInConcat first)");
        }
        return items.get(0);
    }

    /** Checks that a batch input has the example axis plus rank {@code perExampleRank}. */
    protected static void requireRank(Var x, int... allowedPerExampleRanks) {
        for (int r : allowedPerExampleRanks) {
            if (x.rank() == r + 1) {
                return;
            }
        }
        throw new IllegalArgumentException("input shape " + java.util.Arrays.toString(x.shape())
                + " has the wrong rank");
    }
}
