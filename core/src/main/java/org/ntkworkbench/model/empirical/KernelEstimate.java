package org.ntkworkbench.model.empirical;

import org.ntkworkbench.tensor.Tensor;

/**
 * A Monte Carlo kernel estimate over independent draws (seeds): the elementwise sample {@code mean}
 * of the per-draw kernels and its {@code standardError} {@code = s/√samples} with {@code s} the
 * elementwise sample standard deviation (divisor {@code samples − 1}; NaN for one sample). Both are
 * {@code (n1, n2)} and symmetric to the last bit when {@code x2} was omitted.
 */
public record KernelEstimate(Tensor mean, Tensor standardError, int samples) {

    /** Accumulates per-draw kernels of one shape (Welford's update, in the order given). */
    static final class Accumulator {
        private double[] mean;
        private double[] m2;
        private int[] shape;
        private int count;

        void add(Tensor kernel) {
            double[] x = kernel.data();
            if (mean == null) {
                mean = new double[x.length];
                m2 = new double[x.length];
                shape = kernel.shape();
            }
            count++;
            for (int i = 0; i < x.length; i++) {
                double delta = x[i] - mean[i];
                mean[i] += delta / count;
                m2[i] += delta * (x[i] - mean[i]);
            }
        }

        KernelEstimate result() {
            if (count == 0) {
                throw new IllegalArgumentException("a kernel estimate needs at least one seed");
            }
            double[] se = new double[mean.length];
            for (int i = 0; i < se.length; i++) {
                se[i] = count < 2 ? Double.NaN : Math.sqrt(m2[i] / (count - 1) / count);
            }
            return new KernelEstimate(Tensor.of(mean, shape), Tensor.of(se, shape), count);
        }
    }
}
