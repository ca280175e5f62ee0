package org.ntkworkbench.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ntkworkbench.tensor.Tensor;

/**
 * Reverse-mode differentiation over the graph of {@link Var}s.
 *
 * <p>{@link #vjp} returns {@code ∂⟨c, out⟩/∂v} for each requested node {@code v}: the cotangent
 * {@code c} is pulled back through the operations in reverse topological order, visiting only nodes
 * from which some requested node can be reached (inputs that need no gradient are skipped).
 */
public final class Backprop {
    private Backprop() {}

    /**
     * Vector–Jacobian products {@code cᵀ ∂out/∂v} for every {@code v} in {@code wrt}, keyed by identity.
     * Nodes in {@code wrt} that {@code out} does not depend on get zeros.
     */
    public static Map<Var, Tensor> vjp(Var out, Tensor cotangent, Collection<Var> wrt) {
        if (!cotangent.sameShape(out.value())) {
            throw new IllegalArgumentException("cotangent of shape " + cotangent.shapeString()
                    + " for an output of shape " + out.value().shapeString());
        }
        Set<Var> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        targets.addAll(wrt);
        List<Var> order = topologicalOrder(out);
        Set<Var> needed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Var v : order) {
            boolean need = targets.contains(v);
            for (Var p : v.parents) {
                need |= needed.contains(p);
            }
            if (need) {
                needed.add(v);
            }
        }
        Map<Var, Tensor> cot = new IdentityHashMap<>();
        if (needed.contains(out)) {
            cot.put(out, cotangent);
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Var v = order.get(i);
            Tensor c = cot.get(v);
            if (c == null) {
                continue;
            }
            for (int j = 0; j < v.parents.length; j++) {
                Var p = v.parents[j];
                if (!needed.contains(p)) {
                    continue;
                }
                Tensor pc = v.pullbacks[j].apply(c);
                Tensor prev = cot.get(p);
                cot.put(p, prev == null ? pc : prev.add(pc));
            }
            if (!targets.contains(v)) {
                cot.remove(v); // free intermediate cotangents early
            }
        }
        Map<Var, Tensor> result = new IdentityHashMap<>();
        for (Var v : wrt) {
            Tensor g = cot.get(v);
            result.put(v, g == null ? Tensor.zeros(v.shape()) : g);
        }
        return result;
    }

    /** All nodes {@code out} depends on, parents before children (iterative DFS: deep nets are fine). */
    static List<Var> topologicalOrder(Var out) {
        List<Var> order = new ArrayList<>();
        Set<Var> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {out, 0});
        visited.add(out);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Var v = (Var) frame[0];
            int next = (Integer) frame[1];
            if (next < v.parents.length) {
                frame[1] = next + 1;
                Var p = v.parents[next];
                if (visited.add(p)) {
                    stack.push(new Object[] {p, 0});
                }
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }
}
