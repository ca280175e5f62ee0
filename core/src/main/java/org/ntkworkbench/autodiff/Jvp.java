package org.ntkworkbench.autodiff;

import java.util.Map;
import java.util.function.Function;
import org.ntkworkbench.tensor.Tensor;

/**
 * Jacobian–vector products (forward mode): {@code Jvp.of(f, params, v)} evaluates {@code f} once
 * with tangents {@code v} attached to the parameters and returns {@code f(params)} and
 * {@code J v = Σ_key ∂f/∂params[key] · v[key]} without forming {@code J}. Together with {@link Vjp}
 * this gives NTK–vector products {@code Θ u = J (Jᵀ u)}.
 */
public final class Jvp {
    private Jvp() {}

    /** The primal output and its tangent. */
    public record Result(Tensor value, Tensor tangent) {}

    /**
     * Evaluates {@code f} at {@code params} pushing forward {@code tangents}; parameters without a
     * tangent get zero. A tangent key without a parameter, or of the wrong shape, is an error.
     */
    public static Result of(Function<Map<String, Var>, Var> f, Map<String, Tensor> params, Map<String, Tensor> tangents) {
        Var out = f.apply(Grad.leaves(params, tangents));
        Tensor t = out.tangent() == null ? Tensor.zeros(out.shape()) : out.tangent();
        return new Result(out.value(), t);
    }
}
