package org.ntkworkbench.solve;

import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * A kernel evaluated on blocks of examples: {@code K(a, b)} as a row-major {@code |a| × |b|} array.
 * What the out-of-core solvers need of a kernel, so they can compute the blocks they use when they
 * use them instead of holding the whole {@code n × n} matrix.
 */
@FunctionalInterface
public interface KernelFunction {
    /** {@code K(a, b)}, row-major {@code a.dim(0) × b.dim(0)}; {@code b == a} means the symmetric block. */
    double[] block(Tensor a, Tensor b);

    /**
     * The analytic NTK ({@code which = "ntk"}) or NNGP ({@code "nngp"}) of {@code net}'s output, by the
     * layer rules (parallel inside); {@code b == a} uses the symmetric path (exact symmetry).
     */
    static KernelFunction of(Layer net, String which) {
        if (!which.equals("ntk") && !which.equals("nngp")) {
            throw new IllegalArgumentException("kernel '" + which + "': expected ntk or nngp");
        }
        return (a, b) -> {
            Kernel k = net.kernel(a, b == a ? null : b);
            if (k.spatial().length != 0) {
                throw new IllegalArgumentException("the model's output kernel is spatial: end the model with a readout "
                        + "(globalAvgPool, flatten) to solve with it");
            }
            return (which.equals("ntk") ? k.ntk() : k.nngp()).data();
        };
    }
}
