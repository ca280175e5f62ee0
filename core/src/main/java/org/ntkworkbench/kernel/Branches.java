package org.ntkworkbench.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.ntkworkbench.tensor.Tensor;

/**
 * Kernel algebra for layers that combine independent branches (the fan-in layers): checks that the
 * branches' kernels fit together, entrywise sums, weighted sums and products of their arrays, and the
 * assembly of the combined kernel.
 */
public final class Branches {
    private Branches() {}

    /**
     * Checks that there is at least one branch and that all have the same shape; returns whether every
     * branch has an NTK (else the combination is NNGP only).
     */
    public static boolean check(List<Kernel> ks) {
        if (ks.isEmpty()) {
            throw new IllegalArgumentException("fan-in of no branches");
        }
        Kernel first = ks.get(0);
        boolean haveNtk = true;
        for (Kernel k : ks) {
            if (!k.nngp().sameShape(first.nngp()) || !Arrays.equals(k.spatial(), first.spatial())) {
                throw new IllegalArgumentException("fan-in branches differ: " + first.nngp().shapeString() + " vs "
                        + k.nngp().shapeString());
            }
            haveNtk &= k.ntk() != null;
        }
        return haveNtk;
    }

    /**
     * The combined kernel: {@code each} applied to the branches' NNGPs and to their covariances (the x2 side
     * shares the x1 side's array when every branch does), the given {@code ntk}, the first branch's spatial
     * shape, x1 = x2 when it is so for every branch, and {@code channels}.
     */
    public static Kernel assemble(List<Kernel> ks, Function<List<Tensor>, Tensor> each, Tensor ntk, int channels) {
        Tensor nngp = each.apply(ks.stream().map(Kernel::nngp).toList());
        Tensor cov1 = each.apply(ks.stream().map(Kernel::cov1).toList());
        boolean sameCov = ks.stream().allMatch(k -> k.cov2() == k.cov1());
        Tensor cov2 = sameCov ? cov1 : each.apply(ks.stream().map(Kernel::cov2).toList());
        return Kernel.fromBranches(ks, nngp, ntk, cov1, cov2, ks.get(0).spatial(), channels);
    }

    /**
     * The {@link Gaussianity} of an independent sum or a spatial concatenation of branches, whose rules (fanInSum,
     * {@code fanInConcat(axis:)}) set the covariance of two different branches to zero. For independent branches it is
     * E[a]E[b′], zero when one of the two has mean zero (a Gaussian flow, an odd activation of one) but not in
     * general (a relu's mean is √(Σ/2π); the raw inputs are fixed numbers): throws in one line when two or more
     * branches may have a non-zero mean. The result is Gaussian when every branch is, of mean zero when every
     * branch is, else it names the first non-Gaussian branch.
     */
    public static Gaussianity independentSum(String word, List<Kernel> ks) {
        List<String> offMean = ks.stream().filter(k -> !k.gaussianity().zeroMean()).map(k -> k.gaussianity().why()).toList();
        if (offMean.size() >= 2) {
            throw new IllegalArgumentException(word + " of " + offMean.size() + " branches whose means need not vanish (after "
                    + String.join(", ", offMean) + ") has no kernel rule: the covariance across branches is the product of their"
                    + " means, which the kernel does not track; end all but one of them in a dense or conv layer");
        }
        return combined(word, ks, offMean.isEmpty());
    }

    /**
     * Gaussian when every branch is; otherwise not Gaussian (naming the first branch that is not) with the given
     * {@code zeroMean}.
     */
    public static Gaussianity combined(String word, List<Kernel> ks, boolean zeroMean) {
        for (Kernel k : ks) {
            if (!k.gaussian()) {
                return new Gaussianity(word + " of a non-Gaussian branch (after " + k.gaussianity().why() + ")", zeroMean);
            }
        }
        return Gaussianity.GAUSSIAN;
    }

    /** The branches' NTK arrays. */
    public static List<Tensor> ntks(List<Kernel> ks) {
        return ks.stream().map(Kernel::ntk).toList();
    }

    /** {@code Σ_i x_i} entrywise, added in branch order. */
    public static Tensor sum(List<Tensor> xs) {
        int size = xs.get(0).size();
        double[] o = new double[size];
        for (Tensor x : xs) {
            double[] v = x.data();
            for (int e = 0; e < size; e++) {
                o[e] += v[e];
            }
        }
        return Tensor.of(o, xs.get(0).shape());
    }

    /** {@code Σ_i w_i x_i} entrywise, added in branch order. */
    public static Tensor weightedSum(List<Tensor> xs, double[] weights) {
        int size = xs.get(0).size();
        double[] o = new double[size];
        for (int i = 0; i < xs.size(); i++) {
            double[] v = xs.get(i).data();
            double w = weights[i];
            for (int e = 0; e < size; e++) {
                o[e] += w * v[e];
            }
        }
        return Tensor.of(o, xs.get(0).shape());
    }

    /** {@code Π_i x_i} entrywise, multiplied in branch order. */
    public static Tensor product(List<Tensor> xs) {
        int size = xs.get(0).size();
        double[] o = new double[size];
        Arrays.fill(o, 1.0);
        for (Tensor x : xs) {
            double[] v = x.data();
            for (int e = 0; e < size; e++) {
                o[e] *= v[e];
            }
        }
        return Tensor.of(o, xs.get(0).shape());
    }
}
