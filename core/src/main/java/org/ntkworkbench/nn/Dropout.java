package org.ntkworkbench.nn;

import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairLayout;

import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.tensor.SeededRandom;
import org.ntkworkbench.tensor.Tensor;

/**
 * Inverted dropout: in training mode each entry is kept with probability {@code 1 − rate} and scaled
 * by {@code 1/(1 − rate)} (the mask is drawn from {@code SeededRandom.derived(ctx.seed(), path)}, one
 * independent mask entry per example, position and unit); in evaluation mode the identity.
 *
 * <p><b>Kernel.</b> {@link Mode#EVAL} (default): the evaluation-mode network's kernel, the identity.
 * {@link Mode#TRAIN} (neural-tangents' {@code Dropout(mode='train')}, whose {@code rate} is our keep rate
 * {@code 1 − rate}): the kernel of the training-mode network, averaged over masks. The next layer sums over
 * units, so by the law of large numbers each entry gets {@code E[m(x, p) m(x′, q)]}, the masks scaled by
 * {@code 1/keep}: 1 for different examples or positions (independent masks), {@code 1/keep} for the same
 * example at the same position (the same mask entry, {@code E[m²] = 1/keep}). So the same-example,
 * same-position entries of Σ and Θ (and the variances) are multiplied by {@code 1/keep}; different rows of a
 * batch have independent masks even when their inputs are equal, so only the example diagonal of a kernel
 * of x1 with itself changes.
 */
public final class Dropout extends UnaryLayer {
    /** Which network's kernel the rule gives. */
    public enum Mode {
        /** The evaluation-mode network (dropout off): the identity. */
        EVAL,
        /** The training-mode network averaged over masks: same-example, same-position entries × 1/keep. */
        TRAIN;

        /** {@code 'eval'} or {@code 'train'} (any case). */
        public static Mode named(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "eval", "test" -> EVAL;
                case "train" -> TRAIN;
                default -> throw new IllegalArgumentException("dropout mode: '" + s + "' is not 'eval' or 'train'");
            };
        }
    }

    private final double rate;
    private final Mode mode;

    /** Dropout dropping a fraction {@code rate} in [0, 1), evaluation-mode kernel. */
    public Dropout(double rate) {
        this(rate, Mode.EVAL);
    }

    /** Dropout dropping a fraction {@code rate} in [0, 1) whose kernel rule is that of {@code mode}. */
    public Dropout(double rate, Mode mode) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate " + rate + " must be in [0, 1)");
        }
        this.rate = rate;
        this.mode = mode == null ? Mode.EVAL : mode;
    }

    /** The kernel mode this was built with. */
    public Mode mode() {
        return mode;
    }

    @Override
    public String word() {
        return "dropout";
    }

    /**
     * Evaluation mode is the identity (the flag is kept); training mode multiplies by random masks, so its
     * output is not Gaussian (as in neural-tangents).
     */
    @Override
    public Gaussianity gaussianityAfter(Gaussianity in) {
        return mode == Mode.EVAL || rate == 0 ? in : new Gaussianity("dropout(mode: 'train')", in.zeroMean());
    }

    /** The {@code rate} this was built with. */
    public double rate() {
        return rate;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        if (!ctx.training() || rate == 0) {
            return x;
        }
        double keep = 1 - rate;
        Tensor mask = Tensor.zeros(x.shape());
        double[] m = mask.data();
        SeededRandom rng = SeededRandom.derived(ctx.seed(), path);
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() < keep ? 1.0 / keep : 0.0;
        }
        return x.mul(Var.of(mask));
    }

    @Override
    public String toString() {
        return mode == Mode.EVAL ? "dropout(" + rate + ")" : "dropout(" + rate + ", mode: 'train')";
    }

    /**
     * {@link Mode#EVAL}: the identity (as neural-tangents in test mode). {@link Mode#TRAIN}: the same-example,
     * same-position entries multiplied by {@code 1/(1 − rate)} (see the class comment).
     */
    @Override
    public Kernel kernel(Kernel in) {
        if (mode == Mode.EVAL || rate == 0) {
            return in;
        }
        Gaussianity after = gaussianityAfter(in.gaussianity());
        double factor = 1 / (1 - rate);
        PairLayout lay = in.layout();
        int q = lay.positions();
        int[] diag = new int[q];
        for (int p = 0; p < q; p++) {
            diag[p] = lay.diagonal(p);
        }
        Tensor cov1 = scaleDiagonal(in.cov1(), lay.block(), diag, factor, 1, true);
        Tensor cov2 = in.cov2() == in.cov1() ? cov1 : scaleDiagonal(in.cov2(), lay.block(), diag, factor, 1, true);
        if (!in.x1IsX2()) {
            return in.withCovs(cov1, cov2).withGaussianity(after);
        }
        int n = in.n1();
        Tensor nngp = scaleDiagonal(in.nngp(), lay.block(), diag, factor, n, false);
        Tensor ntk = in.ntk() == null ? null : scaleDiagonal(in.ntk(), lay.block(), diag, factor, n, false);
        return in.withArrays(nngp, ntk, cov1, cov2).withGaussianity(after);
    }

    /** Multiplies the same-position entries of the example-diagonal blocks ({@code perExample}: every block). */
    private static Tensor scaleDiagonal(Tensor x, int block, int[] diag, double factor, int n, boolean perExample) {
        double[] o = x.data().clone();
        int blocks = o.length / block;
        for (int b = 0; b < blocks; b++) {
            if (!perExample && b / n != b % n) {
                continue;
            }
            for (int d : diag) {
                o[b * block + d] *= factor;
            }
        }
        return Tensor.of(o, x.shape());
    }

    /** The identity rule in entrywise form (evaluation mode), for fused serial kernels; none in training mode. */
    @Override
    public org.ntkworkbench.kernel.EntrywiseRule entrywiseKernelRule() {
        return mode == Mode.EVAL || rate == 0 ? org.ntkworkbench.kernel.EntrywiseRule.identity() : null;
    }

    /** The identity at evaluation time; in training mode only same-position entries change. */
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
