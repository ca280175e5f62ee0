package org.ntkworkbench.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * Everything needed to continue a training run bit for bit after {@code step} updates: the parameters
 * {@code θ_step}, the optimizer state, the mini-batch sampler position ({@code epoch}, {@code cursor};
 * the permutation of an epoch is a function of {@code seed} and the epoch, see {@link BatchSampler}),
 * and the loss-curve rows {@code 0..step-1} recorded so far. {@code examples}, {@code batchSize},
 * {@code seed} and {@code optimizer} let a resume check that it continues the same run.
 *
 * <p>{@link #toArrays()} flattens it into named arrays for a {@link CheckpointStore}: parameters
 * under {@code param/<key>}, optimizer state under {@code optimizer/<key>}, counters under
 * {@code trainer/…} (64-bit integers as two exact 32-bit halves) and the curve under
 * {@code history/{step,loss,lr,wall}}.
 */
public record Checkpoint(long step, long seed, int examples, int batchSize, long epoch, int cursor,
                         String optimizer, LinkedHashMap<String, Tensor> params,
                         LinkedHashMap<String, Tensor> optimizerState, List<StepRecord> history) {

    public Checkpoint {
        history = List.copyOf(history);
    }

    /** The checkpoint as an ordered map of named arrays. */
    public LinkedHashMap<String, Tensor> toArrays() {
        LinkedHashMap<String, Tensor> a = new LinkedHashMap<>();
        a.put("trainer/step", encodeLong(step));
        a.put("trainer/seed", encodeLong(seed));
        a.put("trainer/examples", Tensor.scalar(examples));
        a.put("trainer/batch", Tensor.scalar(batchSize));
        a.put("trainer/epoch", encodeLong(epoch));
        a.put("trainer/cursor", Tensor.scalar(cursor));
        a.put("trainer/optimizer", encodeString(optimizer));
        params.forEach((k, v) -> a.put("param/" + k, v));
        optimizerState.forEach((k, v) -> a.put("optimizer/" + k, v));
        int h = history.size();
        double[] steps = new double[h], loss = new double[h], lr = new double[h], wall = new double[h];
        for (int i = 0; i < h; i++) {
            StepRecord r = history.get(i);
            steps[i] = r.step();
            loss[i] = r.loss();
            lr[i] = r.learningRate();
            wall[i] = r.wallSeconds();
        }
        a.put("history/step", Tensor.of(steps, h));
        a.put("history/loss", Tensor.of(loss, h));
        a.put("history/lr", Tensor.of(lr, h));
        a.put("history/wall", Tensor.of(wall, h));
        return a;
    }

    /** Rebuilds a checkpoint from {@link #toArrays()}; names the first missing entry otherwise. */
    public static Checkpoint fromArrays(Map<String, Tensor> a) {
        LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> opt = new LinkedHashMap<>();
        a.forEach((k, v) -> {
            if (k.startsWith("param/")) {
                params.put(k.substring("param/".length()), v);
            } else if (k.startsWith("optimizer/")) {
                opt.put(k.substring("optimizer/".length()), v);
            }
        });
        double[] steps = need(a, "history/step").data();
        double[] loss = need(a, "history/loss").data();
        double[] lr = need(a, "history/lr").data();
        double[] wall = need(a, "history/wall").data();
        List<StepRecord> history = new ArrayList<>(steps.length);
        for (int i = 0; i < steps.length; i++) {
            history.add(new StepRecord((long) steps[i], loss[i], lr[i], wall[i]));
        }
        return new Checkpoint(decodeLong(need(a, "trainer/step")), decodeLong(need(a, "trainer/seed")),
                (int) need(a, "trainer/examples").item(), (int) need(a, "trainer/batch").item(),
                decodeLong(need(a, "trainer/epoch")), (int) need(a, "trainer/cursor").item(),
                decodeString(need(a, "trainer/optimizer")), params, opt, history);
    }

    private static Tensor need(Map<String, Tensor> a, String key) {
        Tensor t = a.get(key);
        if (t == null) {
            throw new IllegalArgumentException("checkpoint has no entry '" + key + "'");
        }
        return t;
    }

    /** A long as (high, low) unsigned 32-bit halves, both exact in a double. */
    static Tensor encodeLong(long v) {
        return Tensor.vector(v >>> 32, v & 0xFFFFFFFFL);
    }

    static long decodeLong(Tensor t) {
        double[] d = t.data();
        return ((long) d[0] << 32) | (long) d[1];
    }

    static Tensor encodeString(String s) {
        double[] c = new double[s.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = s.charAt(i);
        }
        return Tensor.of(c, c.length);
    }

    static String decodeString(Tensor t) {
        StringBuilder b = new StringBuilder();
        for (double c : t.data()) {
            b.append((char) c);
        }
        return b.toString();
    }
}
