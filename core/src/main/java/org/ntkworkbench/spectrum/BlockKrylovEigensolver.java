package org.ntkworkbench.spectrum;

import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Lapack;
import org.ntkworkbench.tensor.SeededRandom;

/**
 * The k algebraically largest eigenpairs of a symmetric operator without a dense decomposition:
 * restarted block Krylov iteration (block Lanczos with full reorthogonalisation and thick restart).
 *
 * <p>Each restart starts from the current b Ritz vectors X (and their images AX, kept so no product
 * is repeated), grows the basis V = [X, K₁, …, K_m] where K_j is the orthonormalised part of A K_{j−1}
 * orthogonal to everything before (two passes of block Gram–Schmidt through gemm, then an eigen-based
 * orthonormalisation of the block that drops numerically dependent directions), and takes Ritz pairs of
 * H = Vᵀ A V. All dense work is gemm/syrk on (b × n) blocks and syevd on the small H; the operator is
 * applied to whole blocks. Memory: 2 (m+1) b n doubles.
 */
public final class BlockKrylovEigensolver {
    private BlockKrylovEigensolver() {}

    /** Top-k eigenpairs of {@code op} (descending), with eigenvectors if {@code vectors}. */
    public static EigenDecomposition solve(SymmetricOperator op, int k, boolean vectors, TopKOptions opt) {
        int n = op.size();
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("top-k: k must be in [1, n=" + n + "], got k=" + k);
        }
        int b = opt.blockSize() > 0 ? opt.blockSize() : Math.max(k + 10, (3 * k + 1) / 2);
        if (b < k) {
            throw new IllegalArgumentException("top-k: block size " + b + " is smaller than k=" + k);
        }
        b = Math.min(b, n);
        int m = opt.krylovBlocks();
        long maxCols = Math.min((long) n, (long) (m + 1) * b);
        if (maxCols * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("top-k: basis of " + maxCols + " vectors of length " + n
                    + " exceeds one Java array; lower blockSize or krylovBlocks");
        }
        double[] basis = new double[(int) (maxCols * n)];
        double[] images = new double[basis.length];
        long products = 0;

        // Random orthonormal start block.
        double[] q = new double[b * n];
        SeededRandom.derived(opt.seed(), "block-krylov-start").fillGaussian(q);
        int rows = orthonormalize(q, b, basis, 0, n);
        double[] aq = new double[rows * n];
        op.apply(q, rows, aq);
        products += rows;

