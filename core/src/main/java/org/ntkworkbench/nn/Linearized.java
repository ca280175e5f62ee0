package org.ntkworkbench.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.autodiff.Vjp;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.tensor.Tensor;

/**
 * A network linearised in its parameters around {@code θ₀} (neural-tangents' {@code nt.linearize}, i.e.
 * {@code taylor_expand} of degree 1):
 * <pre>  f_lin(x; θ) = f(x; θ₀) + J(x; θ₀) (θ − θ₀),   J = ∂f/∂θ at θ₀.</pre>
 * It is a {@link Layer} with the same parameter keys and shapes as the network it wraps, so anything
 * that trains, differentiates or evaluates a model accepts it ({@code train} with any loss and
 * optimizer, empirical NTKs, …); its {@link #init} gives copies of {@code θ₀}, whatever the seed, so
 * training starts at the linearisation point.
 *
 * <p><b>How.</b> One forward pass of the wrapped network at {@code θ₀} with tangents {@code θ − θ₀}
 * (forward mode, {@link org.ntkworkbench.autodiff.Jvp}) gives {@code f(θ₀)} and {@code J(θ − θ₀)} at once
 * without forming {@code J}; the output is one graph node whose pullback to {@code θ} is {@code Jᵀc},
 * a reverse pass through that same recorded graph (so a training step costs about one forward with
 * tangents plus one backward, independent of the number of parameters). When the parameters
 * themselves carry tangents {@code v}, the output tangent {@code Jv} takes a second forward pass.
 *
 * <p><b>Kernels.</b> {@code J} is frozen at {@code θ₀}, so the empirical NTK of the linearised model
 * is the network's empirical NTK at {@code θ₀} for every {@code θ}; at infinite width its NNGP and NTK
 * are the wrapped network's, which is what {@link #kernels} returns.
 *
 * <p><b>Limits.</b> The input must be data (a leaf without tangent): the linearisation is in the
 * parameters only, so a linearised model is the whole model (or sits where its input is the raw
 * data). Degree 2 (neural-tangents' {@code taylor_expand(f, params, 2)}) would need forward-over-forward
 * differentiation, which {@link org.ntkworkbench.autodiff} does not have; only degree 1 exists.
 */
public final class Linearized implements Layer {
    private final Layer net;
    private final LinkedHashMap<String, Tensor> params0;

    /**
     * Linearises {@code net} around {@code params} (copied: later changes to the map or its tensors do
     * not move the linearisation point). Keys are the network's own ({@code <layer path>/<name>}).
     */
    public Linearized(Layer net, Map<String, Tensor> params) {
        if (net == null || params == null) {
            throw new IllegalArgumentException("linearize needs a model and its parameters, e.g. linearize(net, net.init(0, d))");
        }
        this.net = net;
        this.params0 = new LinkedHashMap<>();
        params.forEach((k, v) -> params0.put(k, v.copy()));
    }

    /** The wrapped network. */
    public Layer network() {
        return net;
    }

    /** The linearisation point θ₀ (copies). */
    public LinkedHashMap<String, Tensor> params0() {
        LinkedHashMap<String, Tensor> p = new LinkedHashMap<>();
        params0.forEach((k, v) -> p.put(k, v.copy()));
        return p;
    }

    @Override
    public String word() {
        return "linearize";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        return net.outputShapes("", inputShapes);
    }

