package org.ntkworkbench.train

import org.ntkworkbench.tensor.Tensor

/**
 * Test objective L(θ) = ½ Σ_i a_i (θ_i − c_i)² over one parameter "theta"; gradient a ⊙ (θ − c).
 * One "example", so every batch is the full batch.
 */
class Quadratic implements Objective {
    final double[] a
    final double[] c

    Quadratic(List<Double> a, List<Double> c) {
        this.a = a as double[]
        this.c = c as double[]
    }

    int size() { 1 }

    double lossAndGradient(Map<String, Tensor> params, int[] batchRows, Map<String, Tensor> gradOut) {
        double[] th = params.theta.data()
        double[] g = gradOut.theta.data()
        double loss = 0
        for (int i = 0; i < th.length; i++) {
            double r = th[i] - c[i]
            loss += 0.5d * a[i] * r * r
            g[i] = a[i] * r
        }
        loss
    }

    LinkedHashMap<String, Tensor> start(List<Double> theta) {
        def p = new LinkedHashMap<String, Tensor>()
        p.theta = Tensor.vector(theta as double[])
        p
    }
}
