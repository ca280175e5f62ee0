package org.ntkworkbench.model.predict;

import org.ntkworkbench.tensor.Lapack;
import org.ntkworkbench.tensor.Tensor;

/**
 * Validation of kernel matrices before they enter a solver: non-finite entries, wrong shapes, and
 * symmetric matrices that are not positive semi-definite are reported with the offending index, so a
 * bad kernel never turns silently into NaN predictions.
 */
public final class KernelChecks {
    private KernelChecks() {}

    /** Relative tolerance for negative eigenvalues: {@code λ_min ≥ −1e−9 · max(|λ_max|, tiny)}. */
    public static final double PSD_TOLERANCE = 1e-9;

    /** Throws unless {@code k} is a rank-2 tensor of shape {@code (rows, cols)} with finite entries. */
    public static void requireFinite(String what, Tensor k, int rows, int cols) {
        if (k == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (k.rank() != 2 || k.dim(0) != rows || k.dim(1) != cols) {
            throw new IllegalArgumentException(what + " has shape " + k.shapeString() + ", expected [" + rows + ", " + cols + "]");
        }
        double[] a = k.data();
        for (int e = 0; e < a.length; e++) {
            if (!Double.isFinite(a[e])) {
                throw new IllegalArgumentException(what + " entry (" + e / cols + ", " + e % cols + ") is " + a[e]);
            }
        }
    }

    /** Throws unless the square {@code k} is symmetric to {@code 1e−10} of its largest entry. */
    public static void requireSymmetric(String what, Tensor k) {
        int n = k.dim(0);
        double[] a = k.data();
        double tol = 1e-10 * Math.max(k.maxAbs(), Double.MIN_NORMAL);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(a[i * n + j] - a[j * n + i]) > tol) {
                    throw new IllegalArgumentException(what + " is not symmetric: entry (" + i + ", " + j + ") = "
                            + a[i * n + j] + " but (" + j + ", " + i + ") = " + a[j * n + i]);
                }
            }
        }
    }

    /**
     * Eigendecomposition of a finite symmetric kernel matrix, checked to be positive semi-definite: a
     * negative eigenvalue below tolerance is reported with its index and the example on which its
     * eigenvector is concentrated.
     */
    public static Lapack.SymmetricEigen psdEigen(String what, Tensor k) {
        int n = k.dim(0);
        requireFinite(what, k, n, n);
        requireSymmetric(what, k);
        Lapack.SymmetricEigen e = Lapack.syevd(k.data(), n, true);
        checkPsd(what, e);
        return e;
    }

    static void checkPsd(String what, Lapack.SymmetricEigen e) {
        int n = e.n();
        if (n == 0) {
            return;
        }
        double[] w = e.values();
        double max = Math.max(Math.abs(w[n - 1]), Math.abs(w[0]));
        if (w[0] < -PSD_TOLERANCE * Math.max(max, Double.MIN_NORMAL)) {
            String where = "";
            if (e.vectors() != null) {
                int arg = 0;
                for (int i = 1; i < n; i++) {
                    if (Math.abs(e.vectors()[i * n]) > Math.abs(e.vectors()[arg * n])) {
                        arg = i;
                    }
                }
                where = ", its eigenvector is largest at example " + arg;
            }
            throw new IllegalArgumentException(what + " is not positive semi-definite: eigenvalue 0 (ascending) = " + w[0]
                    + " against largest " + w[n - 1] + where);
        }
    }
}
