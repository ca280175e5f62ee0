/**
 * Predictions from analytic kernels: {@link org.ntkworkbench.model.predict.GaussianProcess} (kernel
 * regression and the GP posterior), {@link org.ntkworkbench.model.predict.GradientDescentMse}
 * (linearised training on DESIGN.md's mse at time t, continuous or in discrete steps, and the
 * largest stable learning rate 2n/λ_max), {@link org.ntkworkbench.model.predict.EnsembleGdMse} (mean
 * and covariance over initialisations), with {@link org.ntkworkbench.model.predict.Cholesky} (jitter
 * policy and report) and {@link org.ntkworkbench.model.predict.KernelChecks} (non-finite, asymmetric
 * and indefinite kernels reported with their index).
 */
package org.ntkworkbench.model.predict;
