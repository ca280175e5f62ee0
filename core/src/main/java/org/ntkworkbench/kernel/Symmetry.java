package org.ntkworkbench.kernel;

import org.ntkworkbench.tensor.Tensor;

/**
 * How a kernel of inputs with themselves ({@code x2} null or {@code x1}) is made exactly symmetric: the
 * analytic rules compute both triangles, which may differ in the last bit, so the result is
 * {@code (A + Aᵀ)/2}.
 */
public final class Symmetry {
    private Symmetry() {}

    /** {@code (A + Aᵀ)/2} of the square dense arrays of {@code k}: bitwise symmetric. Spatial kernels unchanged. */
    public static Kernel symmetrised(Kernel k) {
        if (k.spatial().length != 0 || k.n1() != k.n2()) {
            return k;
        }
        return k.withNngp(symmetric(k.nngp())).withNtk(k.ntk() == null ? null : symmetric(k.ntk()));
    }

    /** {@code (A + Aᵀ)/2} of a square {@code (n, n)} array. */
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
}
