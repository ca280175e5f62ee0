package org.ntkworkbench.plugins.stylegan;

import java.util.List;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.ApplyContext;
import org.ntkworkbench.nn.Layer;

/** {@code dropStyle()}: the style pair {@code [x, w]} to its features {@code x} (ends a pair model). */
public final class DropStyle implements Layer {

    @Override
    public String word() {
        return "dropStyle";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        StylePairs.checkPair(word(), in);
        return List.of(in.get(0));
    }

    @Override
    public List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("dropStyle takes the style pair [features, style], the flow has " + inputs.size() + " items");
        }
        return List.of(inputs.get(0));
    }

    @Override
    public List<Kernel> kernels(List<Kernel> in) {
        StylePairs.checkPairKernels(word(), in);
        return List.of(in.get(0));
    }

    @Override
    public String toString() {
        return "dropStyle()";
    }
}
