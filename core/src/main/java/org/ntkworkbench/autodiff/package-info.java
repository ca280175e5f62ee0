/**
 * Automatic differentiation of tensor programs, in both modes, on one graph type.
 *
 * <ul>
 *   <li>{@link org.ntkworkbench.autodiff.Var}: a value, an optional tangent, and the pullbacks to its
 *       parents. Operations live in {@link org.ntkworkbench.autodiff.Ops}; each defines its
 *       vector–Jacobian product (reverse) and Jacobian–vector product (forward).</li>
 *   <li>Reverse mode: {@link org.ntkworkbench.autodiff.Grad#of} for scalar losses of named parameters,
 *       {@link org.ntkworkbench.autodiff.Vjp#of} for {@code Jᵀc} of tensor outputs, and
 *       {@link org.ntkworkbench.autodiff.Backprop#vjp} for cotangents of any intermediate nodes.</li>
 *   <li>Forward mode: {@link org.ntkworkbench.autodiff.Jvp#of} pushes parameter tangents through one
 *       evaluation. {@code Jvp.of(f, θ, Vjp.of(f, θ, u))} is the empirical NTK–vector product
 *       {@code Θu = J Jᵀ u} without materialising {@code J}.</li>
 * </ul>
 * Matrix products go to native BLAS; elementwise work is plain Java loops.
 */
package org.ntkworkbench.autodiff;
