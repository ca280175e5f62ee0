package org.ntkworkbench.spectrum;

/**
 * A multi-dot-product kernel K(x, x') = f(⟨x₁,x'₁⟩, …, ⟨x_p,x'_p⟩) on (S^{c−1})^p, given by f on [−1, 1]^p.
 */
@FunctionalInterface
public interface MultiDotProductKernel {
    /** f(t₁, …, t_p); {@code t} must not be modified or kept. */
    double value(double[] t);
}
