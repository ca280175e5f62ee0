package org.ntkworkbench.model.empirical;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.tensor.Tensor;

/**
 * neural-tangents' {@code trace_axes} and {@code diagonal_axes} for empirical kernels: which output axes
 * of {@code f(x)} (shape {@code (n, s₁, …, s_m)}, axis 0 the examples) are traced out and which are kept
 * only on their diagonal.
 *
 * <p>The full empirical kernel of a network has one entry per pair of outputs,
 * {@code K[i, j, o, o′] = ⟨f_o(x1_i), f_o′(x2_j)⟩} ({@code ⟨·,·⟩} the parameter-gradient inner product for
 * the NTK, the plain product for the NNGP). With these options its shape is nt's
 * {@code zip(f(x1).shape, f(x2).shape)} with every traced axis removed and every diagonal axis kept once:
 * {@code (n1, n2)} then, for each output axis {@code a} in order, {@code (s_a, s_a′)} (paired, interleaved as
 * the analytic spatial kernels), {@code (s_a)} (diagonal) or nothing (traced). A traced axis is
 * <em>averaged</em> over its diagonal ({@code (1/s_a) Σ_o K[…, o, o, …]}), as in nt (which divides by the
 * traced size) and DESIGN.md's mean over output units, so the traced kernel converges to the per-unit
 * analytic one. Axis 0 may be diagonal (only {@code (i, i)} pairs: shape {@code (n, …)}, needs
 * {@code n1 = n2}) but not traced.
 *
 * <p>Axes count as in {@code f(x)}'s batch array: {@code 1…m}, or negative from the end ({@code −1} is the
 * last output axis). {@link #ALL_TRACED} (the default everywhere) traces every output axis.
 *
 * @param trace    output axes (1-based, normalised, ascending) to trace, or {@code null} for all of them
 * @param diagonal output axes (0-based batch axes, normalised, ascending) to keep on their diagonal
 */
public record OutputAxes(int[] trace, int[] diagonal) {

    /** Every output axis traced, nothing diagonal: the {@code (n1, n2)} mean over output units. */
    public static final OutputAxes ALL_TRACED = new OutputAxes(null, new int[0]);

    /** Defensive copies. */
    public OutputAxes {
        trace = trace == null ? null : trace.clone();
        diagonal = diagonal == null ? new int[0] : diagonal.clone();
    }

    /**
     * Options {@code traceAxes} / {@code diagonalAxes} as given in the DSL (a number or a list of numbers;
     * {@code null}: default) for outputs of per-example rank {@code m}; throws
     * {@link IllegalArgumentException} in one line for an axis out of range, a traced example axis or an
     * axis both traced and diagonal.
     */
    public static OutputAxes of(Object traceAxes, Object diagonalAxes, int m) {
        int[] t = traceAxes == null ? null : normalise("traceAxes", traceAxes, m);
        int[] d = diagonalAxes == null ? new int[0] : normalise("diagonalAxes", diagonalAxes, m);
        if (t != null) {
            for (int a : t) {
                if (a == 0) {
                    throw new IllegalArgumentException("traceAxes: the example axis 0 cannot be traced (use diagonalAxes: [0] "
                            + "for the example diagonal)");
                }
                for (int b : d) {
                    if (a == b) {
                        throw new IllegalArgumentException("axis " + a + " is in both traceAxes and diagonalAxes");
                    }
                }
            }
        }
        return new OutputAxes(t, d);
    }

