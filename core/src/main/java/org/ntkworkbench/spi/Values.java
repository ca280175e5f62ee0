package org.ntkworkbench.spi;

import java.util.List;
import org.ntkworkbench.tensor.Tensor;

/** Conversions of Groovy values (lists, arrays, tensors) for DSL words, with messages naming the argument. */
public final class Values {
    private Values() {}

    public static double[] doubles(String word, String what, Object v) {
        if (v instanceof double[] d) {
            return d;
        }
        if (v instanceof Tensor t) {
            return t.data();
        }
        if (v instanceof int[] ints) {
            double[] d = new double[ints.length];
            for (int i = 0; i < ints.length; i++) {
                d[i] = ints[i];
            }
            return d;
        }
        if (v instanceof List<?> list) {
            double[] d = new double[list.size()];
            for (int i = 0; i < d.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new DslException(word + ": " + what + " must hold numbers, element " + i + " is " + DslArgs.describe(list.get(i)));
                }
                d[i] = n.doubleValue();
            }
            return d;
        }
        throw new DslException(word + ": " + what + " must be a list of numbers, double[] or Tensor, got " + DslArgs.describe(v));
    }

    /** A Tensor from a Tensor, a double[][] or a list of lists (rows). */
    public static Tensor tensor(String word, String what, Object v) {
        if (v instanceof Tensor t) {
            return t;
        }
        if (v instanceof double[][] rows) {
            return Tensor.of(rows);
        }
        if (v instanceof double[] d) {
            return Tensor.vector(d);
        }
        if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof List<?>) {
            double[][] rows = new double[list.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = doubles(word, what + " row " + i, list.get(i));
            }
            try {
                return Tensor.of(rows);
            } catch (IllegalArgumentException e) {
                throw new DslException(word + ": " + what + ": " + e.getMessage());
            }
        }
        if (v instanceof List<?>) {
            return Tensor.vector(doubles(word, what, v));
        }
        throw new DslException(word + ": " + what + " must be a Tensor or a list of rows, got " + DslArgs.describe(v));
    }
}
