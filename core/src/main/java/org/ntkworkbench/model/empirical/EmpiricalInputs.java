package org.ntkworkbench.model.empirical;

import java.util.Arrays;
import java.util.Map;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/** Small shared helpers of the empirical kernels (shapes, argument checks). */
final class EmpiricalInputs {
    private EmpiricalInputs() {}

    /** The per-example shape of a batch {@code (n, …)}. */
    static int[] perExample(Tensor x) {
        int[] s = x.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /** The number of output units per example of {@code net} for inputs shaped like {@code x} (shape inference only). */
    static int outputsPerExample(Layer net, Tensor x) {
        int k = 1;
        for (int d : net.modelOutputShape(perExample(x))) {
            k *= d;
        }
        return k;
    }

    /** Checks the common arguments of the kernel entry points. */
    static void checkArguments(Layer net, Map<String, Tensor> params, Tensor x1, Tensor x2) {
        if (net == null) {
            throw new IllegalArgumentException("empirical kernel: the network is null");
        }
        if (params == null) {
            throw new IllegalArgumentException("empirical kernel: the parameter map is null");
        }
        checkBatch("x1", x1);
        if (x2 != null) {
            checkBatch("x2", x2);
        }
    }

    static void checkBatch(String name, Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException("empirical kernel: " + name + " is null");
        }
        if (x.rank() < 2 || x.dim(0) < 1) {
            throw new IllegalArgumentException("empirical kernel: " + name + " of shape " + x.shapeString()
                    + " needs an example axis with at least one example and a feature axis");
        }
    }
}
