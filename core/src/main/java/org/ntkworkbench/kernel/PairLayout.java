package org.ntkworkbench.kernel;

import java.util.Arrays;
import org.ntkworkbench.tensor.Tensor;

/**
 * Index bookkeeping for kernels over spatial position pairs.
 *
 * <p>For spatial shape {@code (P1, …, PS)} a kernel entry between example {@code i} of x1 and example
 * {@code j} of x2 is a block of {@code B = Q²} values, {@code Q = P1⋯PS}, laid out row-major over the
 * interleaved axes {@code (p1, q1, p2, q2, …)} (neural-tangents' order): {@code p} indexes positions of
 * x1, {@code q} of x2. A flat position {@code pos = ((p1·P2 + p2)·P3 + …)} enumerates the Q positions.
 * For dense features {@code S = 0}, {@code Q = B = 1}.
 *
 * <p><b>Diagonal layout</b> (neural-tangents' {@code diagonal_spatial=True}): only the same-position
 * pairs {@code (p, p)} are kept, so a block is {@code B = Q} values laid out over {@code (p1, p2, …)},
 * kernels are {@code (n1, n2, P1, P2, …)} and covariances {@code (n, P1, P2, …)}. Entry {@code m} of a
 * block is the pair {@code (m, m)}; every rule that reads pairs through {@link #posA}/{@link #posB}/
 * {@link #diagonal} (activations, layer norm, flatten, dense) works on it unchanged.
 */
public final class PairLayout {
    private final int[] sizes;
    private final int q;
    private final int block;
    private final int[] posA;
    private final int[] posB;
    private final int[] diag;
    private final boolean diagonalOnly;

    /** The layout of kernels over the given per-example spatial shape ({@code []} for dense). */
    public PairLayout(int[] spatial) {
        this(spatial, false);
    }

    /**
     * The full layout ({@code diagonalOnly = false}: all position pairs) or the diagonal one (only
     * {@code (p, p)}; see the class comment) over the given spatial shape.
     */
    public PairLayout(int[] spatial, boolean diagonalOnly) {
        this.diagonalOnly = diagonalOnly && spatial.length > 0;
        if (this.diagonalOnly) {
            this.sizes = spatial.clone();
            this.q = positions(spatial);
            this.block = q;
            this.posA = new int[q];
            for (int p = 0; p < q; p++) {
                posA[p] = p;
            }
            this.posB = posA;
            this.diag = posA;
            return;
        }
        this.sizes = spatial.clone();
        this.q = positions(spatial);
        this.block = q * q;
        this.posA = new int[block];
        this.posB = new int[block];
        this.diag = new int[q];
        int s = sizes.length;
        int[] idx = new int[2 * s];
        for (int m = 0; m < block; m++) {
            // Decode m into (p1, q1, p2, q2, ...), row-major.
            int rest = m;
            for (int a = 2 * s - 1; a >= 0; a--) {
                int size = sizes[a / 2];
                idx[a] = rest % size;
                rest /= size;
            }
            int pa = 0, pb = 0;
            for (int a = 0; a < s; a++) {
                pa = pa * sizes[a] + idx[2 * a];
                pb = pb * sizes[a] + idx[2 * a + 1];
            }
            posA[m] = pa;
            posB[m] = pb;
            if (pa == pb) {
                diag[pa] = m;
            }
        }
    }

    /** Number of positions {@code Q} of a spatial shape (1 for dense). */
    /** The row-major multi-index {@code idx} (last axis fastest) of flat position {@code flat} in an array of shape {@code dims}. */
    public static void unravel(int flat, int[] dims, int[] idx) {
        for (int a = dims.length - 1; a >= 0; a--) {
            idx[a] = flat % dims[a];
            flat /= dims[a];
        }
    }

    public static int positions(int[] spatial) {
        int q = 1;
        for (int p : spatial) {
            if (p <= 0) {
                throw new IllegalArgumentException("spatial shape " + Arrays.toString(spatial) + " has a non-positive size");
            }
            q *= p;
        }
        return q;
    }

