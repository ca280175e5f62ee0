package org.ntkworkbench.kernel;

/**
 * A layer's kernel rule on <em>dense</em> kernels in entrywise form: the output NNGP and NTK at an
 * entry {@code (i, j)} depend only on the input NNGP and NTK at that entry and on the variances
 * {@code var1[i]} (example i of x1 with itself) and {@code var2[j]} (example j of x2). Dense layers
 * ({@code Σ' = wStd² Σ + bStd²}, {@code Θ' = Σ' + wStd² Θ}), activations ({@code Σ' = T(Σ)},
 * {@code Θ' = T'(Σ) Θ}) and the identity have this form; {@link EntrywiseChain} runs a chain of them
 * over each block of entries in one pass, so the intermediate {@code n1×n2} arrays of a serial
 * network are never stored.
 *
 * <p>This is the one form in which a layer with such a rule writes it: the fused path
 * ({@link EntrywiseChain}) and the layer-by-layer rule on any kernel, dense or spatial
 * ({@link #applyTo(Kernel)}), are both derived from it, so they agree operation for operation (the fused
 * path is a re-ordering of loops, not another formula). On spatial kernels the rule sees
 * (example, position) slots: variances {@code var[i·Q + p]} and entries between slots.
 */
public interface EntrywiseRule {

    /**
     * This rule for inputs whose per-example variances are {@code var1} (x1 side) and {@code var2}
     * (x2 side; the very same array when the kernel's {@code cov2 == cov1}) and whose features have
     * {@code channels} channels (0 = unknown). The arrays are not modified.
     */
    Step prepare(double[] var1, double[] var2, int channels);

    /**
     * This rule applied to every entry of {@code k} (dense or spatial, kernels and covariances; new arrays):
     * the layer-by-layer form of the rule. Each entry is computed (no triangle is mirrored), so the result
     * is the same whatever the kernel's symmetry.
     */
    default Kernel applyTo(Kernel k) {
        return EntrywiseDriver.apply(this, k);
    }

    /** A rule prepared for given input variances. */
    interface Step {

        /**
         * Applies the rule in place to the entries {@code (i, j0 + m)}, {@code 0 ≤ m < len}, whose NNGP
         * is {@code nngp[off + m]} and NTK {@code ntk[off + m]} ({@code ntk} {@code null}: NNGP only).
         * Safe to call from several threads on disjoint entries.
         */
        void apply(int i, int j0, int len, double[] nngp, double[] ntk, int off);

        /**
         * Applies the rule in place to the entries pairing slots {@code (a0 + m, b0 + m)}, {@code 0 ≤ m < len}
         * (both sides advance: the same-position pairs of one pair of examples on the diagonal spatial layout),
         * at {@code nngp[off + m]} and {@code ntk[off + m]}. The default calls {@link #apply} entry by entry, so
         * every entry sees the same operations; steps may override it with a direct loop.
         */
        default void applyDiagonal(int a0, int b0, int len, double[] nngp, double[] ntk, int off) {
            if (slotFree()) {
                apply(a0, b0, len, nngp, ntk, off);
                return;
            }
            for (int m = 0; m < len; m++) {
                apply(a0 + m, b0 + m, 1, nngp, ntk, off + m);
            }
        }

        /** The x1-side variances after the layer (its rule applied to each example with itself). */
        double[] var1();

        /** The x2-side variances after the layer; the same array as {@link #var1()} when the inputs were. */
        double[] var2();

        /** The channel count of the layer's output features (0 = unknown). */
        int channels();

        /**
         * True when {@link #apply} ignores {@code i} and {@code j} (the rule reads no variances, e.g. dense),
         * so a driver may pass any run of consecutive entries at once, whatever slots they pair.
         */
        default boolean slotFree() {
            return false;
        }
    }

    /** The identity rule (identity and evaluation-mode dropout layers). */
    static EntrywiseRule identity() {
        return new EntrywiseRule() {
            @Override
            public Step prepare(double[] var1, double[] var2, int channels) {
                return identityStep(var1, var2, channels);
            }

            @Override
            public Kernel applyTo(Kernel k) {
                return k;
            }
        };
    }

    private static Step identityStep(double[] var1, double[] var2, int channels) {
        return new Step() {
            @Override
            public void apply(int i, int j0, int len, double[] nngp, double[] ntk, int off) {
                // the entries are unchanged
            }

            @Override
            public double[] var1() {
                return var1;
            }

            @Override
            public double[] var2() {
                return var2;
            }

            @Override
            public int channels() {
                return channels;
            }

            @Override
            public boolean slotFree() {
                return true;
            }
        };
    }
}
