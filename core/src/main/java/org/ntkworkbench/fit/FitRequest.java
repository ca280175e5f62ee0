package org.ntkworkbench.fit;

import java.util.List;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.tensor.Tensor;

/**
 * One fit: a model, training inputs and targets, test inputs (and optionally test targets), the
 * kernels and times wanted and the diagonal regulariser.
 *
 * <p>Classification ({@code labelsTrain} set): targets are one-hot over {@code classes} classes and the
 * metrics are accuracies. Regression ({@code yTrain} set, {@code (n)} or {@code (n, k)}): metrics are
 * RMSEs over all output entries.
 *
 * @param diagReg      r: adds {@code r · mean(diag K_train)} to the diagonal of each train-train kernel
 * @param learningRate η of the gradient-descent times (t counts steps of size η)
 * @param memoryBytes  budget for the solver's working arrays (0: no check)
 */
public record FitRequest(Layer net, Tensor xTrain, Tensor xTest, int[] labelsTrain, int[] labelsTest, int classes,
                         Tensor yTrain, Tensor yTest, List<String> get, List<Double> times, double diagReg,
                         double learningRate, long memoryBytes) {

    public FitRequest {
        get = List.copyOf(get);
        times = List.copyOf(times);
        if (get.isEmpty()) {
            throw new IllegalArgumentException("get: name nngp and/or ntk");
        }
        for (String g : get) {
            if (!g.equals("nngp") && !g.equals("ntk")) {
                throw new IllegalArgumentException("get '" + g + "': expected nngp and/or ntk");
            }
        }
        if (times.isEmpty()) {
            throw new IllegalArgumentException("t: give at least one time (inf for t = infinity)");
        }
        for (double t : times) {
            if (!(t >= 0)) {
                throw new IllegalArgumentException("t = " + t + ": times must be >= 0 (inf allowed)");
            }
        }
        if (!(diagReg >= 0) || Double.isInfinite(diagReg)) {
            throw new IllegalArgumentException("diag-reg must be a finite number >= 0, got " + diagReg);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if ((labelsTrain == null) == (yTrain == null)) {
            throw new IllegalArgumentException("give either integer labels or float targets for the training inputs");
        }
        int n = xTrain.dim(0), m = xTest.dim(0);
        if (n == 0 || m == 0) {
            throw new IllegalArgumentException("no training or test examples (" + n + " train, " + m + " test)");
        }
        int trainRows = labelsTrain != null ? labelsTrain.length : yTrain.dim(0);
        if (trainRows != n) {
            throw new IllegalArgumentException("training targets have " + trainRows + " rows but the training inputs " + n);
        }
        int testRows = labelsTest != null ? labelsTest.length : yTest != null ? yTest.dim(0) : m;
        if (testRows != m) {
            throw new IllegalArgumentException("test targets have " + testRows + " rows but the test inputs " + m);
        }
        if (labelsTrain != null) {
            for (int[] ls : new int[][] {labelsTrain, labelsTest}) {
                if (ls != null) {
                    for (int l : ls) {
                        if (l < 0 || l >= classes) {
                            throw new IllegalArgumentException("label " + l + " outside 0.." + (classes - 1));
                        }
                    }
                }
            }
        }
        if (yTrain != null && yTest != null && outputs(yTrain) != outputs(yTest)) {
            throw new IllegalArgumentException("training targets have " + outputs(yTrain) + " outputs, test targets " + outputs(yTest));
        }
        if (xTrain.rank() != xTest.rank()) {
            throw new IllegalArgumentException("training inputs " + xTrain.shapeString() + " and test inputs " + xTest.shapeString()
                    + " differ in shape");
        }
        for (int a = 1; a < xTrain.rank(); a++) {
            if (xTrain.dim(a) != xTest.dim(a)) {
                throw new IllegalArgumentException("training inputs " + xTrain.shapeString() + " and test inputs " + xTest.shapeString()
                        + " differ in shape");
            }
        }
        requireFinite("training inputs", xTrain);
        requireFinite("test inputs", xTest);
        if (yTrain != null) {
            requireFinite("training targets", yTrain);
        }
        if (yTest != null) {
            requireFinite("test targets", yTest);
        }
    }

    /** A classification fit (one-hot targets, accuracy). */
    public static FitRequest classification(Layer net, Tensor xTrain, int[] labelsTrain, Tensor xTest, int[] labelsTest,
                                            int classes, List<String> get, List<Double> times, double diagReg) {
        return new FitRequest(net, xTrain, xTest, labelsTrain, labelsTest, classes, null, null, get, times, diagReg, 1.0, 0);
    }

    /** A regression fit (float targets, RMSE). */
    public static FitRequest regression(Layer net, Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest,
                                        List<String> get, List<Double> times, double diagReg) {
        return new FitRequest(net, xTrain, xTest, null, null, 0, yTrain, yTest, get, times, diagReg, 1.0, 0);
    }

    /** The same request with a memory budget for the solver. */
    public FitRequest withMemory(long bytes) {
        return new FitRequest(net, xTrain, xTest, labelsTrain, labelsTest, classes, yTrain, yTest, get, times, diagReg, learningRate, bytes);
    }

    /** True for integer labels. */
    public boolean classification() {
        return labelsTrain != null;
    }

    /** Training targets {@code (n, k)}: one-hot for labels. */
    public Tensor targets() {
        if (labelsTrain != null) {
            return org.ntkworkbench.data.LabeledData.oneHot(labelsTrain, classes);
        }
        return yTrain.reshape(yTrain.dim(0), outputs(yTrain));
    }

    static int outputs(Tensor y) {
        return y.rank() == 1 ? 1 : y.size() / Math.max(1, y.dim(0));
    }

    private static void requireFinite(String what, Tensor t) {
        double[] a = t.data();
        for (int e = 0; e < a.length; e++) {
            if (!Double.isFinite(a[e])) {
                throw new IllegalArgumentException(what + ": non-finite value " + a[e] + " at flat index " + e);
            }
        }
    }

    /** The DESIGN.md name of a prediction: {@code ntk} at t = ∞, {@code ntk_t1000} at t = 1000. */
    public static String predictionName(String kernel, double t) {
        if (t == Double.POSITIVE_INFINITY) {
            return kernel;
        }
        return kernel + "_t" + formatTime(t);
    }

    /** {@code 1000} for 1e3, {@code 0.5} for 0.5, {@code 1.5E-4} for 1.5e-4. */
    public static String formatTime(double t) {
        if (t == Math.rint(t) && Math.abs(t) < 1e15) {
            return Long.toString((long) t);
        }
        return Double.toString(t);
    }
}
