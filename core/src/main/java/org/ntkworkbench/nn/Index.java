package org.ntkworkbench.nn;

import java.util.Arrays;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairAxes;

/**
 * Indexing along one spatial axis (neural-tangents' {@code Index} with a {@code stax.Slice} on that axis), on inputs
 * {@code (n, spatial…, C)}. {@code index(axis: a, start:, stop:, step:)}: the positions {@code start, start + step, …}
 * before {@code stop}, exactly as a Python slice {@code x[..., start:stop:step, ...]} (negative values count from
 * the end, a negative step runs backwards, missing bounds take the whole axis); {@code index(axis: a, at: i)}: one
 * position, the axis removed ({@code x[..., i, ...]}). {@code axis} counts as numpy does with the example axis 0
 * ({@code 1 … d}, or negative: −2 is the last spatial axis). The example axis and the channel axis are not indexed:
 * the kernel treats each example separately and the channels as infinitely many (neural-tangents refuses the
 * channel axis in its kernel too). Several axes: one {@code index} per axis in a {@code serial}.
 *
 * <p><b>Kernel.</b> A selection S of positions, so exactly {@code Σ′[p, q] = Σ[s(p), s(q)]} on every pair of examples
 * ({@code S Σ Sᵀ}, {@link PairAxes#mapPositions}); same-position pairs read same-position pairs only, so the
 * diagonal layout is exact. <b>Masks</b> (neural-tangents' {@code mask[idx]}): each selected position keeps its mask.
 * <p>The map of a nonlinearity's outputs is not Gaussian, and the next nonlinearity's kernel assumes Gaussian inputs:
 * put a dense or conv layer in between ({@link Serial} refuses that order, as neural-tangents does; see docs/math-notes.md).
 */
public final class Index extends UnaryLayer {
    private final int axis;
    private final Integer at;
    private final Integer start;
    private final Integer stop;
    private final int step;

    /**
     * {@code at != null}: one position (the axis removed); otherwise the slice {@code start:stop:step} (null bounds
     * are the slice's defaults; {@code step} must not be 0).
     */
    public Index(int axis, Integer at, Integer start, Integer stop, Integer step) {
        if (axis == 0) {
            throw new IllegalArgumentException("index: axis 0 is the example axis; the kernel treats examples separately, so "
                    + "index a spatial axis (1 ... d, or -2 for the last one)");
        }
        if (at != null && (start != null || stop != null || step != null)) {
            throw new IllegalArgumentException("index: give at: (one position) or start:/stop:/step: (a slice), not both");
        }
        if (step != null && step == 0) {
            throw new IllegalArgumentException("index: step must not be 0");
        }
        this.axis = axis;
        this.at = at;
        this.start = start;
        this.stop = stop;
        this.step = step == null ? 1 : step;
    }

    @Override
    public String word() {
        return "index";
    }

    /** The spatial axis (0-based among the spatial axes) for per-example input {@code in}. */
    private int spatialAxis(int[] in) {
        return Layers.spatialAxis("index", "index", axis, in);
    }

    /** The selected positions of an axis of length {@code size} (Python's {@code slice.indices}). */
    int[] selected(int size) {
        if (at != null) {
            int i = at < 0 ? at + size : at;
            if (i < 0 || i >= size) {
                throw new IllegalArgumentException("index: at: " + at + " is outside an axis of size " + size);
            }
            return new int[] {i};
        }
        int lo, hi;
        if (step > 0) {
            lo = start == null ? 0 : clamp(start < 0 ? start + size : start, 0, size);
            hi = stop == null ? size : clamp(stop < 0 ? stop + size : stop, 0, size);
        } else {
            lo = start == null ? size - 1 : clamp(start < 0 ? start + size : start, -1, size - 1);
            hi = stop == null ? -1 : clamp(stop < 0 ? stop + size : stop, -1, size - 1);
        }
        int count = step > 0 ? Math.max(0, (hi - lo + step - 1) / step) : Math.max(0, (lo - hi - step - 1) / -step);
        if (count == 0) {
            throw new IllegalArgumentException("index: " + this + " selects no position of an axis of size " + size);
        }
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            out[k] = lo + k * step;
        }
        return out;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 2) {
            throw new IllegalArgumentException("index needs spatial axes and a channel axis, got per-example shape " + Arrays.toString(in));
        }
        int a = spatialAxis(in);
        int count = selected(in[a]).length;
        if (at == null) {
            int[] out = in.clone();
            out[a] = count;
            return out;
        }
        int[] out = new int[in.length - 1];
        for (int i = 0, k = 0; i < in.length; i++) {
            if (i != a) {
                out[k++] = in[i];
            }
        }
        return out;
    }

    private double[] map(int[] spatial) {
        int a = spatialAxis(Arrays.copyOf(spatial, spatial.length + 1));
        int[] sel = selected(spatial[a]);
        double[][] maps = new double[spatial.length][];
        maps[a] = new double[sel.length * spatial[a]];
        for (int k = 0; k < sel.length; k++) {
            maps[a][k * spatial[a] + sel[k]] = 1;
        }
        int[] sizes = spatial.clone();
        sizes[a] = sel.length;
        return PairAxes.positionMap(spatial, sizes, maps);
    }

    private int[] outSpatial(int[] spatial) {
        int[] out = outputShape(Arrays.copyOf(spatial, spatial.length + 1));
        return Arrays.copyOf(out, out.length - 1);
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] s = x.shape();
        int[] spatial = Arrays.copyOfRange(s, 1, s.length - 1);
        return PositionMaps.apply(x, map(spatial), outSpatial(spatial));
    }

    /** {@code Σ′[p, q] = Σ[s(p), s(q)]} (see the class comment), on either layout. */
    @Override
    public Kernel kernel(Kernel in) {
        if (in.spatial().length == 0) {
            throw new IllegalArgumentException("index needs spatial axes; got a dense kernel");
        }
        return PairAxes.mapPositions(in, map(in.spatial()), outSpatial(in.spatial()), "index");
    }

    /** neural-tangents' {@code mask[idx]}: each selected position keeps its mask. */
    @Override
    public org.ntkworkbench.tensor.Tensor outputMask(org.ntkworkbench.tensor.Tensor mask) {
        int[] spatial = Arrays.copyOfRange(mask.shape(), 1, mask.rank());
        return org.ntkworkbench.kernel.Masks.mapped(mask, map(spatial), outSpatial(spatial));
    }

    /** A selection: pair (p, p) reads the pair (s(p), s(p)) only. */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return SpatialDiagonal.POINTWISE;
    }

    @Override
    public String toString() {
        if (at != null) {
            return "index(axis: " + axis + ", at: " + at + ")";
        }
        return "index(axis: " + axis + (start == null ? "" : ", start: " + start) + (stop == null ? "" : ", stop: " + stop)
                + ", step: " + step + ")";
    }
}
