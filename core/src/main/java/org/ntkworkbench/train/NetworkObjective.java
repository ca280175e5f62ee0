package org.ntkworkbench.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.autodiff.Grad;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.SeededRandom;
import org.ntkworkbench.tensor.Tensor;

/**
 * A network, a training set and a {@link Loss} as an {@link Objective}: for a batch {@code B} of rows,
 * {@code L(θ) = loss(f(X_B; θ), Y_B)} with {@code f = net.apply} (in training mode when the trainer passes a step: dropout is active), and
 * {@code ∂L/∂θ} by reverse-mode autodiff ({@link Grad#valueAndGrad}). The loss and its derivative with
 * respect to the outputs are computed in one fused pass ({@link Loss#valueAndGradient}) and attached to
 * the graph as one node ({@link Ops#scalarWithGradient}), so the backward pass is the network's own.
 *
 * <p>Shapes: inputs {@code x} {@code (n, d…)}; for {@code mse} targets {@code (n, k)} matching the
 * outputs {@code (n, k)}, or {@code (n)} for a single output; for {@code xent} logits {@code (n, c)} and
 * targets one-hot {@code (n, c)} or class indices {@code (n)}/{@code (n, 1)}. The full batch uses
 * {@code x} and {@code y} without copying; mini-batches copy their rows. Deterministic: the same
 * parameters and rows give the same bits.
 */
public final class NetworkObjective implements Objective {
    private final Layer net;
    private final Tensor x;
    private final Tensor y;
    private final Loss loss;
    private final int n;
    private final int[] inputShape;
    private LinkedHashMap<String, int[]> parameterShapes; // from the first init: drawing costs O(#params)

    /**
     * The objective of {@code net} on inputs {@code x} and targets {@code y} under {@code loss}. Throws
     * {@link IllegalArgumentException} naming the shapes when the inputs do not fit the model or the
     * targets do not fit its outputs.
     */
    public NetworkObjective(Layer net, Tensor x, Tensor y, Loss loss) {
        if (x.rank() < 2 || x.dim(0) == 0) {
            throw new IllegalArgumentException("inputs must be (n, d...) with n > 0, got " + x.shapeString());
        }
        if (y.rank() == 0 || y.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException("targets " + y.shapeString() + " must have one row per input: "
                    + x.dim(0) + " rows in inputs " + x.shapeString());
        }
        this.net = net;
        this.x = x;
        this.loss = loss;
        this.n = x.dim(0);
        this.inputShape = Arrays.copyOfRange(x.shape(), 1, x.rank());
        int[] out = net.modelOutputShape(inputShape);
        this.y = checkTargets(loss, y, out, n);
    }

