package org.ntkworkbench.nn;

import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.tensor.Tensor;

/**
 * The forward pass of the layers that apply a fixed linear map of positions to every example and channel
 * (imageResize, aggregate, dotGeneral, index); their kernel is {@link org.ntkworkbench.kernel.PairAxes#mapPositions}
 * of the same map, so forward and rule read one matrix.
 */
final class PositionMaps {
    private PositionMaps() {}

    /**
     * {@code out[n, o, c] = Σ_i R[o, i] x[n, i, c]} over flattened positions: {@code x} is
     * {@code (n, spatial…, C)}, {@code r} is {@code Q_out × Q_in} row-major, the result is {@code (n, outSpatial…, C)}.
     */
    static Var apply(Var x, double[] r, int[] outSpatial) {
        int[] s = x.shape();
        int n = s[0], c = s[s.length - 1];
        int qi = 1;
        for (int a = 1; a < s.length - 1; a++) {
            qi *= s[a];
        }
        int qo = PairLayout.positions(outSpatial);
        double[] rt = new double[qi * qo];
        for (int o = 0; o < qo; o++) {
            for (int i = 0; i < qi; i++) {
                rt[i * qo + o] = r[o * qi + i];
            }
        }
        Var moved = Ops.permute(x.reshape(n, qi, c), 0, 2, 1);                 // (n, C, Q_in)
        Var mapped = Ops.matmul(moved, Var.of(Tensor.of(rt, qi, qo)));           // (n, C, Q_out)
        int[] full = new int[outSpatial.length + 2];
        full[0] = n;
        System.arraycopy(outSpatial, 0, full, 1, outSpatial.length);
        full[full.length - 1] = c;
        return Ops.permute(mapped, 0, 2, 1).reshape(full);
    }

    /** A DSL literal of an array: nested lists in its shape ({@code 2.0} for a scalar), so {@code toString} reparses. */
    static String literal(Tensor t) {
        StringBuilder b = new StringBuilder();
        literal(t.data(), t.shape(), 0, 0, b);
        return b.toString();
    }

    private static int literal(double[] v, int[] shape, int axis, int at, StringBuilder b) {
        if (axis == shape.length) {
            b.append(v[at]);
            return at + 1;
        }
        b.append('[');
        for (int i = 0; i < shape[axis]; i++) {
            b.append(i > 0 ? ", " : "");
            at = literal(v, shape, axis + 1, at, b);
        }
        b.append(']');
        return at;
    }
}
