package org.ntkworkbench.autodiff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ntkworkbench.tensor.Tensor;

/**
 * Gradients of scalar functions of named parameters (reverse mode):
 * {@code Grad.of(p -> loss(p), params)} gives {@code ∂loss/∂params[key]} for every key.
 */
public final class Grad {
    private Grad() {}

    /** A scalar value with its gradient per parameter key (same keys and shapes as the parameters). */
    public record ValueAndGrad(double value, Map<String, Tensor> gradients) {}

    /** Gradient of the scalar {@code loss} with respect to each parameter. */
    public static Map<String, Tensor> of(Function<Map<String, Var>, Var> loss, Map<String, Tensor> params) {
        return valueAndGrad(loss, params).gradients();
    }

    /** The loss value and its gradient with respect to each parameter, in one forward and one backward pass. */
    public static ValueAndGrad valueAndGrad(Function<Map<String, Var>, Var> loss, Map<String, Tensor> params) {
        Map<String, Var> vars = leaves(params, null);
        Var out = loss.apply(vars);
        if (out.value().size() != 1) {
            throw new IllegalArgumentException("Grad.of needs a scalar loss but the function returned shape "
                    + out.value().shapeString());
        }
        Map<String, Tensor> grads = Vjp.pull(out, Tensor.full(1.0, out.shape()), vars);
        return new ValueAndGrad(out.value().item(), grads);
    }

    /** Leaf Vars for each parameter, with tangents from {@code tangents} when given (missing keys: none). */
    static Map<String, Var> leaves(Map<String, Tensor> params, Map<String, Tensor> tangents) {
        Map<String, Var> vars = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor t = tangents == null ? null : tangents.get(e.getKey());
            if (t != null && !t.sameShape(e.getValue())) {
                throw new IllegalArgumentException("tangent '" + e.getKey() + "' has shape " + t.shapeString()
                        + " but the parameter has shape " + e.getValue().shapeString());
            }
            vars.put(e.getKey(), Var.of(e.getValue(), t == null && tangents != null ? Tensor.zeros(e.getValue().shape()) : t));
        }
        if (tangents != null) {
            for (String k : tangents.keySet()) {
                if (!params.containsKey(k)) {
                    throw new IllegalArgumentException("tangent '" + k + "' has no matching parameter");
                }
            }
        }
        return vars;
    }

    static List<Var> values(Map<String, Var> vars) {
        return new ArrayList<>(vars.values());
    }
}
