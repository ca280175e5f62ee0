package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Masks;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.kernel.PairAxes;
import org.ntkworkbench.kernel.DiagonalStep;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;

import org.ntkworkbench.autodiff.Var;

/** Row-major flattening of each example: {@code (n, …)} to {@code (n, ∏…)}. */
public final class Flatten extends UnaryLayer {

    @Override
    public String word() {
        return "flatten";
    }

    /**
     * Not Gaussian after (as in neural-tangents): the flattened features pair (position, channel), whose
     * distributions differ from position to position, so an activation's dual of their mean kernel is not the
     * mean of the activation's kernel over positions; a dense layer after it is exact.
     */
    @Override
    public Gaussianity gaussianityAfter(Gaussianity in) {
        return new Gaussianity(word(), in.zeroMean());
    }

    @Override
    public int[] outputShape(int[] in) {
        int s = 1;
        for (int d : in) {
            s *= d;
        }
        return new int[] {s};
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        return x.reshape(x.dim(0), x.value().size() / Math.max(1, x.dim(0)));
    }

    @Override
    public String toString() {
        return "flatten()";
    }

    /**
     * The mean over the diagonal position pairs ({@link #rule}): the next layer's
     * {@code 1/√(positions·channels)} scaling turns the sum over flattened features into that mean.
     */
    @Override
    public Kernel kernel(Kernel in) {
        return rule(in).withGaussianity(gaussianityAfter(in.gaussianity()));
    }

    /** The fused diagonal form of {@link #rule}: the mean over positions. */
    @Override
    public java.util.List<DiagonalStep> diagonalSteps() {
        return java.util.List.of(new DiagonalStep.MeanReadout());
    }

    /** The mean over same-position pairs: the diagonal is all it reads. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.DIAGONAL_READOUT;
    }

    /**
     * The rule (neural-tangents' normalisation): the mean over the diagonal position pairs
     * {@code (1/Q) Σ_p Σ[p, p]}, giving a dense kernel whose fan-in is {@code Q × channels}. It reads only
     * same-position pairs, so it is exact on diagonal spatial kernels too.
     */
    public static Kernel rule(Kernel k) {
        PairLayout lay = k.layout();
        int q = lay.positions();
        int[] diag = new int[q];
        for (int p = 0; p < q; p++) {
            diag[p] = lay.diagonal(p);
        }
        Kernel flat = PairAxes.reduce(k, (v, off) -> {
            double s = 0;
            for (int d : diag) {
                s += v[off + d];
            }
            return s / q;
        });
        return flat.withChannels(k.channels() * q);
    }

    /** A readout: an example is masked only when all its positions are. */
    @Override
    public Tensor outputMask(Tensor mask) {
        return Masks.allPositions(mask);
    }
}
