package org.ntkworkbench.data;

import java.util.List;
import org.ntkworkbench.tensor.Tensor;

/**
 * Examples of a classification data set: inputs {@code x} (examples on axis 0: {@code (n, d)} when
 * flattened, NHWC {@code (n, h, w, c)} for images otherwise) and integer class labels {@code 0…k−1}.
 *
 * @param name       the data set's name (e.g. {@code fashion-mnist})
 * @param split      {@code train} or {@code test}
 * @param x          inputs
 * @param labels     class index per example, in {@code 0 … classNames.size() − 1}
 * @param classNames the classes' names (the original label values as strings, or the data set's names)
 * @param indices    each example's row in the source file (what was sampled)
 */
public record LabeledData(String name, String split, Tensor x, int[] labels, List<String> classNames, int[] indices) {

    /** Groovy destructuring {@code def (x, y) = dataset(...)}: 0 is the inputs, 1 the integer labels. */
    public Object getAt(int i) {
        return switch (i) {
            case 0 -> x;
            case 1 -> labels;
            default -> throw new IndexOutOfBoundsException("a data set destructures into (x, labels), index " + i);
        };
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** Number of classes. */
    public int classes() {
        return classNames.size();
    }

    /** The labels as a float64 vector {@code (n)} (for array files and the DSL). */
    public Tensor labelTensor() {
        double[] y = new double[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
        }
        return Tensor.of(y, y.length);
    }

    /** One-hot targets {@code (n, k)}: 1 for the class, 0 elsewhere. */
    public Tensor oneHot() {
        return oneHot(labels, classes());
    }

    /** One-hot targets {@code (n, k)} of integer labels. */
    public static Tensor oneHot(int[] labels, int k) {
        double[] y = new double[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            y[i * k + labels[i]] = 1;
        }
        return Tensor.of(y, labels.length, k);
    }
}