    /** {@code Q}, positions per example. */
    public int positions() {
        return q;
    }

    /** True for the diagonal layout (same-position pairs only). */
    public boolean diagonalOnly() {
        return diagonalOnly;
    }

    /** {@code B = Q²} values per example pair ({@code Q} in the diagonal layout). */
    public int block() {
        return block;
    }

    /** Number of spatial axes. */
    public int axes() {
        return sizes.length;
    }

    /** Flat position of x1's side of block entry {@code m}. */
    public int posA(int m) {
        return posA[m];
    }

    /** Flat position of x2's side of block entry {@code m}. */
    public int posB(int m) {
        return posB[m];
    }

    /** Block entry {@code m} of the diagonal pair {@code (pos, pos)}. */
    public int diagonal(int pos) {
        return diag[pos];
    }

    /** {@code [n1, n2, P1, P1, P2, P2, …]} ({@code [n1, n2, P1, P2, …]} in the diagonal layout). */
    public int[] kernelShape(int n1, int n2) {
        if (diagonalOnly) {
            int[] s = new int[2 + sizes.length];
            s[0] = n1;
            s[1] = n2;
            System.arraycopy(sizes, 0, s, 2, sizes.length);
            return s;
        }
        int[] s = new int[2 + 2 * sizes.length];
        s[0] = n1;
        s[1] = n2;
        for (int a = 0; a < sizes.length; a++) {
            s[2 + 2 * a] = sizes[a];
            s[3 + 2 * a] = sizes[a];
        }
        return s;
    }

    /** {@code [n, P1, P1, P2, P2, …]} (just {@code [n]} for dense; {@code [n, P1, P2, …]} diagonal). */
    public int[] covShape(int n) {
        if (diagonalOnly) {
            int[] s = new int[1 + sizes.length];
            s[0] = n;
            System.arraycopy(sizes, 0, s, 1, sizes.length);
            return s;
        }
        int[] s = new int[1 + 2 * sizes.length];
        s[0] = n;
        for (int a = 0; a < sizes.length; a++) {
            s[1 + 2 * a] = sizes[a];
            s[2 + 2 * a] = sizes[a];
        }
        return s;
    }

    /** Kernel array from a Gram matrix {@code g[(i,pos1),(j,pos2)]} of size {@code (n1·Q) × (n2·Q)}. */
    double[] fromGram(double[] g, int n1, int n2) {
        double[] out = new double[n1 * n2 * block];
        long cols = (long) n2 * q;
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                int base = (i * n2 + j) * block;
                for (int m = 0; m < block; m++) {
                    out[base + m] = g[(int) ((i * q + posA[m]) * cols + j * q + posB[m])];
                }
            }
        }
        return out;
    }

    /** Covariance array {@code (n, block)} from the example-diagonal blocks of a square Gram of {@code n·Q} rows. */
    double[] diagonalBlocks(double[] g, int n) {
        double[] out = new double[n * block];
        long cols = (long) n * q;
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < block; m++) {
                out[i * block + m] = g[(int) ((i * q + posA[m]) * cols + i * q + posB[m])];
            }
        }
        return out;
    }

    /** Covariance array {@code (n, block)} from per-example Gram blocks {@code g[i, pos1, pos2]}. */
    double[] fromBlocks(double[] g, int n) {
        double[] out = new double[n * block];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < block; m++) {
                out[i * block + m] = g[(i * q + posA[m]) * q + posB[m]];
            }
        }
        return out;
    }

    /** Per-(example, position) variances {@code var[i·Q + pos] = cov[i, pos, pos]} of a covariance array. */
    public double[] variances(Tensor cov) {
        double[] c = cov.data();
        int n = c.length / block;
        double[] v = new double[n * q];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < q; p++) {
                v[i * q + p] = c[i * block + diag[p]];
            }
        }
        return v;
    }
}
