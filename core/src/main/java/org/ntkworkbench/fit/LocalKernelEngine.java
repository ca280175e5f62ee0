package org.ntkworkbench.fit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.model.KernelService;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * The in-JVM {@link KernelEngine}: K(train, train) in one call of the kernel service (it uses the
 * symmetry and all cores), K(test, train) in row blocks of the test inputs so the progress bar moves.
 * NNGP and NTK come from the same pass (the NTK rule carries the NNGP), so asking for both costs one;
 * asking for the NNGP alone skips the NTK work (neural-tangents' {@code get='nngp'}).
 */
public final class LocalKernelEngine implements KernelEngine {
    private final KernelService kernels;

    /** Over the given kernel service. */
    public LocalKernelEngine(KernelService kernels) {
        this.kernels = kernels;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Map<String, KernelBlocks> compute(Layer net, Tensor xTrain, Tensor xTest, List<String> get, FitProgress progress) {
        int n = xTrain.dim(0), m = xTest.dim(0);
        // Units: kernel entries (train-train counts its n(n+1)/2 distinct pairs).
        long trainUnits = (long) n * (n + 1) / 2;
        progress.start("kernel", trainUnits + (long) m * n);
        boolean computeNtk = get.contains("ntk");
        // Spatial inputs: the service reports tiles as they finish (the train-train pass takes minutes there).
        Kernel train = kernels.analytic(net, xTrain, null, computeNtk, progress::step);
        if (train.spatial().length != 0) {
            throw new IllegalArgumentException("the model's output kernel is spatial " + java.util.Arrays.toString(train.spatial())
                    + ": end the model with a readout (flatten, globalAvgPool) to fit");
        }
        int rows = Math.max(1, Math.min(m, (int) Math.max(256, 4_000_000L / Math.max(n, 1))));
        boolean wantNngp = get.contains("nngp");
        double[] nngp = wantNngp ? new double[m * n] : null;
        double[] ntk = computeNtk ? new double[m * n] : null;
        for (int from = 0; from < m; from += rows) {
            int to = Math.min(m, from + rows);
            Kernel k = kernels.analytic(net, xTest.rowRange(from, to), xTrain, computeNtk);
            if (wantNngp) {
                System.arraycopy(k.nngp().data(), 0, nngp, from * n, (to - from) * n);
            }
            if (computeNtk) {
                System.arraycopy(k.ntk().data(), 0, ntk, from * n, (to - from) * n);
            }
            progress.step((long) (to - from) * n);
        }
        progress.finish();
        Map<String, KernelBlocks> out = new LinkedHashMap<>();
        for (String g : get) {
            switch (g) {
                case "nngp" -> out.put(g, new KernelBlocks(g, train.nngp(), Tensor.of(nngp, m, n)));
                case "ntk" -> out.put(g, new KernelBlocks(g, train.ntk(), Tensor.of(ntk, m, n)));
                default -> throw new IllegalArgumentException("get '" + g + "': expected nngp or ntk");
            }
        }
        return out;
    }
}