    private static Tensor checkTargets(Loss loss, Tensor y, int[] out, int n) {
        String outs = "(" + n + (out.length == 0 ? "" : ", ") + String.join(", ",
                Arrays.stream(out).mapToObj(Integer::toString).toList()) + ")";
        return switch (loss) {
            case MSE -> {
                if (y.rank() == 1 && Arrays.equals(out, new int[] {1})) {
                    yield y.reshape(n, 1);
                }
                int[] per = Arrays.copyOfRange(y.shape(), 1, y.rank());
                if (!Arrays.equals(per, out)) {
                    throw new IllegalArgumentException("mse targets " + y.shapeString()
                            + " do not match the model outputs " + outs);
                }
                yield y;
            }
            case XENT -> {
                if (out.length != 1) {
                    throw new IllegalArgumentException("xent needs model outputs (n, classes), got " + outs);
                }
                int c = out[0];
                if (y.rank() == 2 && y.dim(1) == c && c != 1) {
                    yield y;
                }
                if (y.rank() == 1 || (y.rank() == 2 && y.dim(1) == 1)) {
                    double[] v = y.data();
                    for (int i = 0; i < v.length; i++) {
                        if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] >= c) {
                            throw new IllegalArgumentException("xent target of row " + i + " is " + v[i]
                                    + ", not a class index in [0, " + c + ")");
                        }
                    }
                    yield y.reshape(n);
                }
                throw new IllegalArgumentException("xent targets " + y.shapeString() + " must be one-hot (" + n + ", "
                        + c + ") or class indices (" + n + ") for model outputs " + outs);
            }
        };
    }

    /** The model. */
    public Layer net() {
        return net;
    }

    /** The loss. */
    public Loss lossFunction() {
        return loss;
    }

    /** Per-example input shape {@code (d…)}. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The parameters {@code net.init(seed, d…)}: raw N(0, 1) draws keyed {@code <layer path>/<name>}. */
    public LinkedHashMap<String, Tensor> init(long seed) {
        LinkedHashMap<String, Tensor> p = new LinkedHashMap<>(net.init(seed, inputShape));
        synchronized (this) {
            if (parameterShapes == null) {
                LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
                p.forEach((k, v) -> shapes.put(k, v.shape()));
                parameterShapes = shapes;
            }
        }
        return p;
    }

    private synchronized LinkedHashMap<String, int[]> shapes() {
        if (parameterShapes == null) {
            init(0L);
        }
        return parameterShapes;
    }

    /** The parameter keys and shapes the model expects, in model order (copies). */
    public LinkedHashMap<String, int[]> parameterShapes() {
        LinkedHashMap<String, int[]> s = new LinkedHashMap<>();
        shapes().forEach((k, v) -> s.put(k, v.clone()));
        return s;
    }

    /**
     * Checks that {@code params} has exactly the model's keys with the model's shapes; throws
     * {@link IllegalArgumentException} naming the first missing, misshapen or unknown key.
     */
    public void checkParameters(Map<String, Tensor> params) {
        LinkedHashMap<String, int[]> parameterShapes = shapes();
        for (Map.Entry<String, int[]> e : parameterShapes.entrySet()) {
            Tensor t = params.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' is missing (the model has "
                        + parameterShapes.keySet() + ")");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' has shape " + t.shapeString()
                        + " but the model needs " + Arrays.toString(e.getValue()));
            }
        }
        for (String k : params.keySet()) {
            if (!parameterShapes.containsKey(k)) {
                throw new IllegalArgumentException("parameter '" + k + "' is not a parameter of the model (it has "
                        + parameterShapes.keySet() + ")");
            }
        }
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public double lossAndGradient(Map<String, Tensor> params, int[] batchRows, Map<String, Tensor> gradOut) {
        Tensor xb = batch(x, batchRows);
        Tensor yb = batch(y, batchRows);
        Grad.ValueAndGrad vg = Grad.valueAndGrad(p -> lossNode(p, xb, yb), params);
        gradOut.putAll(vg.gradients());
        return vg.value();
    }

    /**
     * The training-mode loss and gradient of step {@code step}: dropout layers drop units with masks
     * drawn from {@code SeededRandom.derived(seed ⊕ step, layerPath)}, fresh at every step and the same on
     * every run. Without dropout layers this equals the evaluation-mode {@link #lossAndGradient(Map, int[], Map)}.
     */
    @Override
    public double lossAndGradient(Map<String, Tensor> params, int[] batchRows, Map<String, Tensor> gradOut,
                                  long seed, long step) {
        Tensor xb = batch(x, batchRows);
        Tensor yb = batch(y, batchRows);
        long stepSeed = SeededRandom.derived(seed, "dropout-step-" + step).nextLong();
        Grad.ValueAndGrad vg = Grad.valueAndGrad(p -> lossNode(ApplyContext.train(p, stepSeed), xb, yb), params);
        gradOut.putAll(vg.gradients());
        return vg.value();
    }

    /** The batch loss from one forward pass (no graph is pulled back). */
    @Override
    public double loss(Map<String, Tensor> params, int[] batchRows) {
        return loss.value(net.apply(params, batch(x, batchRows)), batch(y, batchRows));
    }

    /** The network outputs for the rows {@code batchRows}. */
    public Tensor outputs(Map<String, Tensor> params, int[] batchRows) {
        return net.apply(params, batch(x, batchRows));
    }

    private Var lossNode(Map<String, Var> p, Tensor xb, Tensor yb) {
        return lossNode(ApplyContext.eval(p), xb, yb);
    }

    private Var lossNode(ApplyContext ctx, Tensor xb, Tensor yb) {
        Var f = net.apply(ctx, Var.of(xb));
        Tensor g = Tensor.zeros(f.shape());
        double value = loss.valueAndGradient(f.value(), yb, g);
        return Ops.scalarWithGradient(f, loss.id(), value, g);
    }

    /** The rows of {@code t}: {@code t} itself for the full batch in order, else a copy. */
    private Tensor batch(Tensor t, int[] rows) {
        if (rows.length == n && isIdentity(rows)) {
            return t;
        }
        return t.rows(rows);
    }

    private static boolean isIdentity(int[] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != i) {
                return false;
            }
        }
        return true;
    }
}
