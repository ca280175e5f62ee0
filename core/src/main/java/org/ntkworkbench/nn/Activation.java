package org.ntkworkbench.nn;

import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.EntrywiseRule;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;

/**
 * An elementwise nonlinearity {@code φ} applied to every entry; shape preserving, no parameters.
 * Subclasses give {@code φ} and {@code φ'} (the latter drives both gradient and tangent propagation).
 */
public abstract class Activation extends UnaryLayer {

    /** {@code φ(x)}. */
    public abstract double value(double x);

    /** {@code φ'(x)} (zero where φ is not differentiable, e.g. ReLU at 0). */
    public abstract double derivative(double x);

    /**
     * The dual of φ (its NNGP map {@code T} and derivative map {@code T'}, see {@link Dual}); throws
     * {@link NoKernelRuleException} for an activation without one.
     */
    public Dual dual() {
        throw new NoKernelRuleException(word());
    }

    /** {@code nngp' = T(nngp)}, {@code ntk' = T'(nngp) ⊙ ntk} through {@link #dual()}. */
    @Override
    public Kernel kernel(Kernel in) {
        Gaussianity after = gaussianityAfter(in.gaussianity());
        return dual().apply(in).withGaussianity(after);
    }

    /**
     * The dual assumes Gaussian pre-activations (of the channels' common distribution): a non-Gaussian input
     * (the raw inputs, another activation's output, …) is refused in one line, as in neural-tangents, and the
     * output is not Gaussian; its mean is zero when φ is {@linkplain #odd() odd}. A {@linkplain #linear() linear}
     * φ is exact on any input and keeps the flow's {@link Gaussianity}.
     */
    @Override
    public Gaussianity gaussianityAfter(Gaussianity in) {
        if (linear()) {
            return in;
        }
        requireGaussian(in);
        return new Gaussianity(word(), odd());
    }

    /**
     * Whether φ(−x) = −φ(x): of a zero-mean Gaussian (symmetric) input the output then has mean zero, so a
     * fanInSum with another non-Gaussian branch stays exact. Default {@code false}.
     */
    protected boolean odd() {
        return false;
    }

    /**
     * Whether φ(x) = a·x: its kernel a²Σ, a²Θ is then exact whatever the input's distribution (the channel
     * mean of a² x x′), and a Gaussian stays Gaussian, so such an activation is neither refused nor changes
     * the flag. Default {@code false}.
     */
    protected boolean linear() {
        return false;
    }

    /**
     * The dual in entrywise form (both implementations of {@link Dual} have it), for fused serial
     * kernels; {@code null} without a dual. A subclass that overrides {@link #kernel(Kernel)} must
     * override this too.
     */
    @Override
    public EntrywiseRule entrywiseKernelRule() {
        Dual d;
        try {
            d = dual();
        } catch (NoKernelRuleException e) {
            return null; // the layer-by-layer path reports the missing rule
        }
        return d instanceof EntrywiseRule r ? r : null;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        return Ops.map(x, word(), this::value, this::derivative);
    }

    @Override
    public String toString() {
        return word() + "()";
    }

    /** Entrywise on pairs, with the variances of positions p and q. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    /** Entrywise (per position): a masked position stays masked. */
    @Override
    public Tensor outputMask(Tensor mask) {
        return mask;
    }
}
