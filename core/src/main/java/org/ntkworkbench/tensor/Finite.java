package org.ntkworkbench.tensor;

/**
 * Checks for NaN and ±Inf, naming the array and the index of the first bad value. A non-finite
 * <em>input</em> is bad input (an {@link IllegalArgumentException}: exit 2); a non-finite <em>result</em>
 * of a stage is a failed computation (a {@link NonFiniteException}: exit 1), per DESIGN.md's exit codes.
 */
public final class Finite {
    private Finite() {}

    /** A computed array holds NaN or ±Inf: the computation failed (exit 1). */
    public static final class NonFiniteException extends ArithmeticException {
        public NonFiniteException(String message) {
            super(message);
        }
    }

    /** The flat index of the first NaN or ±Inf in {@code a}, or -1. */
    public static long firstNonFinite(double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                return i;
            }
        }
        return -1;
    }

    /** {@code [i, j, …]}: the multi-index of a flat row-major index into {@code shape}. */
    public static String index(int[] shape, long flat) {
        if (shape.length == 0) {
            return "[]";
        }
        long[] idx = new long[shape.length];
        long rest = flat;
        for (int k = shape.length - 1; k >= 0; k--) {
            int d = Math.max(1, shape[k]);
            idx[k] = rest % d;
            rest /= d;
        }
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < idx.length; k++) {
            b.append(k > 0 ? ", " : "").append(idx[k]);
        }
        return b.append(']').toString();
    }

    /** Returns {@code t}, or throws {@link IllegalArgumentException} "{@code what}: non-finite value NaN at [i, j]" (bad input, exit 2). */
    public static Tensor requireInput(String what, Tensor t) {
        long i = t == null ? -1 : firstNonFinite(t.data());
        if (i >= 0) {
            throw new IllegalArgumentException(what + ": non-finite value " + t.data()[(int) i] + " at " + index(t.shape(), i)
                    + " (inputs must be finite numbers)");
        }
        return t;
    }

    /**
     * The failure {@link #requireResult} throws for {@code value} at the flat index {@code flat} of an array of this
     * shape (for results checked block by block, e.g. a kernel streamed to a file).
     */
    public static NonFiniteException resultFailure(String what, double value, int[] shape, long flat) {
        return new NonFiniteException(what + ": non-finite value " + value + " at " + index(shape, flat)
                + " (the computation overflowed or a parameter is not finite)");
    }

    /** Returns {@code t}, or throws {@link NonFiniteException} "{@code what}: non-finite value NaN at [i, j]" (failed computation, exit 1). */
    public static Tensor requireResult(String what, Tensor t) {
        long i = t == null ? -1 : firstNonFinite(t.data());
        if (i >= 0) {
            throw resultFailure(what, t.data()[(int) i], t.shape(), i);
        }
        return t;
    }
}
