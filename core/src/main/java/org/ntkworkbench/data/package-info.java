/**
 * Data for experiments: seeded samplers ({@link org.ntkworkbench.data.Samplers}: sphere, Gaussian,
 * intervals and grids, piecewise-constant densities on the circle, normalised multi-channel signals) and
 * targets ({@link org.ntkworkbench.data.Targets}: Gegenbauer/zonal sums, Fourier modes, polynomials,
 * user functions), with {@link org.ntkworkbench.data.Gegenbauer} polynomials normalised to P(1) = 1.
 * The {@link org.ntkworkbench.data.Datasets} service bundles them for injection.
 */
package org.ntkworkbench.data;