    private static int[] normalise(String what, Object v, int m) {
        List<?> items = v instanceof List<?> l ? l : v instanceof int[] arr ? Arrays.stream(arr).boxed().toList() : List.of(v);
        List<Integer> out = new ArrayList<>();
        for (Object o : items) {
            if (!(o instanceof Number num) || num.doubleValue() != Math.rint(num.doubleValue())) {
                throw new IllegalArgumentException(what + ": axes must be integers, got " + o);
            }
            int a = num.intValue();
            int norm = a < 0 ? m + 1 + a : a;
            if (norm < 0 || norm > m) {
                throw new IllegalArgumentException(what + ": axis " + a + " is out of range for outputs of rank " + (m + 1)
                        + " (axis 0 = examples, 1.." + m + " or -" + m + "..-1 the output axes)");
            }
            if (!out.contains(norm)) {
                out.add(norm);
            }
        }
        return out.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** True when every output axis is traced and nothing is diagonal (the plain {@code (n1, n2)} kernel). */
    public boolean allTraced(int m) {
        return diagonal.length == 0 && (trace == null || trace.length == m);
    }

    private boolean traced(int a) {
        if (trace == null) {
            return a > 0;
        }
        for (int t : trace) {
            if (t == a) {
                return true;
            }
        }
        return false;
    }

    private boolean isDiagonal(int a) {
        for (int d : diagonal) {
            if (d == a) {
                return true;
            }
        }
        return false;
    }

    /** The result shape for {@code n1 × n2} examples and per-example output shape {@code s}. */
    public int[] shape(int n1, int n2, int[] s) {
        List<Integer> dims = new ArrayList<>();
        if (isDiagonal(0)) {
            dims.add(n1);
        } else {
            dims.add(n1);
            dims.add(n2);
        }
        for (int a = 1; a <= s.length; a++) {
            if (traced(a)) {
                continue;
            }
            dims.add(s[a - 1]);
            if (!isDiagonal(a)) {
                dims.add(s[a - 1]);
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Reduces a full kernel {@code (n1·k, n2·k)} (row {@code i·k + o} for example i and flat output o of
     * per-example shape {@code s}, as {@link EmpiricalNtk#ntk} with {@code trace = false}) to these axes.
     * {@code symmetric}: the input is the kernel of x1 with itself, and the result is made symmetric to the
     * last bit (under swapping the examples and each paired axis).
     */
    public Tensor reduce(double[] full, int n1, int n2, int[] s, boolean symmetric) {
        int m = s.length;
        int k = 1;
        for (int d : s) {
            k *= d;
        }
        boolean diag0 = isDiagonal(0);
        if (diag0 && n1 != n2) {
            throw new IllegalArgumentException("diagonalAxes: [0] needs as many examples in x1 as in x2, got " + n1 + " and " + n2);
        }
        int[] shape = shape(n1, n2, s);
        int lead = diag0 ? 1 : 2;
        int block = 1;
        for (int i = lead; i < shape.length; i++) {
            block *= shape[i];
        }
        double traceSize = 1;
        for (int a = 1; a <= m; a++) {
            if (traced(a)) {
                traceSize *= s[a - 1];
            }
        }
        // Per output pair (o1, o2): its offset in the per-example-pair block, or −1 when it does not count.
        int[] at = new int[k * k];
        int[] i1 = new int[m], i2 = new int[m];
        for (int o1 = 0; o1 < k; o1++) {
            unravel(o1, s, i1);
            for (int o2 = 0; o2 < k; o2++) {
                unravel(o2, s, i2);
                int off = 0;
                boolean valid = true;
                for (int a = 1; a <= m && valid; a++) {
                    int u = i1[a - 1], v = i2[a - 1], size = s[a - 1];
                    if (traced(a) || isDiagonal(a)) {
                        valid = u == v;
                        if (!traced(a)) {
                            off = off * size + u;
                        }
                    } else {
                        off = (off * size + u) * size + v;
                    }
                }
                at[o1 * k + o2] = valid ? off : -1;
            }
        }
        double[] out = new double[(diag0 ? n1 : n1 * n2) * block];
        int cols = n2 * k;
        for (int i = 0; i < n1; i++) {
            for (int j = diag0 ? i : 0; j < (diag0 ? i + 1 : n2); j++) {
                int base = (diag0 ? i : i * n2 + j) * block;
                for (int o1 = 0; o1 < k; o1++) {
                    int row = (i * k + o1) * cols + j * k;
                    for (int o2 = 0; o2 < k; o2++) {
                        int t = at[o1 * k + o2];
                        if (t >= 0) {
                            out[base + t] += full[row + o2];
                        }
                    }
                }
            }
        }
        if (traceSize != 1) {
            for (int e = 0; e < out.length; e++) {
                out[e] /= traceSize;
            }
        }
        if (symmetric) {
            mirror(out, n1, diag0, block, at, k);
        }
        return Tensor.of(out, shape);
    }

    /** Copies each entry onto its transpose (examples and paired axes swapped), the first of each pair winning. */
    private static void mirror(double[] out, int n, boolean diag0, int block, int[] at, int k) {
        int[] transpose = new int[block];
        Arrays.fill(transpose, -1);
        for (int o1 = 0; o1 < k; o1++) {
            for (int o2 = 0; o2 < k; o2++) {
                int t = at[o1 * k + o2];
                if (t >= 0) {
                    transpose[t] = at[o2 * k + o1];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = diag0 ? i : i; j < (diag0 ? i + 1 : n); j++) {
                int a = (diag0 ? i : i * n + j) * block;
                int b = (diag0 ? i : j * n + i) * block;
                for (int t = 0; t < block; t++) {
                    int tt = transpose[t];
                    if (tt < 0 || (a == b && tt < t)) {
                        continue;
                    }
                    out[b + tt] = out[a + t];
                }
            }
        }
    }

    private static void unravel(int flat, int[] s, int[] idx) {
        for (int a = s.length - 1; a >= 0; a--) {
            idx[a] = flat % s[a];
            flat /= s[a];
        }
    }

    /** Per-example output rank and shape of a batch output. */
    static int[] perExampleShape(Tensor f) {
        return Arrays.copyOfRange(f.shape(), 1, f.rank());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputAxes a && Arrays.equals(trace, a.trace) && Arrays.equals(diagonal, a.diagonal);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(trace) * 31 + Arrays.hashCode(diagonal);
    }

    @Override
    public String toString() {
        return "OutputAxes[trace=" + (trace == null ? "all" : Arrays.toString(trace)) + ", diagonal=" + Arrays.toString(diagonal) + "]";
    }
}
