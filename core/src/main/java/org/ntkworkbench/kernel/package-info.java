/**
 * Kernel algebra below the layers: the {@link org.ntkworkbench.kernel.Kernel} record (NNGP, NTK and
 * covariances of a network's features) and the operations the layers' rules are written with. Each
 * layer class in {@code nn} owns its rule; nothing here knows a layer.
 *
 * <ul>
 *   <li>{@link org.ntkworkbench.kernel.Kernel#fromInputs} — the kernel of the inputs (channel-averaged
 *       Gram, NTK zero);</li>
 *   <li>{@link org.ntkworkbench.kernel.Dual} — activation layers: {@code nngp' = T(Σ)},
 *       {@code ntk' = T'(Σ) ⊙ ntk}, closed forms ({@link org.ntkworkbench.kernel.PairwiseDual}) or
 *       Gauss–Hermite/Mehler quadrature ({@link org.ntkworkbench.kernel.QuadratureDual});</li>
 *   <li>{@link org.ntkworkbench.kernel.EntrywiseRule} — the one form of the rules that map each entry
 *       alone (dense, activations, identity); the layer-by-layer rule ({@code applyTo}) and the fused pass
 *       {@link org.ntkworkbench.kernel.EntrywiseChain} that {@code serial} runs over row segments or tiles
 *       (same numbers, no intermediate n1×n2 arrays) are both derived from it;</li>
 *   <li>{@link org.ntkworkbench.kernel.PairLayout}, {@link org.ntkworkbench.kernel.PairAxes} — the
 *       position-pair layout of spatial kernels and the window, shift and readout operations on it
 *       (conv, pooling, flatten, global pooling are written with them);</li>
 *   <li>{@link org.ntkworkbench.kernel.DiagonalStep}, {@link org.ntkworkbench.kernel.DiagonalChain} — the
 *       diagonal-layout rules of conv, entrywise layers and flatten as per-pair steps, and the fused pass that
 *       runs a model from its inputs to a flatten readout one pair of images at a time (no position-pair
 *       arrays; same numbers as layer by layer);</li>
 *   <li>{@link org.ntkworkbench.kernel.Branches} — sums, weighted sums and products of branches (fan-in);</li>
 *   <li>{@link org.ntkworkbench.kernel.Symmetry} — the one place that decides how kernels of inputs with
 *       themselves are made symmetric to the last bit.</li>
 * </ul>
 * A model's kernel is the composition of its layers' rules: {@code serial} composes, {@code parallel}
 * maps a list of kernels, {@code fanOut} copies one. Every rule is per output unit (DESIGN.md).
 */
package org.ntkworkbench.kernel;
