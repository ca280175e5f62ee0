package org.ntkworkbench.nn;


import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.kernel.Masks;
import org.ntkworkbench.kernel.Branches;
import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;

/** Sum of all items of the flow (equal shapes). */
public final class FanInSum implements Layer {

    @Override
    public String word() {
        return "fanInSum";
    }

    /** Checks that all shapes are equal (names the first two that differ) and returns it. */
    static int[] sameShapes(String word, List<int[]> shapes) {
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException(word + " needs at least one input");
        }
        for (int[] s : shapes) {
            if (!Arrays.equals(s, shapes.get(0))) {
                throw new IllegalArgumentException(word + " needs equal shapes but got "
                        + Arrays.toString(shapes.get(0)) + " and " + Arrays.toString(s));
            }
        }
        return shapes.get(0).clone();
    }

    static List<int[]> perExample(List<Var> vars) {
        return vars.stream().map(v -> Arrays.copyOfRange(v.shape(), 1, v.rank())).toList();
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        return List.of(sameShapes(word(), inputShapes));
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        sameShapes(word(), perExample(inputs));
        Var s = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            s = s.add(inputs.get(i));
        }
        return List.of(s);
    }

    /** Σ and Θ add up over independent branches ({@link #rule}). */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        return List.of(rule(in));
    }

    @Override
    public String toString() {
        return "fanInSum()";
    }

    /** Entrywise sums of the branches. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    /**
     * The rule: Σ = Σ_i Σ_i, Θ = Σ_i Θ_i, covariances alike; the first branch's channel count. Exact for
     * independent branches of which at most one is not Gaussian (the cross terms E[a]E[b′] vanish); two
     * branches whose means need not vanish are refused in one line ({@link Branches#independentSum};
     * neural-tangents refuses any non-Gaussian branch). The sum is Gaussian when every branch is.
     */
    public static Kernel rule(List<Kernel> branches) {
        boolean ntk = Branches.check(branches);
        Gaussianity after = Branches.independentSum("fanInSum", branches);
        return Branches.assemble(branches, Branches::sum, ntk ? Branches.sum(Branches.ntks(branches)) : null,
                branches.get(0).channels()).withGaussianity(after);
    }

    /**
     * Masked where every branch is (neural-tangents' {@code _sum_masks}); a position masked in some branches only
     * reads zeros from those, which the branches' zeroed kernels already say.
     */
    @Override
    public List<Tensor> outputMasks(List<Tensor> masks) {
        Tensor m = masks.isEmpty() ? null : masks.get(0);
        for (Tensor t : masks) {
            m = Masks.and(m, t);
        }
        return java.util.Collections.singletonList(m);
    }
}
