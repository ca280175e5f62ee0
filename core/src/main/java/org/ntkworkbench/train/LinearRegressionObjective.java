package org.ntkworkbench.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * Linear least squares as an {@link Objective}: {@code f(x) = x W + b} with parameters {@code W}
 * {@code (d, k)} and, optionally, {@code b} {@code (k)}, and the {@link Loss#MSE} loss
 * {@code L = (1/2B) Σ_{i∈batch} ‖x_i W + b − y_i‖²}. Gradients in closed form:
 * {@code ∂L/∂W = X_Bᵀ R / B}, {@code ∂L/∂b = Σ_i R_i / B} with residuals {@code R = X_B W + b − Y_B}.
 * Useful as a reference problem (its optimum solves the normal equations) and in tests of the trainer.
 */
public final class LinearRegressionObjective implements Objective {
    private final Tensor x;
    private final Tensor y;
    private final int n;
    private final int d;
    private final int k;

    /** Inputs {@code x} {@code (n, d)} and targets {@code y} {@code (n, k)}. */
    public LinearRegressionObjective(Tensor x, Tensor y) {
        if (x.rank() != 2 || y.rank() != 2 || x.dim(0) != y.dim(0)) {
            throw new IllegalArgumentException("linear regression needs x (n, d) and y (n, k), got x "
                    + x.shapeString() + " and y " + y.shapeString());
        }
        this.x = x;
        this.y = y;
        this.n = x.dim(0);
        this.d = x.dim(1);
        this.k = y.dim(1);
    }

    /** Parameters {@code W} ~ N(0, scale²) (and {@code b} = 0 when {@code bias}), drawn from {@code seed}. */
    public LinkedHashMap<String, Tensor> init(long seed, double scale, boolean bias) {
        LinkedHashMap<String, Tensor> p = new LinkedHashMap<>();
        Tensor w = Tensor.randn(seed, d, k);
        double[] a = w.data();
        for (int i = 0; i < a.length; i++) {
            a[i] *= scale;
        }
        p.put("W", w);
        if (bias) {
            p.put("b", Tensor.zeros(k));
        }
        return p;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public double lossAndGradient(Map<String, Tensor> params, int[] batchRows, Map<String, Tensor> gradOut) {
        Tensor w = params.get("W");
        if (w == null || w.rank() != 2 || w.dim(0) != d || w.dim(1) != k) {
            throw new IllegalArgumentException("linear regression needs parameter W of shape [" + d + ", " + k
                    + "], got " + (w == null ? "none" : w.shapeString()));
        }
        Tensor b = params.get("b");
        int bs = batchRows.length;
        double[] xb = new double[bs * d];
        double[] r = new double[bs * k];
        double[] xa = x.data(), ya = y.data();
        for (int i = 0; i < bs; i++) {
            int row = batchRows[i];
            System.arraycopy(xa, row * d, xb, i * d, d);
            for (int j = 0; j < k; j++) {
                r[i * k + j] = -ya[row * k + j] + (b == null ? 0.0 : b.data()[j]);
            }
        }
        // R = X_B W + (b - Y_B)
        Blas.gemm(false, false, bs, k, d, 1.0, xb, w.data(), 1.0, r);
        double sum = 0;
        for (double v : r) {
            sum += v * v;
        }
        double invB = 1.0 / bs;
        Tensor gw = gradOut.computeIfAbsent("W", key -> Tensor.zeros(d, k));
        Blas.gemm(true, false, d, k, bs, invB, xb, r, 0.0, gw.data());
        if (b != null) {
            Tensor gb = gradOut.computeIfAbsent("b", key -> Tensor.zeros(k));
            double[] g = gb.data();
            java.util.Arrays.fill(g, 0.0);
            for (int i = 0; i < bs; i++) {
                for (int j = 0; j < k; j++) {
                    g[j] += r[i * k + j];
                }
            }
            for (int j = 0; j < k; j++) {
                g[j] *= invB;
            }
        }
        return 0.5 * sum * invB;
    }
}
