/**
 * The analytic (infinite-width) kernel engine: NNGP and NTK of a network as a chain of pure functions
 * on a {@link org.ntkworkbench.kernel.Kernel}.
 *
 * <ul>
 *   <li>{@link org.ntkworkbench.kernel.Kernel#fromInputs} — the kernel of the inputs (channel-averaged
 *       Gram, NTK zero);</li>
 *   <li>{@link org.ntkworkbench.kernel.Dual} — activation layers: {@code nngp' = T(Σ)},
 *       {@code ntk' = T'(Σ) ⊙ ntk}, closed forms ({@link org.ntkworkbench.kernel.PairwiseDual}) or
 *       Gauss–Hermite/Mehler quadrature ({@link org.ntkworkbench.kernel.QuadratureDual});</li>
 *   <li>{@link org.ntkworkbench.kernel.KernelRules} — dense, conv, pooling, flatten, layer norm,
 *       dropout, identity and the fan-in combinators;</li>
 *   <li>{@link org.ntkworkbench.kernel.EntrywiseRule}, {@link org.ntkworkbench.kernel.EntrywiseChain} —
 *       the dense/activation/identity rules in entrywise form, which {@code serial} runs as one fused
 *       pass over row segments or tiles (same numbers, no intermediate n1×n2 arrays);</li>
 *   <li>{@link org.ntkworkbench.kernel.PairLayout} — the position-pair layout of spatial kernels;</li>
 *   <li>{@code predict} — kernel regression, GP posterior, gradient-descent and ensemble predictors.</li>
 * </ul>
 * A model's kernel is the composition of its layers' rules: {@code serial} composes, {@code parallel}
 * maps a list of kernels, {@code fanOut} copies one. Every rule is per output unit (DESIGN.md).
 */
package org.ntkworkbench.kernel;