    /**
     * Puts copies of θ₀ under this layer's path (the seed is not used) after checking that θ₀ has exactly
     * the keys and shapes the network has for these inputs.
     */
    @Override
    public List<int[]> init(String path, List<int[]> inputShapes, long seed, Map<String, Tensor> params) {
        Map<String, Tensor> expected = new LinkedHashMap<>();
        List<int[]> out = net.init("", inputShapes, 0L, expected);
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor have = params0.get(e.getKey());
            if (have == null) {
                throw new IllegalArgumentException("linearize: parameter '" + e.getKey()
                        + "' of the network is missing from the linearisation point (keys: " + params0.keySet() + ")");
            }
            if (!have.sameShape(e.getValue())) {
                throw new IllegalArgumentException("linearize: parameter '" + e.getKey() + "' has shape "
                        + have.shapeString() + " but the network needs " + e.getValue().shapeString());
            }
        }
        for (String k : params0.keySet()) {
            if (!expected.containsKey(k)) {
                throw new IllegalArgumentException("linearize: parameter '" + k + "' is not a parameter of the network (keys: "
                        + expected.keySet() + ")");
            }
        }
        params0.forEach((k, v) -> params.put(outerKey(path, k), v.copy()));
        return out;
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        for (Var in : inputs) {
            if (!in.isLeaf() || in.tangent() != null) {
                throw new IllegalArgumentException("linearize: the input of a linearised model must be data, but it is computed by "
                        + "other layers or carries a tangent; linearise the whole model instead");
            }
        }
        List<String> keys = new ArrayList<>(params0.keySet());
        List<Var> theta = new ArrayList<>(keys.size());
        Map<String, Var> at0 = new LinkedHashMap<>();
        Map<String, Tensor> tangents = null; // tangents of θ, pushed through J when present
        for (String k : keys) {
            Tensor p0 = params0.get(k);
            Var t = ctx.param(outerKey(path, k), p0.shape());
            theta.add(t);
            at0.put(k, Var.of(p0, t.value().sub(p0)));
            if (t.tangent() != null) {
                if (tangents == null) {
                    tangents = new LinkedHashMap<>();
                }
                tangents.put(k, t.tangent());
            }
        }
        List<Var> outs = net.apply(inner(ctx, at0), "", inputs);
        List<Var> jv = null;
        if (tangents != null) {
            Map<String, Var> withV = new LinkedHashMap<>();
            for (String k : keys) {
                Tensor v = tangents.get(k);
                withV.put(k, Var.of(params0.get(k), v == null ? Tensor.zeros(params0.get(k).shape()) : v));
            }
            jv = net.apply(inner(ctx, withV), "", inputs);
        }
        List<Var> result = new ArrayList<>(outs.size());
        for (int i = 0; i < outs.size(); i++) {
            Var o = outs.get(i);
            Tensor value = o.tangent() == null ? o.value() : o.value().add(o.tangent());
            Tensor tangent = null;
            if (jv != null) {
                Tensor t = jv.get(i).tangent();
                tangent = t == null ? Tensor.zeros(o.shape()) : t;
            }
            PullbackCache cache = new PullbackCache(o, at0);
            List<Var.Pullback> pullbacks = new ArrayList<>(keys.size());
            for (String k : keys) {
                pullbacks.add(c -> cache.pull(c).get(k));
            }
            result.add(Ops.custom("linearize", value, tangent, theta, pullbacks));
        }
        return result;
    }

    private static ApplyContext inner(ApplyContext ctx, Map<String, Var> params) {
        return ctx.training() ? ApplyContext.train(params, ctx.seed()) : ApplyContext.eval(params);
    }

    /**
     * Backprop calls the pullbacks of all parents one after another with the same cotangent: the whole
     * {@code Jᵀc} is one reverse pass, done once per cotangent.
     */
    private static final class PullbackCache {
        private final Var out;
        private final Map<String, Var> leaves;
        private Tensor lastCotangent;
        private Map<String, Tensor> lastGrads;

        PullbackCache(Var out, Map<String, Var> leaves) {
            this.out = out;
            this.leaves = leaves;
        }

        synchronized Map<String, Tensor> pull(Tensor c) {
            if (c != lastCotangent) {
                lastGrads = Vjp.pull(out, c, leaves);
                lastCotangent = c;
            }
            return lastGrads;
        }
    }

    /** The NNGP and NTK of the wrapped network: linearisation does not change them at infinite width. */
    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        return net.kernels(in);
    }

    @Override
    public Kernel kernel(Kernel in) {
        return net.kernel(in);
    }

    /** The key under which this layer at {@code path} stores the wrapped network's parameter {@code innerKey}. */
    static String outerKey(String path, String innerKey) {
        if (path.isEmpty()) {
            return innerKey;
        }
        int slash = innerKey.lastIndexOf('/');
        return slash < 0 ? Params.key(path, innerKey) : path + "." + innerKey;
    }

    @Override
    public String toString() {
        return "linearize(" + net + ", " + params0.size() + " parameter arrays)";
    }

    /** The wrapped network's requirement (its kernels are the network's). */
    @Override
    public SpatialDiagonal spatialDiagonal() {
        return net.spatialDiagonal();
    }
}
