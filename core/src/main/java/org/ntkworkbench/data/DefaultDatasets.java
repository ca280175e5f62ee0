package org.ntkworkbench.data;

import java.util.function.ToDoubleFunction;
import org.ntkworkbench.tensor.Tensor;

/** The standard {@link Datasets}, delegating to {@link Samplers} and {@link Targets}. Stateless. */
public class DefaultDatasets implements Datasets {
    @Override
    public Tensor sphere(int n, int d, long seed) {
        return Samplers.sphere(n, d, seed);
    }

    @Override
    public Tensor gaussian(int n, int d, long seed) {
        return Samplers.gaussian(n, d, seed);
    }

    @Override
    public Tensor uniform(int n, double lo, double hi, long seed) {
        return Samplers.uniform(n, lo, hi, seed);
    }

    @Override
    public Tensor grid(int n, double lo, double hi) {
        return Samplers.grid(n, lo, hi);
    }

    @Override
    public CircleSample circle(int n, double[] pieceWeights, long seed) {
        return Samplers.circle(n, pieceWeights, seed);
    }

    @Override
    public Tensor signals(int n, int p, int c, long seed) {
        return Samplers.signals(n, p, c, seed);
    }

    @Override
    public GegenbauerSum gegenbauerSum(int d, int[] degrees, double[] coefficients, long seed) {
        return Targets.gegenbauerSum(d, degrees, coefficients, seed);
    }

    @Override
    public Tensor targets(ToDoubleFunction<double[]> f, Tensor x) {
        return Targets.evaluate(f, x);
    }
}
