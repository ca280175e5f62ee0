package org.ntkworkbench.spectrum;

/**
 * Eigenpairs of a symmetric n×n matrix or operator, eigenvalues in descending order.
 *
 * @param values    λ_1 ≥ λ_2 ≥ … ≥ λ_k
 * @param vectors   the orthonormal eigenvectors as the columns of a row-major {@code (n, k)} array
 *                  ({@code vectors[i·k + j]} is component i of eigenvector j), or {@code null} if not
 *                  requested. Each vector's sign is fixed so that its largest-magnitude component is
 *                  positive.
 * @param n         dimension of the space
 * @param residuals ‖A v_j − λ_j v_j‖ for iterative results; {@code null} for a dense decomposition
 * @param converged whether every residual met the tolerance (always true for dense decompositions)
 * @param products  number of operator–vector products spent (0 for dense decompositions)
 */
public record EigenDecomposition(double[] values, double[] vectors, int n, double[] residuals,
                                 boolean converged, long products) {

    /** Number of eigenpairs held. */
    public int count() {
        return values.length;
    }

    /** Eigenvector j as a new array of length n. */
    public double[] vector(int j) {
        if (vectors == null) {
            throw new IllegalStateException("eigenvectors were not computed");
        }
        int k = values.length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = vectors[i * k + j];
        }
        return v;
    }
}
