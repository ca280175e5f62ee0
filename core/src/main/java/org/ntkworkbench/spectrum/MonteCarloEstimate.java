package org.ntkworkbench.spectrum;

/**
 * Monte Carlo estimates of multi-sphere eigenvalues for selected degree tuples.
 *
 * @param tuples         the degree tuples
 * @param values         the estimates λ̂(k)
 * @param standardErrors their standard errors
 * @param samples        number of draws
 */
public record MonteCarloEstimate(int[][] tuples, double[] values, double[] standardErrors, int samples) {}
