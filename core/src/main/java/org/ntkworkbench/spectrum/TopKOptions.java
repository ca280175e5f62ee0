package org.ntkworkbench.spectrum;

/**
 * Settings of the restarted block Krylov (block Lanczos with full reorthogonalisation) eigensolver.
 *
 * @param blockSize    vectors per block b (≥ k); 0 chooses max(k + 10, ⌈1.5 k⌉), capped at n
 * @param krylovBlocks blocks added per restart m (basis of up to (m+1)·b vectors); larger means fewer
 *                     restarts but more memory (n·(m+1)·b doubles twice)
 * @param tolerance    stop when ‖A v_j − λ_j v_j‖ ≤ tolerance · max_j |λ_j| for all wanted j
 * @param maxRestarts  give up (with {@code converged = false}) after this many restarts
 * @param seed         seed of the random start block
 */
public record TopKOptions(int blockSize, int krylovBlocks, double tolerance, int maxRestarts, long seed) {

    public TopKOptions {
        if (blockSize < 0 || krylovBlocks < 1 || !(tolerance > 0) || maxRestarts < 1) {
            throw new IllegalArgumentException("top-k options: need blockSize >= 0, krylovBlocks >= 1, tolerance > 0, maxRestarts >= 1; got "
                    + blockSize + ", " + krylovBlocks + ", " + tolerance + ", " + maxRestarts);
        }
    }

    /** Defaults: automatic block size, 8 Krylov blocks (measured fastest for top-20 of n = 4000), tolerance 1e-12, 300 restarts, seed 0. */
    public static TopKOptions defaults() {
        return new TopKOptions(0, 8, 1e-12, 300, 0L);
    }

    /** A copy with another tolerance. */
    public TopKOptions withTolerance(double t) {
        return new TopKOptions(blockSize, krylovBlocks, t, maxRestarts, seed);
    }

    /** A copy with another seed. */
    public TopKOptions withSeed(long s) {
        return new TopKOptions(blockSize, krylovBlocks, tolerance, maxRestarts, s);
    }

    /** A copy with another block size and number of Krylov blocks. */
    public TopKOptions withBlocks(int b, int m) {
        return new TopKOptions(b, m, tolerance, maxRestarts, seed);
    }
}
