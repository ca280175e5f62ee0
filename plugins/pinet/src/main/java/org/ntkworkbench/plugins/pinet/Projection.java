package org.ntkworkbench.plugins.pinet;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.EntrywiseRule;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Dense;
import org.ntkworkbench.nn.Parameterization;
import org.ntkworkbench.nn.SpatialDiagonal;
import org.ntkworkbench.nn.UnaryLayer;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code W x} with {@code W ~ N(0, 1)} used unscaled, for inputs of any dimension d: the dense layer with
 * {@code wStd = √d} (NTK parameterization, so {@code (√d/√d) W x = W x}), d read from the data (the input's
 * last axis in the forward pass and at initialisation, the input kernel's channel count in the kernel rule).
 * It is the polynomial nets' projection when {@code dim:} is not given; parameters, forward pass, kernel and
 * trace are exactly those of {@code dense(width, wStd: √d)} (it delegates to that layer once d is known).
 */
public final class Projection extends UnaryLayer {
    private final int width;

    /** A projection to {@code width} units. */
    public Projection(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("projection width " + width + " must be positive");
        }
        this.width = width;
    }

    /** The dense layer this is for inputs of dimension {@code d}. */
    static Dense dense(int width, int d) {
        return new Dense(width, Math.sqrt(d), 0, Parameterization.NTK);
    }

    @Override
    public String word() {
        return "dense";
    }

    /** The output width. */
    public int width() {
        return width;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 1 || in[in.length - 1] < 1) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(in) + " has no feature axis");
        }
        return dense(width, in[in.length - 1]).outputShape(in);
    }

    @Override
    protected void initParams(String path, int[] in, long seed, Map<String, Tensor> params) {
        dense(width, in[in.length - 1]).init(path, List.of(in), seed, params);
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(x.shape()) + " needs an example axis and a feature axis");
        }
        return dense(width, x.dim(x.rank() - 1)).apply(ctx, path, x);
    }

    /** The dense rule with {@code wStd² = d}, d the input kernel's channel count (known for input kernels). */
    @Override
    public Kernel kernel(Kernel in) {
        return dense(width, fanIn(in.channels())).kernel(in);
    }

    /** A dense layer's: Gaussian whatever the input (the fused kernel paths ask this, not {@link #kernel}). */
    @Override
    public Gaussianity gaussianityAfter(Gaussianity in) {
        return Gaussianity.GAUSSIAN;
    }

    @Override
    public EntrywiseRule entrywiseKernelRule() {
        return (var1, var2, channels) -> dense(width, fanIn(channels)).entrywiseKernelRule().prepare(var1, var2, channels);
    }

    private static int fanIn(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("the projection needs the input dimension, but the input kernel's channel count is "
                    + "unknown; give dim: d");
        }
        return channels;
    }

    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    @Override
    public String toString() {
        return "projection(" + width + ")";
    }
}