        double[] theta = null;
        double[] x = null;
        double[] ax = null;
        double[] res = new double[k];
        boolean converged = false;
        for (int restart = 0; restart < opt.maxRestarts(); restart++) {
            System.arraycopy(q, 0, basis, 0, rows * n);
            System.arraycopy(aq, 0, images, 0, rows * n);
            int cols = rows;
            int lastStart = 0;
            int lastRows = rows;
            for (int j = 0; j < m && cols < maxCols; j++) {
                int r = (int) Math.min(lastRows, maxCols - cols);
                double[] w = new double[r * n];
                System.arraycopy(images, lastStart * n, w, 0, r * n);
                int kept = orthonormalize(w, r, basis, cols, n);
                if (kept == 0) {
                    break; // the Krylov space is invariant: Ritz pairs are exact
                }
                double[] aw = new double[kept * n];
                op.apply(w, kept, aw);
                products += kept;
                System.arraycopy(w, 0, basis, cols * n, kept * n);
                System.arraycopy(aw, 0, images, cols * n, kept * n);
                lastStart = cols;
                lastRows = kept;
                cols += kept;
            }
            // Rayleigh–Ritz on H = V A Vᵀ (rows of V are the basis vectors).
            double[] h = new double[cols * cols];
            Blas.gemm(false, true, cols, cols, n, 1.0, basis, images, 0.0, h);
            for (int i = 0; i < cols; i++) {
                for (int j = i + 1; j < cols; j++) {
                    double s = 0.5 * (h[i * cols + j] + h[j * cols + i]);
                    h[i * cols + j] = s;
                    h[j * cols + i] = s;
                }
            }
            Lapack.SymmetricEigen e = Lapack.syevd(h, cols, true);
            int keep = Math.min(b, cols);
            double[] s = new double[cols * keep];
            theta = new double[keep];
            for (int j = 0; j < keep; j++) {
                int src = cols - 1 - j; // descending
                theta[j] = e.values()[src];
                for (int i = 0; i < cols; i++) {
                    s[i * keep + j] = e.vectors()[i * cols + src];
                }
            }
            x = new double[keep * n];
            ax = new double[keep * n];
            Blas.gemm(true, false, keep, n, cols, 1.0, s, 0, basis, 0, 0.0, x, 0);
            Blas.gemm(true, false, keep, n, cols, 1.0, s, 0, images, 0, 0.0, ax, 0);
            double scale = 0;
            for (double t : theta) {
                scale = Math.max(scale, Math.abs(t));
            }
            converged = true;
            for (int j = 0; j < k; j++) {
                double r2 = 0;
                for (int i = 0; i < n; i++) {
                    double d = ax[j * n + i] - theta[j] * x[j * n + i];
                    r2 += d * d;
                }
                res[j] = Math.sqrt(r2);
                if (res[j] > opt.tolerance() * scale) {
                    converged = false;
                }
            }
            if (converged || cols >= n) {
                converged = true;
                break;
            }
            q = x;
            aq = ax;
            rows = keep;
        }
        double[] values = java.util.Arrays.copyOf(theta, k);
        double[] vecs = null;
        if (vectors) {
            vecs = new double[n * k];
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < n; i++) {
                    vecs[i * k + j] = x[j * n + i];
                }
            }
            fixSigns(vecs, n, k);
        }
        return new EigenDecomposition(values, vecs, n, res.clone(), converged, products);
    }

    /**
     * Orthonormalises the {@code r} vectors in {@code w} (rows of length n) against the first
     * {@code cols} rows of {@code basis} and among themselves; numerically dependent directions are
     * dropped. The result is written to the front of {@code w}; returns how many vectors remain.
     */
    static int orthonormalize(double[] w, int r, double[] basis, int cols, int n) {
        double scale = 0;
        for (int i = 0; i < r; i++) {
            double s = 0;
            for (int l = 0; l < n; l++) {
                s += w[i * n + l] * w[i * n + l];
            }
            scale = Math.max(scale, s);
        }
        scale = Math.sqrt(scale);
        if (scale == 0) {
            return 0;
        }
        for (int pass = 0; pass < 2 && r > 0; pass++) {
            if (cols > 0) {
                double[] c = new double[r * cols];
                Blas.gemm(false, true, r, cols, n, 1.0, w, 0, basis, 0, 0.0, c, 0);
                Blas.gemm(false, false, r, n, cols, -1.0, c, 0, basis, 0, 1.0, w, 0);
            }
            double[] g = new double[r * r];
            Blas.syrk(false, r, n, 1.0, java.util.Arrays.copyOf(w, r * n), 0.0, g);
            Lapack.SymmetricEigen e = Lapack.syevd(g, r, true);
            // Pass 1 drops directions at rounding level of the input; pass 2 drops those that lost
            // most of their norm to the re-projection (they lay in the span of the basis).
            double floor = pass == 0 ? 1e-12 * scale : 0.1;
            int kept = 0;
            int[] idx = new int[r];
            for (int j = r - 1; j >= 0; j--) {
                if (Math.sqrt(Math.max(0, e.values()[j])) > floor) {
                    idx[kept++] = j;
                }
            }
            if (kept == 0) {
                return 0;
            }
            double[] u = new double[r * kept];
            for (int c = 0; c < kept; c++) {
                double inv = 1 / Math.sqrt(e.values()[idx[c]]);
                for (int i = 0; i < r; i++) {
                    u[i * kept + c] = e.vectors()[i * r + idx[c]] * inv;
                }
            }
            double[] out = new double[kept * n];
            Blas.gemm(true, false, kept, n, r, 1.0, u, 0, w, 0, 0.0, out, 0);
            System.arraycopy(out, 0, w, 0, kept * n);
            r = kept;
            scale = 1;
        }
        return r;
    }

    /** Makes the largest-magnitude component of each column of a row-major (n, k) array positive. */
    static void fixSigns(double[] vecs, int n, int k) {
        for (int j = 0; j < k; j++) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(vecs[i * k + j]) > Math.abs(vecs[best * k + j])) {
                    best = i;
                }
            }
            if (vecs[best * k + j] < 0) {
                for (int i = 0; i < n; i++) {
                    vecs[i * k + j] = -vecs[i * k + j];
                }
            }
        }
    }
}
