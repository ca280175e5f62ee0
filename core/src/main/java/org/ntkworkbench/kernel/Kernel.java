package org.ntkworkbench.kernel;

import java.util.Arrays;
import org.ntkworkbench.tensor.Tensor;

/**
 * The infinite-width kernels of a network prefix between inputs {@code x1} ({@code n1} examples) and
 * {@code x2} ({@code n2} examples), for one output unit (channels are identity-covariant).
 *
 * <p>Layouts (examples first, then spatial position pairs interleaved per spatial axis, as in
 * neural-tangents): dense {@code nngp}/{@code ntk} are {@code (n1, n2)}; after 1-D convolutions
 * {@code (n1, n2, P, P')}; after 2-D convolutions {@code (n1, n2, H, H', W, W')}. {@code cov1} and
 * {@code cov2} hold the same quantities of each input with itself, diagonal over examples:
 * {@code (n1)}, {@code (n1, P, P')}, {@code (n1, H, H', W, W')}; activations need them for the
 * variances. {@code spatial} is the per-example spatial shape ({@code []} for dense features).
 * {@code ntk} may be {@code null} when only the NNGP is wanted.
 *
 * <p>Immutable: change through the {@code with…} copies.
 */
public record Kernel(Tensor nngp, Tensor ntk, Tensor cov1, Tensor cov2, int[] spatial, boolean x1IsX2) {

    public Kernel {
        spatial = spatial.clone();
    }

    public int n1() {
        return nngp.dim(0);
    }

    public int n2() {
        return nngp.dim(1);
    }

    public Kernel withNngp(Tensor v) {
        return new Kernel(v, ntk, cov1, cov2, spatial, x1IsX2);
    }

    public Kernel withNtk(Tensor v) {
        return new Kernel(nngp, v, cov1, cov2, spatial, x1IsX2);
    }

    public Kernel withCovs(Tensor c1, Tensor c2) {
        return new Kernel(nngp, ntk, c1, c2, spatial, x1IsX2);
    }

    public Kernel withSpatial(int[] s) {
        return new Kernel(nngp, ntk, cov1, cov2, s, x1IsX2);
    }

    @Override
    public int[] spatial() {
        return spatial.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Kernel k && nngp == k.nngp && ntk == k.ntk && cov1 == k.cov1 && cov2 == k.cov2
                && Arrays.equals(spatial, k.spatial) && x1IsX2 == k.x1IsX2;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(spatial) * 31 + System.identityHashCode(nngp);
    }

    @Override
    public String toString() {
        return "Kernel[n1=" + n1() + ", n2=" + n2() + ", spatial=" + Arrays.toString(spatial)
                + ", ntk=" + (ntk != null) + ", x1IsX2=" + x1IsX2 + "]";
    }
}
