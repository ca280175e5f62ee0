package org.ntkworkbench.nn;


import org.ntkworkbench.kernel.Masks;
import org.ntkworkbench.kernel.Branches;
import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Gaussianity;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.tensor.Tensor;

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
     * of the branches' kernels). Along a spatial axis (neural-tangents' {@code FanInConcat(axis)} on a
     * non-channel axis): the positions of the branches are laid end to end, so each position pair of the
     * result is a pair of one branch (its kernel entry) or a pair across two branches, whose covariance is
     * zero: the kernel is block diagonal along that axis. Like {@code fanInSum}/{@code fanInProd} this assumes
     * the branches are independent given the input (e.g. each ends in its own dense or conv layer), which
     * the kernel cannot check; in the diagonal spatial layout the branches' arrays are simply concatenated.
     */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        if (in.isEmpty()) {
            throw new IllegalArgumentException("fanInConcat needs at least one input");
        }
        int rank = in.get(0).spatial().length + 1;
        int a = perExampleAxis(rank);
        if (a == rank - 1) {
            return List.of(rule(in));
        }
        return List.of(spatialConcat(in, a));
    }

    /**
     * The Gaussian flag of a channel-axis concatenation. Its kernel (the channel-weighted mean) is exact for a
     * linear layer after it whatever the branches' distributions (only same-channel pairs enter the mean), but
     * an activation acts on each branch's channels separately, so its kernel is the weighted mean of the
     * activation's kernels of the branches, which the mean kernel does not determine unless the branches'
     * kernels are equal: Gaussian only when every branch is and their kernels are equal (neural-tangents
     * marks every channel concatenation non-Gaussian).
     */
    private static Gaussianity channelGaussianity(List<Kernel> in) {
        boolean zeroMean = in.stream().allMatch(k -> k.gaussianity().zeroMean());
        Gaussianity g = Branches.combined("fanInConcat", in, zeroMean);
        if (g.gaussian() && concatenatesUnequalChannels(in)) {
            return new Gaussianity("fanInConcat of branches with different kernels (the concatenated channels are not identically"
                    + " distributed)", true);
        }
        return g;
    }

    /** Whether the branches' kernels differ (bit for bit): their concatenated channels are not identically distributed. */
    private static boolean concatenatesUnequalChannels(List<Kernel> in) {
        Kernel first = in.get(0);
        for (Kernel k : in) {
            if (!Arrays.equals(k.nngp().data(), first.nngp().data()) || !Arrays.equals(k.cov1().data(), first.cov1().data())
                    || (k.cov2() != null && first.cov2() != null && !Arrays.equals(k.cov2().data(), first.cov2().data()))) {
                return true;
            }
        }
        return false;
    }

    private static Kernel spatialConcat(List<Kernel> ks, int a) {
        Gaussianity after = Branches.independentSum("fanInConcat(axis: " + (a + 1) + ")", ks);
        Kernel first = ks.get(0);
        int[] spatial = first.spatial();
        boolean diagonal = first.diagonalSpatial();
        int total = 0;
        int[] sizes = new int[ks.size()];
        for (int b = 0; b < ks.size(); b++) {
            Kernel k = ks.get(b);
            int[] s = k.spatial();
            boolean ok = s.length == spatial.length && k.diagonalSpatial() == diagonal && k.n1() == first.n1() && k.n2() == first.n2()
                    && k.channels() == first.channels() && (k.ntk() == null) == (first.ntk() == null);
            for (int i = 0; ok && i < s.length; i++) {
                ok = i == a || s[i] == spatial[i];
            }
            if (!ok) {
                throw new IllegalArgumentException("fanInConcat along spatial axis " + (a + 1) + ": branch kernels differ beyond that axis: "
                        + first + " vs " + k);
            }
            sizes[b] = s[a];
            total += s[a];
        }
        int[] out = spatial.clone();
        out[a] = total;
        boolean sameCov = ks.stream().allMatch(k -> k.cov2() == k.cov1());
        Tensor nngp = blocks(ks.stream().map(Kernel::nngp).toList(), 2, a, spatial, sizes, diagonal);
        Tensor ntk = first.ntk() == null ? null : blocks(ks.stream().map(Kernel::ntk).toList(), 2, a, spatial, sizes, diagonal);
        Tensor cov1 = blocks(ks.stream().map(Kernel::cov1).toList(), 1, a, spatial, sizes, diagonal);
        Tensor cov2 = sameCov ? cov1 : blocks(ks.stream().map(Kernel::cov2).toList(), 1, a, spatial, sizes, diagonal);
        return Kernel.fromBranches(ks, nngp, ntk, cov1, cov2, out, first.channels()).withGaussianity(after);
    }

    /**
     * Lays the branches' arrays end to end along spatial axis {@code a} (after {@code lead} example axes): in the
     * full layout as diagonal blocks of the pair axes (zeros across branches), in the diagonal layout along the
     * one position axis.
     */
    private static Tensor blocks(List<Tensor> xs, int lead, int a, int[] spatial, int[] sizes, boolean diagonal) {
        int total = Arrays.stream(sizes).sum();
        int[] shape = xs.get(0).shape();
        int ax = diagonal ? lead + a : lead + 2 * a;
        int outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = ax + (diagonal ? 1 : 2); i < shape.length; i++) {
            inner *= shape[i];
        }
        int[] outShape = shape.clone();
        outShape[ax] = total;
        if (!diagonal) {
            outShape[ax + 1] = total;
        }
        double[] o = new double[outer * total * (diagonal ? 1 : total) * inner];
        int off = 0;
        for (int b = 0; b < xs.size(); b++) {
            double[] v = xs.get(b).data();
            int sz = sizes[b];
            for (int g = 0; g < outer; g++) {
                if (diagonal) {
                    System.arraycopy(v, g * sz * inner, o, (g * total + off) * inner, sz * inner);
                    continue;
                }
                for (int r = 0; r < sz; r++) {
                    System.arraycopy(v, ((g * sz + r) * sz) * inner, o, ((g * total + off + r) * total + off) * inner, sz * inner);
                }
            }
            off += sz;
        }
        return Tensor.of(o, outShape);
    }

    @Override
    public String toString() {
        return "fanInConcat(axis: " + axis + ")";
    }

    /** Entrywise weighted means of the branches, or their same-position pairs laid end to end. */
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
                haveNtk ? Branches.weightedSum(Branches.ntks(branches), weights) : null, known ? total : 0)
                .withGaussianity(channelGaussianity(branches));
    }

    /**
     * On the channel axis: masked where every branch is (a position masked in one branch carries that branch's
     * zeros); on a spatial axis: the branches' masks laid end to end along it (neural-tangents' {@code _concat_masks}).
     */
    @Override
    public List<Tensor> outputMasks(List<Tensor> masks) {
        if (masks.stream().allMatch(m -> m == null)) {
            return java.util.Collections.singletonList(null);
        }
        Tensor first = masks.stream().filter(m -> m != null).findFirst().orElseThrow();
        int rank = first.rank(); // the per-example rank: spatial axes and the channel axis
        int a = perExampleAxis(rank);
        if (a == rank - 1) {
            Tensor m = masks.get(0);
            for (Tensor t : masks) {
                m = Masks.and(m, t);
            }
            return java.util.Collections.singletonList(m);
        }
        if (masks.stream().anyMatch(m -> m == null)) {
            throw new IllegalArgumentException("fanInConcat(axis: " + axis + ") of masked and unmasked branches is not supported "
                    + "(mask all the inputs with the same maskConstant)");
        }
        return java.util.Collections.singletonList(Tensor.concat(a + 1, masks));
    }
}
