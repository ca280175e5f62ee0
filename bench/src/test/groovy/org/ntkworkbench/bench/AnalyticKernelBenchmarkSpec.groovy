package org.ntkworkbench.bench

import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/** Benchmark (i) computes the right kernel: its NTK diagonal against the ReLU diagonal recursion (T = Σ/2, T' = 1/2). */
class AnalyticKernelBenchmarkSpec extends Specification {

    def "ntk_diagonal_mean equals the closed-form diagonal recursion to 1e-12 relative (n = 4000, d = 64)"() {
        given:
        def m = new AnalyticKernelBenchmark().run([d: 64, n: 4000])
        def x = Tensor.randn(0, 4000, 64)
        double w2 = 1.4 * 1.4, b2 = 0.01, mean = 0
        for (int i = 0; i < 4000; i++) {
            double q = 0
            for (int c = 0; c < 64; c++) q += x.get(i, c) * x.get(i, c) / 64
            double s = w2 * q + b2, t = s
            for (int l = 1; l < 3; l++) { s = w2 * s / 2 + b2; t = s + w2 * t / 2 }
            mean += t / 4000
        }
        println "analytic_kernel_java (n = 4000, d = 64): ${m.values()['seconds']} s"

        expect:
        Math.abs(m.values()['ntk_diagonal_mean'] - mean) <= 1e-12 * mean
    }
}
