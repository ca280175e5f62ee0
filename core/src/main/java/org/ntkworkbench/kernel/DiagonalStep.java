package org.ntkworkbench.kernel;

import java.util.Arrays;

/**
 * One step of a layer's kernel rule on the diagonal spatial layout (same-position pairs only), in the form
 * the fused per-pair pass {@link DiagonalChain} runs: a layer whose diagonal rule is a sequence of these
 * (convolution: {@link Window} then its dense {@link Entrywise} rule; activations and dense layers:
 * {@link Entrywise}; flatten: {@link MeanReadout}) says so through {@code Layer.diagonalSteps()}. The steps
 * are built from the same parts as the layer's whole-array rule ({@link PairAxes} windows, the layer's
 * {@link EntrywiseRule}, the mean over positions), so both paths do the same operations per entry.
 */
public sealed interface DiagonalStep {

    /**
     * The convolution's shift rule on every spatial axis (axis by axis, as {@link PairAxes#diagonalAxis}):
     * output position o is the mean over the filter taps of the input at {@code s·o + k − lo}. The channel
     * count it passes on is multiplied by the filter size: it is the fan-in of the dense rule that follows.
     */
    record Window(int[] filter, int[] strides, Padding padding) implements DiagonalStep {
        /** Copies the arrays. */
        public Window {
            filter = filter.clone();
            strides = strides.clone();
        }

        @Override
        public int[] filter() {
            return filter.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Window w && Arrays.equals(filter, w.filter) && Arrays.equals(strides, w.strides)
                    && padding == w.padding;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(filter) * 31 + Arrays.hashCode(strides) + padding.hashCode();
        }

        @Override
        public String toString() {
            return "Window[" + Arrays.toString(filter) + ", " + Arrays.toString(strides) + ", " + padding + "]";
        }
    }

    /** An entrywise rule (dense, activation, identity) on each same-position pair of slots. */
    record Entrywise(EntrywiseRule rule) implements DiagonalStep {}

    /**
     * The flatten readout: the mean over positions, giving a dense kernel whose channel count is
     * positions × channels. It ends a fused run.
     */
    record MeanReadout() implements DiagonalStep {}
}
