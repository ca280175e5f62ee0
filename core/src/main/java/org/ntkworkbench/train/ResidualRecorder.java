package org.ntkworkbench.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * A {@link TrainingObserver} that records the training residual r_t = f(x; θ_t) − f_c − y of a
 * single-output network on its n training points at the observed steps: the magnitudes of the given
 * {@link ResidualComponents} and, optionally, r_t itself (for per-point convergence times).
 *
 * <p>{@code offset} f_c is 0 for the plain residual, or the outputs at initialisation f(x; θ_0) for a
 * centred run (the network trained on targets y + f(x; θ_0), so that f − f_0 starts at 0 and follows
 * the same linearised dynamics r_t = (I − ηΘ/n)^t (−y) as the infinite-width prediction from f = 0; the
 * random initial function then adds no noise to the per-degree components).
 */
public final class ResidualRecorder implements TrainingObserver {
    private final NetworkObjective objective;
    private final double[] y;
    private final double[] offset;
    private final ResidualComponents components;
    private final boolean keepResiduals;
    private final int[] rows;
    private final List<Long> steps = new ArrayList<>();
    private final List<double[]> magnitudes = new ArrayList<>();
    private final List<double[]> residuals = new ArrayList<>();

    /**
     * @param objective     the network and its training inputs (its outputs must be one per example)
     * @param y             the targets the residual is measured against (length n)
     * @param offset        f_c subtracted from the outputs (length n), or {@code null} for none
     * @param keepResiduals whether to keep every recorded r_t (n numbers per observation)
     */
    public ResidualRecorder(NetworkObjective objective, double[] y, double[] offset, ResidualComponents components,
                            boolean keepResiduals) {
        int n = objective.size();
        if (y.length != n || (offset != null && offset.length != n) || components.points() != n) {
            throw new IllegalArgumentException("residual recorder over " + n + " examples got targets of length " + y.length
                    + (offset == null ? "" : ", offset of length " + offset.length) + " and components over "
                    + components.points() + " points");
        }
        this.objective = objective;
        this.y = y.clone();
        this.offset = offset == null ? null : offset.clone();
        this.components = components;
        this.keepResiduals = keepResiduals;
        this.rows = Objective.allRows(n);
    }

    @Override
    public void observe(long step, Map<String, Tensor> params) {
        Tensor f = objective.outputs(params, rows);
        if (f.size() != y.length) {
            throw new IllegalArgumentException("residual recorder needs one output per example, got outputs " + f.shapeString());
        }
        double[] fv = f.data();
        double[] r = new double[y.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = fv[i] - (offset == null ? 0 : offset[i]) - y[i];
        }
        steps.add(step);
        magnitudes.add(components.measure(r));
        if (keepResiduals) {
            residuals.add(r);
        }
    }

    /** The components measured. */
    public ResidualComponents components() {
        return components;
    }

    /** The observed steps, in order. */
    public double[] steps() {
        return steps.stream().mapToDouble(Long::doubleValue).toArray();
    }

    /** {@code [component][observation]} magnitudes. */
    public double[][] curves() {
        double[][] out = new double[components.names().size()][steps.size()];
        for (int t = 0; t < steps.size(); t++) {
            for (int c = 0; c < out.length; c++) {
                out[c][t] = magnitudes.get(t)[c];
            }
        }
        return out;
    }

    /** {@code [observation][point]} residuals, or {@code null} if they were not kept. */
    public double[][] residuals() {
        return keepResiduals ? residuals.toArray(double[][]::new) : null;
    }
}
