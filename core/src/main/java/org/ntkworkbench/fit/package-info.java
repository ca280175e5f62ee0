/**
 * {@code ntk fit}: infinite-width predictions on test inputs. {@link org.ntkworkbench.fit.FitPipeline}
 * runs a {@link org.ntkworkbench.fit.FitRequest} through two seams: a
 * {@link org.ntkworkbench.fit.KernelEngine} (kernel blocks; {@link org.ntkworkbench.fit.LocalKernelEngine},
 * others by name through {@link org.ntkworkbench.fit.KernelEngines}) and a
 * {@link org.ntkworkbench.fit.FitSolver} (predictions at each time; {@link org.ntkworkbench.fit.DirectSolver}).
 */
package org.ntkworkbench.fit;
