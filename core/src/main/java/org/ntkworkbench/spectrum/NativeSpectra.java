package org.ntkworkbench.spectrum;

import java.util.function.DoubleUnaryOperator;
import org.ntkworkbench.tensor.Lapack;

/** {@link Spectra} on native LAPACK (dsyevd) and BLAS (gemm) through the tensor adapter. */
public final class NativeSpectra implements Spectra {

    /** Below this size (or when k is a large share of n) top-k uses the dense decomposition. */
    static final int DENSE_LIMIT = 500;

    @Override
    public EigenDecomposition eigh(double[] a, int n, boolean vectors) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("eigh: " + a.length + " values for an " + n + "x" + n + " matrix");
        }
        return descending(Lapack.syevd(a, n, vectors), n, n);
    }

    @Override
    public EigenDecomposition eigenvaluesOverwriting(double[] a, int n) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("eigenvalues: " + a.length + " values for an " + n + "x" + n + " matrix");
        }
        return descending(new Lapack.SymmetricEigen(Lapack.eigenvaluesOverwriting(a, n), null, n), n, n);
    }

    @Override
    public EigenDecomposition topK(double[] a, int n, int k, boolean vectors) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("topK: " + a.length + " values for an " + n + "x" + n + " matrix");
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("topK: k must be in [1, n=" + n + "], got k=" + k);
        }
        if (n <= DENSE_LIMIT || 4L * k > n) {
            return descending(Lapack.syevd(a, n, vectors), n, k);
        }
        return BlockKrylovEigensolver.solve(SymmetricOperator.dense(a, n), k, vectors, TopKOptions.defaults());
    }

    @Override
    public EigenDecomposition topK(SymmetricOperator op, int k, boolean vectors, TopKOptions options) {
        return BlockKrylovEigensolver.solve(op, k, vectors, options);
    }

    @Override
    public SphereSpectrum sphere(DoubleUnaryOperator kappa, int d, int maxDegree) {
        return FunkHecke.spectrum(kappa, d, maxDegree);
    }

    @Override
    public DecayFit decay(SphereSpectrum spectrum, int kMin, int kMax, DecayFit.Parity parity) {
        return DecayFit.fit(spectrum, kMin, kMax, parity);
    }

    @Override
    public MultiSphereSpectrum multiSphere(MultiDotProductKernel f, int c, int p, int maxDegree, int resolution) {
        return c == 2 ? MultiSphereSpectra.circles(f, p, maxDegree, resolution)
                : MultiSphereSpectra.angular(f, c, p, maxDegree, resolution);
    }

    @Override
    public Nystrom nystrom(double[] points, int n, int d, DoubleUnaryOperator kappa, int k) {
        return Nystrom.fit(points, n, d, kappa, k, this);
    }

    /** The top k of an ascending LAPACK result, reordered descending with signs fixed. */
    static EigenDecomposition descending(Lapack.SymmetricEigen e, int n, int k) {
        double[] values = new double[k];
        for (int j = 0; j < k; j++) {
            values[j] = e.values()[n - 1 - j];
        }
        double[] vecs = null;
        if (e.vectors() != null) {
            vecs = new double[n * k];
            double[] src = e.vectors();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    vecs[i * k + j] = src[i * n + (n - 1 - j)];
                }
            }
            BlockKrylovEigensolver.fixSigns(vecs, n, k);
        }
        return new EigenDecomposition(values, vecs, n, null, true, 0);
    }
}
