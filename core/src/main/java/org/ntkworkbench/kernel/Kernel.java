package org.ntkworkbench.kernel;

import java.util.Arrays;
import org.ntkworkbench.tensor.Blas;
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
 * <p><b>Diagonal spatial kernels</b> (neural-tangents' {@code diagonal_spatial=True}) keep only the
 * same-position pairs: {@code nngp}/{@code ntk} {@code (n1, n2, P…)} and covariances {@code (n, P…)}
 * (see {@link PairLayout}). The arrays' rank says which layout a kernel has ({@link #diagonalSpatial()}).
 * They are exact for models whose readout needs only those pairs (flatten; see
 * {@code nn.SpatialDiagonal}) and cost O(Q) instead of O(Q²) per pair of examples.
 *
 * <p><b>Input masks</b> (neural-tangents' {@code mask1}/{@code mask2}, from {@code maskConstant}): {@code (n1, spatial…)}
 * and {@code (n2, spatial…)} arrays, 1 where a position of an example is masked, or {@code null} (nothing masked);
 * each layer propagates them ({@code nn.Layer#maskedKernels}; the rules in {@link Masks}).
 *
 * <p><b>Per-example graphs</b> (neural-tangents' {@code pattern=(pattern1, pattern2)}, session 5): {@code pattern1}
 * {@code (n1, V, V)} (or {@code (n1, X…, X…)}) holds the adjacency of each example of x1, {@code pattern2} of x2,
 * or {@code null}. They travel unchanged through every layer (data of the examples, as the masks); a per-example
 * {@code aggregate()} reads them ({@link #withPatterns}).
 *
 * <p>Immutable: change through the {@code with…} copies. Only this file calls the canonical constructor:
 * layers use the copies (which carry every component they do not name), fan-in layers
 * {@link #fromBranches}, and kernels computed from scratch {@link #fromInputs}, {@link #of} or
 * {@link #dense}; a new component is added here alone (constructor, copies, factories' defaults).
 */
public record Kernel(Tensor nngp, Tensor ntk, Tensor cov1, Tensor cov2, int[] spatial, boolean x1IsX2, int channels,
                     Gaussianity gaussianity, Tensor mask1, Tensor mask2,
                     Tensor pattern1, Tensor pattern2) {

    /**
     * Canonical constructor; a missing {@code cov2} of a kernel of x1 with itself is {@code cov1}.
     * {@code channels} is the finite number of features (channels) of the layer whose kernel this is,
     * as in neural-tangents' {@code Kernel.shape1}: only the standard parameterization needs it (its
     * NTK sums over the fan-in); {@code 0} means unknown. {@code gaussianity} says whether the flow whose
     * kernel this is is Gaussian and of mean zero ({@link Gaussianity}; neural-tangents' {@code is_gaussian});
     * each layer decides its effect in {@code nn.Layer.gaussianityAfter} (see docs/math-notes.md, "Gaussian
     * inputs to activations").
     * A missing {@code mask2} of a kernel of x1 with itself is {@code mask1}, a missing {@code pattern2} {@code pattern1}.
     */
    public Kernel {
        spatial = spatial.clone();
        if (cov2 == null && x1IsX2) {
            cov2 = cov1;
        }
        java.util.Objects.requireNonNull(gaussianity, "gaussianity");
        if (channels < 0) {
            throw new IllegalArgumentException("kernel channels " + channels + " must be >= 0");
        }
        if (mask2 == null && x1IsX2) {
            mask2 = mask1;
        }
        if (pattern2 == null && x1IsX2) {
            pattern2 = pattern1;
        }
    }

    /**
     * The kernel of the inputs themselves (before any layer): the channel-averaged inner products,
     * {@code ntk} zero (no parameters yet). Dense {@code (n, d)}: {@code nngp = x1 x2ᵀ / d}; signals
     * {@code (n, P, C)}: {@code nngp[i,j,p,q] = Σ_c x1[i,p,c] x2[j,q,c] / C}; images {@code (n, H, W, C)}:
     * {@code nngp[i,j,h,h',w,w'] = Σ_c x1[i,h,w,c] x2[j,h',w',c] / C}. One BLAS gemm (syrk when
     * {@code x2} is {@code null}, which means {@code x2 = x1} and gives a symmetric kernel to the last bit).
     */
    public static Kernel fromInputs(Tensor x1, Tensor x2) {
        return fromInputs(x1, x2, false, true);
    }

    /**
     * The input kernel in the full ({@code diagonalSpatial = false}, as {@link #fromInputs(Tensor, Tensor)})
     * or the diagonal spatial layout: {@code nngp[i,j,p] = Σ_c x1[i,p,c] x2[j,p,c] / C},
     * {@code cov1[i,p] = Σ_c x1[i,p,c]² / C}. {@code computeNtk = false} leaves {@code ntk} null (NNGP only,
     * neural-tangents' {@code get='nngp'}). Dense inputs have one layout; the flag changes nothing there.
     */
    public static Kernel fromInputs(Tensor x1, Tensor x2, boolean diagonalSpatial, boolean computeNtk) {
        if (diagonalSpatial && x1.rank() > 2) {
            return diagonalFromInputs(x1, x2, computeNtk);
        }
        Kernel k = fullFromInputs(x1, x2);
        return computeNtk ? k : k.withNtk(null);
    }

    private static void checkInputs(Tensor x1, Tensor b) {
        if (x1.rank() < 2) {
            throw new IllegalArgumentException("inputs need an example axis and a channel axis, got shape " + x1.shapeString());
        }
        if (b.rank() != x1.rank()) {
            throw new IllegalArgumentException("x1 " + x1.shapeString() + " and x2 " + b.shapeString() + " differ in rank");
        }
        for (int a = 1; a < x1.rank(); a++) {
            if (x1.dim(a) != b.dim(a)) {
                throw new IllegalArgumentException("x1 " + x1.shapeString() + " and x2 " + b.shapeString()
                        + " differ beyond the example axis");
            }
        }
    }

    private static Kernel diagonalFromInputs(Tensor x1, Tensor x2, boolean computeNtk) {
        boolean same = x2 == null || x2 == x1;
        Tensor b = same ? x1 : x2;
        checkInputs(x1, b);
        int n1 = x1.dim(0), n2 = b.dim(0), c = x1.dim(-1);
        int[] spatial = java.util.Arrays.copyOfRange(x1.shape(), 1, x1.rank() - 1);
        int q = PairLayout.positions(spatial);
        PairLayout lay = new PairLayout(spatial, true);
        double[] u = x1.data(), v = b.data();
        double[] g = new double[n1 * n2 * q];
        double inv = 1.0 / c;
        // Same-position inner products; with x2 = x1 only j >= i, mirrored, so the kernel is symmetric
        // and its (i, i) entries are the covariances bit for bit (correlation exactly 1).
        java.util.stream.IntStream rows = java.util.stream.IntStream.range(0, n1);
        if ((long) n1 * n2 * q * c > 1_000_000) {
            rows = rows.parallel();
        }
        rows.forEach(i -> {
            for (int j = same ? i : 0; j < n2; j++) {
                int out = (i * n2 + j) * q;
                for (int p = 0; p < q; p++) {
                    int ai = (i * q + p) * c, bj = (j * q + p) * c;
                    double s = 0;
                    for (int ch = 0; ch < c; ch++) {
                        s += u[ai + ch] * v[bj + ch];
                    }
                    g[out + p] = s * inv;
                }
                if (same && j != i) {
                    System.arraycopy(g, out, g, (j * n2 + i) * q, q);
                }
            }
        });
        Tensor nngp = Tensor.of(g, lay.kernelShape(n1, n2));
        Tensor cov1 = Tensor.of(same ? diagonalOfExamples(g, n1, q) : selfDiagonal(x1, n1, q, c), lay.covShape(n1));
        Tensor cov2 = same ? cov1 : Tensor.of(selfDiagonal(b, n2, q, c), lay.covShape(n2));
        return of(nngp, computeNtk ? Tensor.zeros(nngp.shape()) : null, cov1, cov2, spatial, same, c);
    }

    /** {@code cov[i, p] = g[i, i, p]} of a square diagonal-layout kernel. */
    private static double[] diagonalOfExamples(double[] g, int n, int q) {
        double[] out = new double[n * q];
        for (int i = 0; i < n; i++) {
            System.arraycopy(g, (i * n + i) * q, out, i * q, q);
        }
        return out;
    }

    /** {@code cov[i, p] = Σ_c x[i,p,c]² / C}, in the same summation order as the kernel entries. */
    static double[] selfDiagonal(Tensor x, int n, int q, int c) {
        double[] v = x.data(), out = new double[n * q];
        double inv = 1.0 / c;
        for (int r = 0; r < n * q; r++) {
            double s = 0;
            for (int ch = 0; ch < c; ch++) {
                s += v[r * c + ch] * v[r * c + ch];
            }
            out[r] = s * inv;
        }
        return out;
    }

    private static Kernel fullFromInputs(Tensor x1, Tensor x2) {
        boolean same = x2 == null || x2 == x1;
        Tensor b = same ? x1 : x2;
        checkInputs(x1, b);
        int n1 = x1.dim(0), n2 = b.dim(0), c = x1.dim(-1);
        int[] spatial = java.util.Arrays.copyOfRange(x1.shape(), 1, x1.rank() - 1);
        int q = PairLayout.positions(spatial);
        // Gram of the rows (example, position) over channels: G[(i,p),(j,q)].
        double[] g = new double[n1 * q * n2 * q];
        if (same) {
            Blas.syrk(false, n1 * q, c, 1.0 / c, x1.data(), 0.0, g);
        } else {
            Blas.gemm(false, true, n1 * q, n2 * q, c, 1.0 / c, x1.data(), b.data(), 0.0, g);
        }
        PairLayout lay = new PairLayout(spatial);
        // Dense features: the Gram matrix already is the (n1, n2) kernel.
        Tensor nngp = Tensor.of(q == 1 ? g : lay.fromGram(g, n1, n2), lay.kernelShape(n1, n2));
        // With x2 = x1 the covariances are the kernel's own diagonal blocks, bit for bit, so that the
        // correlation of an example with itself is exactly 1 (arccos is ill-conditioned there).
        Tensor cov1 = Tensor.of(same ? lay.diagonalBlocks(g, n1) : lay.fromBlocks(selfBlocks(x1, n1, q, c), n1),
                lay.covShape(n1));
        Tensor cov2 = same ? cov1 : Tensor.of(lay.fromBlocks(selfBlocks(b, n2, q, c), n2), lay.covShape(n2));
        return of(nngp, Tensor.zeros(nngp.shape()), cov1, cov2, spatial, same, c);
    }

    /** The example-diagonal blocks {@code (n, Q, Q)} of the Gram of x with itself, channel-averaged. */
    static double[] selfBlocks(Tensor x, int n, int q, int c) {
        double[] v = x.data();
        double[] out = new double[n * q * q];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < q; p++) {
                for (int r = 0; r < q; r++) {
                    double s = 0;
                    int a = (i * q + p) * c, b = (i * q + r) * c;
                    for (int ch = 0; ch < c; ch++) {
                        s += v[a + ch] * v[b + ch];
                    }
                    out[(i * q + p) * q + r] = s / c;
                }
            }
        }
        return out;
    }

    /** Number of spatial positions per example (1 for dense features). */
    public int positions() {
        return PairLayout.positions(spatial);
    }

    /** The position-pair layout of this kernel's arrays (full or diagonal, from their rank). */
    public PairLayout layout() {
        return new PairLayout(spatial, diagonalSpatial());
    }

    /**
     * True when this kernel keeps only same-position pairs (arrays {@code (n1, n2, P…)} rather than
     * {@code (n1, n2, P, P', …)}); false for dense kernels.
     */
    public boolean diagonalSpatial() {
        return spatial.length > 0 && nngp.rank() == 2 + spatial.length;
    }

    /** Number of examples of x1. */
    public int n1() {
        return nngp.dim(0);
    }

    /** Number of examples of x2. */
    public int n2() {
        return nngp.dim(1);
    }

    /**
     * A kernel from its arrays, every other component (channels aside) at its value for the raw inputs.
     * For kernels computed outside the layer rules (fused chains run from the inputs, the inputs
     * themselves); a layer's rule changes a kernel through the {@code with…} copies instead, so that the
     * components it does not touch travel on. {@code channels}: as in the canonical constructor.
     */
    public static Kernel of(Tensor nngp, Tensor ntk, Tensor cov1, Tensor cov2, int[] spatial, boolean x1IsX2, int channels) {
        return new Kernel(nngp, ntk, cov1, cov2, spatial, x1IsX2, channels, Gaussianity.INPUTS, null, null, null, null);
    }

    /**
     * A dense {@code (n1, n2)} kernel from its arrays ({@link #of} with no spatial axes): the result of a
     * fused chain or of a network computed elsewhere (row blocks, a compute engine).
     */
    public static Kernel dense(Tensor nngp, Tensor ntk, Tensor cov1, Tensor cov2, boolean x1IsX2, int channels) {
        return of(nngp, ntk, cov1, cov2, new int[0], x1IsX2, channels);
    }

    /**
     * The kernel combining branches (fan-in layers): the given arrays, spatial shape and channels, x1 = x2
     * when it is so for every branch, every other component the first branch's (a fan-in layer whose rule
     * combines a component otherwise sets it with a {@code with…} copy).
     */
    public static Kernel fromBranches(java.util.List<Kernel> branches, Tensor nngp, Tensor ntk, Tensor cov1, Tensor cov2,
                                      int[] spatial, int channels) {
        boolean same = branches.stream().allMatch(Kernel::x1IsX2);
        return new Kernel(nngp, ntk, cov1, cov2, spatial, same, channels, branches.get(0).gaussianity, branches.get(0).mask1(),
                branches.get(0).mask2(), branches.get(0).pattern1(), branches.get(0).pattern2());
    }

    /** A copy with other NNGP, NTK ({@code null}: NNGP only) and per-input covariance arrays, same spatial shape. */
    public Kernel withArrays(Tensor nngp, Tensor ntk, Tensor cov1, Tensor cov2) {
        return new Kernel(nngp, ntk, cov1, cov2, spatial, x1IsX2, channels, gaussianity, mask1, mask2, pattern1, pattern2);
    }

    /** A copy with other arrays and the spatial shape they have (pools, windows, fixed maps of positions). */
    public Kernel withArrays(Tensor nngp, Tensor ntk, Tensor cov1, Tensor cov2, int[] spatial) {
        return new Kernel(nngp, ntk, cov1, cov2, spatial, x1IsX2, channels, gaussianity, mask1, mask2, pattern1, pattern2);
    }

    /** A copy with another NNGP array. */
    public Kernel withNngp(Tensor v) {
        return new Kernel(v, ntk, cov1, cov2, spatial, x1IsX2, channels, gaussianity, mask1, mask2, pattern1, pattern2);
    }

    /** A copy with another NTK array ({@code null}: NNGP only). */
    public Kernel withNtk(Tensor v) {
        return new Kernel(nngp, v, cov1, cov2, spatial, x1IsX2, channels, gaussianity, mask1, mask2, pattern1, pattern2);
    }

    /** A copy with other per-input covariances. */
    public Kernel withCovs(Tensor c1, Tensor c2) {
        return new Kernel(nngp, ntk, c1, c2, spatial, x1IsX2, channels, gaussianity, mask1, mask2, pattern1, pattern2);
    }

    /** A copy with another spatial shape (arrays must match it). */
    public Kernel withSpatial(int[] s) {
        return new Kernel(nngp, ntk, cov1, cov2, s, x1IsX2, channels, gaussianity, mask1, mask2, pattern1, pattern2);
    }

    /** A copy with another channel count (the finite width of the features; 0 = unknown). */
    public Kernel withChannels(int c) {
        return new Kernel(nngp, ntk, cov1, cov2, spatial, x1IsX2, c, gaussianity, mask1, mask2, pattern1, pattern2);
    }

    /** Whether the flow is Gaussian ({@link Gaussianity#gaussian()}). */
    public boolean gaussian() {
        return gaussianity.gaussian();
    }

    /** A copy with another {@link Gaussianity} (set by the layer whose rule made this kernel). */
    public Kernel withGaussianity(Gaussianity g) {
        return new Kernel(nngp, ntk, cov1, cov2, spatial, x1IsX2, channels, g, mask1, mask2, pattern1, pattern2);
    }

    /**
     * A copy with other input masks (neural-tangents' {@code mask1}/{@code mask2}): {@code (n, spatial…)} arrays,
     * 1 where a position of an example is masked, or {@code null} (nothing masked). See {@link Masks}.
     */
    public Kernel withMasks(Tensor m1, Tensor m2) {
        return new Kernel(nngp, ntk, cov1, cov2, spatial, x1IsX2, channels, gaussianity, m1, m2, pattern1, pattern2);
    }

    /**
     * A copy with other per-example graphs (neural-tangents' {@code pattern=(pattern1, pattern2)} of {@code Aggregate}):
     * {@code (n1, V, V)} or {@code (n1, X…, X…)} adjacency arrays of x1's examples ({@code pattern2} of x2's), or
     * {@code null}. Every layer carries them unchanged (a pattern is data of the example, like its label); an
     * {@code aggregate()} layer without a graph of its own reads them ({@code nn.Aggregate}).
     */
    public Kernel withPatterns(Tensor p1, Tensor p2) {
        return new Kernel(nngp, ntk, cov1, cov2, spatial, x1IsX2, channels, gaussianity, mask1, mask2, p1, p2);
    }

    /** True when some example of x1 or x2 carries a mask. */
    public boolean masked() {
        return mask1 != null || mask2 != null;
    }

    /** The per-example spatial shape (a copy). */
    @Override
    public int[] spatial() {
        return spatial.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Kernel k && nngp == k.nngp && ntk == k.ntk && cov1 == k.cov1 && cov2 == k.cov2
                && Arrays.equals(spatial, k.spatial) && x1IsX2 == k.x1IsX2 && channels == k.channels
                && gaussianity.equals(k.gaussianity) && mask1 == k.mask1 && mask2 == k.mask2
                && pattern1 == k.pattern1 && pattern2 == k.pattern2;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(spatial) * 31 + System.identityHashCode(nngp);
    }

    @Override
    public String toString() {
        return "Kernel[n1=" + n1() + ", n2=" + n2() + ", spatial=" + Arrays.toString(spatial)
                + ", ntk=" + (ntk != null) + ", x1IsX2=" + x1IsX2 + ", channels=" + channels + ", masked=" + masked()
                + (gaussianity.gaussian() ? ", gaussian" : ", not Gaussian (" + gaussianity.why() + ")") + "]";
    }
}
