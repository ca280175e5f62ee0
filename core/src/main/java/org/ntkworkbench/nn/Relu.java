package org.ntkworkbench.nn;

import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Dual;

/** ReLU {@code φ(x) = max(x, 0)}, {@code φ′(x) = 1[x > 0]}. */
public final class Relu extends Activation {

    /** The dedicated primitive {@link Ops#relu} (same values and derivatives, fewer passes). */
    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        return Ops.relu(x);
    }

    @Override
    public String word() {
        return "relu";
    }

    @Override
    public double value(double x) {
        return x > 0 ? x : 0.0;
    }

    @Override
    public double derivative(double x) {
        return x > 0 ? 1.0 : 0.0;
    }

    /** The kernel dual of this activation: {@code Dual.relu()}. */
    @Override
    public Dual dual() {
        return Dual.relu();
    }
}
