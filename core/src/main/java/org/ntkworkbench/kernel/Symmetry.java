package org.ntkworkbench.kernel;

import org.ntkworkbench.tensor.Tensor;

/**
 * The one place that decides how a kernel of inputs with themselves is made exactly symmetric.
 *
 * <p>A kernel is of x1 with itself when {@code x2} is {@code null} or the very same tensor
 * ({@link #ofItself}). Such a kernel is returned symmetric to the last bit, in one of two ways:
 * <ul>
 *   <li>rules that compute one triangle copy it onto the other ({@link #mirrorUpper}): the fused
 *       entrywise chain, the dense activation rule, the empirical kernels;</li>
 *   <li>results computed on both triangles, which may differ in the last bit (spatial rules, readouts,
 *       row blocks), are replaced by {@code (A + Aᵀ)/2} ({@link #symmetrised}, {@link #averageInPlace}):
 *       exact because floating-point addition commutes.</li>
 * </ul>
 */
public final class Symmetry {
    private Symmetry() {}

    /** Whether a kernel between {@code x1} and {@code x2} is the kernel of x1 with itself ({@code x2} null or x1). */
    public static boolean ofItself(Object x1, Object x2) {
        return x2 == null || x2 == x1;
    }

    /**
     * {@code k} as the kernel of inputs with themselves must be returned: {@link #symmetrised} when
     * {@link #ofItself}{@code (x1, x2)}, else {@code k} unchanged.
     */
    public static Kernel forInputs(Kernel k, Object x1, Object x2) {
        return ofItself(x1, x2) ? symmetrised(k) : k;
    }

    /** {@code (A + Aᵀ)/2} of the square dense arrays of {@code k}: bitwise symmetric. Spatial kernels unchanged. */
    public static Kernel symmetrised(Kernel k) {
        if (k.spatial().length != 0 || k.n1() != k.n2()) {
            return k;
        }
        return k.withNngp(symmetric(k.nngp())).withNtk(k.ntk() == null ? null : symmetric(k.ntk()));
    }

    /** {@code (A + Aᵀ)/2} of a square {@code (n, n)} array, as a new array. */
    public static Tensor symmetric(Tensor a) {
        int n = a.dim(0);
        double[] v = a.data(), o = new double[v.length];
        for (int i = 0; i < n; i++) {
            o[i * n + i] = v[i * n + i];
            for (int j = i + 1; j < n; j++) {
                double m = (v[i * n + j] + v[j * n + i]) * 0.5;
                o[i * n + j] = m;
                o[j * n + i] = m;
            }
        }
        return Tensor.of(o, a.shape());
    }

    /** {@code (A + Aᵀ)/2} of the square row-major {@code n×n} matrix {@code a}, in place. */
    public static void averageInPlace(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double m = (a[i * n + j] + a[j * n + i]) * 0.5;
                a[i * n + j] = m;
                a[j * n + i] = m;
            }
        }
    }

    /**
     * Copies the upper triangle of the square row-major {@code n×n} matrix {@code a} onto its lower one,
     * in cache-sized tiles (the strided writes stay in cache).
     */
    public static void mirrorUpper(double[] a, int n) {
        final int tile = 64;
        for (int i0 = 0; i0 < n; i0 += tile) {
            for (int j0 = i0; j0 < n; j0 += tile) {
                for (int i = i0; i < Math.min(n, i0 + tile); i++) {
                    for (int j = Math.max(i + 1, j0); j < Math.min(n, j0 + tile); j++) {
                        a[j * n + i] = a[i * n + j];
                    }
                }
            }
        }
    }
}
