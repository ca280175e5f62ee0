package org.ntkworkbench.train;

import java.util.Locale;
import org.ntkworkbench.tensor.Tensor;

/**
 * Losses of a batch of network outputs {@code f} against targets {@code y}, with their gradient with
 * respect to the outputs (what backpropagation starts from). Examples are on the first axis; {@code n}
 * is the number of examples in the batch.
 *
 * <ul>
 *   <li>{@link #MSE}: {@code L = (1/2n) Σ_i ‖f(x_i) − y_i‖²}, {@code ∂L/∂f = (f − y)/n}; {@code f} and
 *       {@code y} have the same shape ({@code (n)} or {@code (n, k)}, or any shape with examples first).</li>
 *   <li>{@link #XENT}: mean softmax cross-entropy over the last axis of logits {@code f} {@code (n, c)}:
 *       {@code L = (1/n) Σ_i [ (Σ_c y_ic) · lse(f_i) − Σ_c y_ic f_ic ]} with
 *       {@code lse(v) = m + log Σ_c exp(v_c − m)}, {@code m = max_c v_c} (stable for any logits);
 *       {@code ∂L/∂f_ic = ((Σ_c' y_ic') softmax(f_i)_c − y_ic)/n}. Targets are one-hot (or any
 *       probability) rows of shape {@code (n, c)}, or class indices of shape {@code (n)} or {@code (n, 1)}.</li>
 * </ul>
 */
public enum Loss {
    /** Half mean squared error, {@code (1/2n) Σ_i ‖f(x_i) − y_i‖²}. */
    MSE {
        @Override
        public double valueAndGradient(Tensor outputs, Tensor targets, Tensor gradient) {
            checkBatch(outputs);
            if (!outputs.sameShape(targets)) {
                throw new IllegalArgumentException("mse: outputs " + outputs.shapeString()
                        + " and targets " + targets.shapeString() + " differ in shape");
            }
            checkGradient(outputs, gradient);
            int n = outputs.dim(0);
            double[] f = outputs.data(), y = targets.data();
            double[] g = gradient == null ? null : gradient.data();
            double sum = 0;
            double invN = 1.0 / n;
            for (int i = 0; i < f.length; i++) {
                double r = f[i] - y[i];
                sum += r * r;
                if (g != null) {
                    g[i] = r * invN;
                }
            }
            return 0.5 * sum * invN;
        }
    },
    /** Mean softmax cross-entropy over the last axis; targets one-hot rows or class indices. */
    XENT {
        @Override
        public double valueAndGradient(Tensor outputs, Tensor targets, Tensor gradient) {
            checkBatch(outputs);
            if (outputs.rank() != 2) {
                throw new IllegalArgumentException("xent: logits must be (n, classes), got " + outputs.shapeString());
            }
            checkGradient(outputs, gradient);
            int n = outputs.dim(0), c = outputs.dim(1);
            boolean dense = outputs.sameShape(targets);
            boolean indices = !dense && targets.dim(0) == n
                    && (targets.rank() == 1 || (targets.rank() == 2 && targets.dim(1) == 1));
            if (!dense && !indices) {
                throw new IllegalArgumentException("xent: targets " + targets.shapeString() + " must be one-hot "
                        + outputs.shapeString() + " or class indices (" + n + ")");
            }
            double[] f = outputs.data(), y = targets.data();
            double[] g = gradient == null ? null : gradient.data();
            double invN = 1.0 / n;
            double total = 0;
            for (int i = 0; i < n; i++) {
                int off = i * c;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, f[off + k]);
                }
                double sumExp = 0;
                for (int k = 0; k < c; k++) {
                    sumExp += Math.exp(f[off + k] - max);
                }
                double lse = max + Math.log(sumExp);
                // softmax as exp(f − max)/Σexp: f − max is exact, f − lse would lose the bits of a large max
                double invSum = 1.0 / sumExp;
                if (dense) {
                    double mass = 0, dot = 0;
                    for (int k = 0; k < c; k++) {
                        mass += y[off + k];
                        dot += y[off + k] * f[off + k];
                    }
                    total += mass * lse - dot;
                    if (g != null) {
                        for (int k = 0; k < c; k++) {
                            g[off + k] = (mass * Math.exp(f[off + k] - max) * invSum - y[off + k]) * invN;
                        }
                    }
                } else {
                    int label = classIndex(y[i], c, i);
                    total += lse - f[off + label];
                    if (g != null) {
                        for (int k = 0; k < c; k++) {
                            g[off + k] = Math.exp(f[off + k] - max) * invSum * invN;
                        }
                        g[off + label] -= invN;
                    }
                }
            }
            return total * invN;
        }
    };

    /**
     * The loss of the batch; when {@code gradient} is not {@code null} (same shape as {@code outputs}) it
     * is overwritten with {@code ∂L/∂outputs}.
     */
    public abstract double valueAndGradient(Tensor outputs, Tensor targets, Tensor gradient);

    /** The loss of the batch without the gradient. */
    public double value(Tensor outputs, Tensor targets) {
        return valueAndGradient(outputs, targets, null);
    }

    /** {@code ∂L/∂outputs} as a new tensor. */
    public Tensor gradient(Tensor outputs, Tensor targets) {
        Tensor g = Tensor.zeros(outputs.shape());
        valueAndGradient(outputs, targets, g);
        return g;
    }

    /** The DSL/CLI name: {@code mse} or {@code xent}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code mse} or {@code xent} (case-insensitive). */
    public static Loss byName(String name) {
        for (Loss l : values()) {
            if (l.id().equalsIgnoreCase(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; expected mse or xent");
    }

    private static void checkBatch(Tensor outputs) {
        if (outputs.rank() == 0 || outputs.dim(0) == 0) {
            throw new IllegalArgumentException("loss of an empty batch, outputs " + outputs.shapeString());
        }
    }

    private static void checkGradient(Tensor outputs, Tensor gradient) {
        if (gradient != null && !gradient.sameShape(outputs)) {
            throw new IllegalArgumentException("gradient buffer " + gradient.shapeString()
                    + " does not match outputs " + outputs.shapeString());
        }
    }

    private static int classIndex(double v, int classes, int row) {
        int label = (int) v;
        if (label != v || label < 0 || label >= classes) {
            throw new IllegalArgumentException("xent: target of row " + row + " is " + v
                    + ", not a class index in [0, " + classes + ")");
        }
        return label;
    }
}
