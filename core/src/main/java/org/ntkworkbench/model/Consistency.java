package org.ntkworkbench.model;

import java.util.ArrayList;
import java.util.List;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.model.empirical.EmpiricalNngp;
import org.ntkworkbench.model.empirical.EmpiricalNtk;
import org.ntkworkbench.model.empirical.NtkMethod;
import org.ntkworkbench.nn.Conv;
import org.ntkworkbench.nn.Dense;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Parallel;
import org.ntkworkbench.nn.Repeat;
import org.ntkworkbench.nn.Serial;
import org.ntkworkbench.tensor.Tensor;

/**
 * Finite ↔ infinite consistency: the seed-averaged empirical NTK and NNGP of finite networks against the
 * analytic kernels, as the width grows. For the NTK the relative error ‖mean empirical − analytic‖_F /
 * ‖analytic‖_F falls like width^−½ (the empirical NTK of one network fluctuates by O(1/√width) around its
 * O(1/width)-biased mean), so the fitted log-log rate is a check of the whole engine. The empirical NNGP
 * f(x)f(x') is a product of O(1) Gaussian outputs at every width: its Monte Carlo error is O(1/√seeds)
 * and its rate is about 0 — reported for completeness.
 */
public final class Consistency {
    private Consistency() {}

    /** One width's errors. */
    public record Row(int width, double ntkRelativeError, double nngpRelativeError) {}

    /**
     * @param ntkRate  least-squares slope of log(NTK error) against log(width)
     * @param nngpRate the same for the NNGP
     */
    public record Report(List<Row> rows, double ntkRate, double nngpRate, int seeds) {

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("width   ntk_rel_err   nngp_rel_err\n");
            for (Row r : rows) {
                b.append(String.format("%-7d %-13.4e %-13.4e%n", r.width(), r.ntkRelativeError(), r.nngpRelativeError()));
            }
            return b.append(String.format("fitted rates: NTK %.3f, NNGP %.3f (expected: NTK about -0.5; NNGP about 0, its error is O(1/sqrt(seeds)))", ntkRate, nngpRate)).toString();
        }
    }

    /**
     * Compares {@code net} at each width (every dense/conv layer but the readout resized, see
     * {@link #atWidth}) with its analytic kernels on the rows of {@code x}, averaging over seeds 0..seeds−1.
     */
    public static Report check(Layer net, Tensor x, int[] widths, int seeds) {
        if (widths.length < 2 || seeds < 1) {
            throw new IllegalArgumentException("consistency needs at least two widths and one seed, got "
                    + widths.length + " widths and " + seeds + " seeds");
        }
        Kernel analytic = net.kernel(x);
        long[] seedList = new long[seeds];
        for (int s = 0; s < seeds; s++) {
            seedList[s] = s;
        }
        List<Row> rows = new ArrayList<>();
        for (int w : widths) {
            Layer finite = atWidth(net, w);
            Tensor ntk = EmpiricalNtk.seedAverage(finite, x, null, seedList, NtkMethod.AUTO).mean();
            Tensor nngp = EmpiricalNngp.monteCarlo(finite, x, x, seedList).mean();
            rows.add(new Row(w, relative(ntk, analytic.ntk()), relative(nngp, analytic.nngp())));
        }
        return new Report(List.copyOf(rows), slope(rows, true), slope(rows, false), seeds);
    }

    /**
     * The model with every dense layer's width and every conv layer's channel count set to {@code width},
     * except the readout (the last dense/conv layer in the model), through serial, parallel and repeat.
     */
    public static Layer atWidth(Layer root, int width) {
        return resize(root, readout(root), width);
    }

    private static Layer readout(Layer layer) {
        if (layer instanceof Dense || layer instanceof Conv) {
            return layer;
        }
        List<Layer> children = children(layer);
        for (int i = children.size() - 1; i >= 0; i--) {
            Layer r = readout(children.get(i));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private static List<Layer> children(Layer layer) {
        if (layer instanceof Serial s) {
            return s.layers();
        }
        if (layer instanceof Parallel p) {
            return p.branches();
        }
        if (layer instanceof Repeat r) {
            return List.of(r.layer());
        }
        return List.of();
    }

    private static Layer resize(Layer layer, Layer readout, int width) {
        if (layer == readout) {
            return layer;
        }
        if (layer instanceof Dense d) {
            return new Dense(width, d.wStd(), d.bStd(), d.parameterization());
        }
        if (layer instanceof Conv c) {
            return new Conv(width, c.filter(), c.strides(), c.padding(), c.wStd(), c.bStd(), c.parameterization());
        }
        if (layer instanceof Serial s) {
            return new Serial(s.layers().stream().map(l -> resize(l, readout, width)).toList());
        }
        if (layer instanceof Parallel p) {
            return new Parallel(p.branches().stream().map(l -> resize(l, readout, width)).toList());
        }
        if (layer instanceof Repeat r) {
            return new Repeat(resize(r.layer(), readout, width), r.count());
        }
        return layer;
    }

    private static double relative(Tensor a, Tensor b) {
        return a.sub(b).norm() / b.norm();
    }

    private static double slope(List<Row> rows, boolean ntk) {
        int n = rows.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Row r : rows) {
            double lx = Math.log(r.width());
            double ly = Math.log(ntk ? r.ntkRelativeError() : r.nngpRelativeError());
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
