package org.ntkworkbench.nn;


import org.ntkworkbench.kernel.Branches;
import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;

/**
 * Concatenation of all items of the flow along {@code axis} of the batch arrays (default −1, the
 * channel axis; axis 0, the example axis, is not allowed). Other dimensions must agree.
 */
public final class FanInConcat implements Layer {
    private final int axis;

    /** Concatenation along {@code axis} (negative counts from the end). */
    public FanInConcat(int axis) {
        if (axis == 0) {
            throw new IllegalArgumentException("fanInConcat cannot concatenate along the example axis 0");
        }
        this.axis = axis;
    }

    @Override
    public String word() {
        return "fanInConcat";
    }

    /** The {@code axis} this was built with. */
    public int axis() {
        return axis;
    }

    /** The per-example axis (batch axis minus one, or the same negative axis). */
    private int perExampleAxis(int rank) {
        int a = axis < 0 ? rank + axis : axis - 1;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for per-example rank " + rank);
        }
        return a;
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        if (inputShapes.isEmpty()) {
            throw new IllegalArgumentException("fanInConcat needs at least one input");
        }
        int[] first = inputShapes.get(0);
        int a = perExampleAxis(first.length);
        int[] out = first.clone();
        out[a] = 0;
        for (int[] s : inputShapes) {
            boolean ok = s.length == first.length;
            for (int i = 0; ok && i < s.length; i++) {
                ok = i == a || s[i] == first[i];
            }
            if (!ok) {
                throw new IllegalArgumentException("fanInConcat along axis " + axis + " cannot join shapes "
                        + Arrays.toString(first) + " and " + Arrays.toString(s));
            }
            out[a] += s[a];
        }
        return List.of(out);
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        List<int[]> shapes = FanInSum.perExample(inputs);
        outputShapes(shapes);
        return List.of(Ops.concat(perExampleAxis(shapes.get(0).length) + 1, inputs));
    }

    /**
     * Concatenation along the channel axis ({@link #rule}: the channel-weighted mean
     * of the branches' kernels). Concatenation along a spatial axis has no rule here.
     */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        if (in.isEmpty()) {
            throw new IllegalArgumentException("fanInConcat needs at least one input");
        }
        int rank = in.get(0).spatial().length + 1;
        if (perExampleAxis(rank) != rank - 1) {
            throw new NoKernelRuleException(word() + "(axis: " + axis + ")");
        }
        return List.of(rule(in));
    }

    @Override
    public String toString() {
        return "fanInConcat(axis: " + axis + ")";
    }

    /** Entrywise weighted means of the branches. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    /**
     * The rule for concatenation along the channel axis: the mean of the branches' kernels weighted by
     * their channel counts {@code c_i/Σc} (equal weights when a count is unknown), since the next layer
     * averages over all channels; the output has {@code Σc} channels (unknown if any is).
     */
    public static Kernel rule(List<Kernel> branches) {
        boolean haveNtk = Branches.check(branches);
        int n = branches.size();
        double[] weights = new double[n];
        boolean known = branches.stream().allMatch(k -> k.channels() > 0);
        int total = branches.stream().mapToInt(Kernel::channels).sum();
        for (int i = 0; i < n; i++) {
            weights[i] = known ? (double) branches.get(i).channels() / total : 1.0 / n;
        }
        return Branches.assemble(branches, xs -> Branches.weightedSum(xs, weights),
                haveNtk ? Branches.weightedSum(Branches.ntks(branches), weights) : null, known ? total : 0);
    }
}
