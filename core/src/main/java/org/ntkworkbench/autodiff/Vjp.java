package org.ntkworkbench.autodiff;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.ntkworkbench.tensor.Tensor;

/**
 * Vector–Jacobian products of tensor-valued functions of named parameters (reverse mode):
 * {@code Vjp.of(f, params, c)[key] = cᵀ ∂f/∂params[key]}, i.e. {@code Jᵀc} split by key.
 */
public final class Vjp {
    private Vjp() {}

    /** {@code Jᵀ c} per parameter key, for a cotangent {@code c} shaped like {@code f}'s output. */
    public static Map<String, Tensor> of(Function<Map<String, Var>, Var> f, Map<String, Tensor> params, Tensor cotangent) {
        Map<String, Var> vars = Grad.leaves(params, null);
        return pull(f.apply(vars), cotangent, vars);
    }

    /** Pulls {@code cotangent} back from {@code out} to the named leaves. */
    public static Map<String, Tensor> pull(Var out, Tensor cotangent, Map<String, Var> leaves) {
        Map<Var, Tensor> byVar = Backprop.vjp(out, cotangent, leaves.values());
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (Map.Entry<String, Var> e : leaves.entrySet()) {
            result.put(e.getKey(), byVar.get(e.getValue()));
        }
        return result;
    }
}
