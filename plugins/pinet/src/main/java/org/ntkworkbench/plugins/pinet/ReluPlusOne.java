package org.ntkworkbench.plugins.pinet;

import org.ntkworkbench.kernel.Dual;
import org.ntkworkbench.kernel.PairwiseDual;
import org.ntkworkbench.nn.Activation;

/**
 * {@code φ(x) = max(x, 0) + 1}: the factor {@code σ(Wₙx) + 1} of a CCP step, as one activation so that
 * its input is Gaussian and its kernel has a closed form:
 * {@code T = T_relu + √(Σ11/2π) + √(Σ22/2π) + 1} (since {@code E[relu(u)] = √(Σ11/2π)}),
 * {@code T' = T'_relu}.
 */
public final class ReluPlusOne extends Activation {
    private static final Dual RELU = Dual.relu();
    private static final Dual DUAL = new PairwiseDual("reluPlusOne", (v1, v2, c, out) -> {
        out[0] = RELU.t(v1, v2, c) + Math.sqrt(v1 / (2 * Math.PI)) + Math.sqrt(v2 / (2 * Math.PI)) + 1;
        out[1] = RELU.tDot(v1, v2, c);
    });

    @Override
    public String word() {
        return "reluPlusOne";
    }

    @Override
    public double value(double x) {
        return x > 0 ? x + 1 : 1.0;
    }

    @Override
    public double derivative(double x) {
        return x > 0 ? 1.0 : 0.0;
    }

    @Override
    public Dual dual() {
        return DUAL;
    }
}
