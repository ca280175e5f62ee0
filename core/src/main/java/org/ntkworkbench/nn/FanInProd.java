package org.ntkworkbench.nn;


import org.ntkworkbench.kernel.Masks;
import org.ntkworkbench.tensor.Tensor;
import org.ntkworkbench.kernel.Branches;
import java.util.List;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;

/** Elementwise (Hadamard) product of all items of the flow (equal shapes). */
public final class FanInProd implements Layer {

    @Override
    public String word() {
        return "fanInProd";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        return List.of(FanInSum.sameShapes(word(), inputShapes));
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        FanInSum.sameShapes(word(), FanInSum.perExample(inputs));
        Var s = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            s = s.mul(inputs.get(i));
        }
        return List.of(s);
    }

    /** Hadamard products with the product rule for Θ ({@link #rule}). */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        return List.of(rule(in));
    }

    @Override
    public String toString() {
        return "fanInProd()";
    }

    /** Entrywise products of the branches. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    /**
     * The rule, an elementwise product of independent branches (Hadamard): {@code Σ = Π_i Σ_i},
     * {@code Θ = Σ_i Θ_i Π_{j≠i} Σ_j} (product rule), covariances {@code Π_i cov_i}; the first branch's
     * channel count.
     */
    public static Kernel rule(List<Kernel> branches) {
        if (branches.stream().filter(k -> Gaussianity.INPUTS.equals(k.gaussianity())).count() >= 2) {
            throw new IllegalArgumentException("fanInProd of the raw inputs with themselves has no kernel rule: the branches are not"
                    + " independent (the product rule would square the Gram matrix, not average x²x′²); put a dense or conv layer in"
                    + " all but one branch");
        }
        boolean haveNtk = Branches.check(branches);
        Tensor ntk = null;
        if (haveNtk) {
            int n = branches.size();
            Tensor first = branches.get(0).nngp();
            int size = first.size();
            double[] o = new double[size];
            for (int i = 0; i < n; i++) {
                double[] t = branches.get(i).ntk().data();
                for (int e = 0; e < size; e++) {
                    double prod = t[e];
                    for (int j = 0; j < n; j++) {
                        if (j != i) {
                            prod *= branches.get(j).nngp().data()[e];
                        }
                    }
                    o[e] += prod;
                }
            }
            ntk = Tensor.of(o, first.shape());
        }
        return Branches.assemble(branches, Branches::product, ntk, branches.get(0).channels())
                .withGaussianity(gaussianityAfter(branches));
    }

    /**
     * A product of two or more independent branches is not Gaussian (as in neural-tangents), of mean zero when
     * one factor is; the rule itself does not need Gaussian branches (E[aba′b′] = E[aa′]E[bb′] for any
     * independent a, b).
     */
    private static Gaussianity gaussianityAfter(List<Kernel> branches) {
        return branches.size() == 1 ? branches.get(0).gaussianity()
                : new Gaussianity("fanInProd", branches.stream().anyMatch(k -> k.gaussianity().zeroMean()));
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
