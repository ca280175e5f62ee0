/**
 * Finite-width networks as values: layers, activations and combinators (DESIGN.md's DSL words).
 *
 * <p>A model is a {@link org.ntkworkbench.nn.Layer}; build one with the static factories of
 * {@link org.ntkworkbench.nn.Layers} ({@code serial(dense(8), relu(), dense(1))}).
 * {@code model.init(seed, inputShapePerExample)} gives the parameter map (keys
 * {@code <layer path>/<name>}, NTK parameterization stores raw N(0, 1) draws);
 * {@code model.apply(params, x)} evaluates; {@code model.apply(Map<String, Var>, Var)} is the
 * differentiable form used with {@link org.ntkworkbench.autodiff.Grad},
 * {@link org.ntkworkbench.autodiff.Vjp} and {@link org.ntkworkbench.autodiff.Jvp};
 * {@link org.ntkworkbench.nn.ApplyContext} selects training mode (dropout) and tracing.
 *
 * <p>Flows between layers are flat lists of tensors ({@code fanOut}, {@code parallel},
 * {@code fanIn…}). Errors on bad shapes or parameters are {@link org.ntkworkbench.nn.LayerException}s
 * (an {@code IllegalArgumentException}) whose message starts with {@code layer <path> (<word>):}.
 *
 * <p>For the structured empirical NTK, {@link org.ntkworkbench.nn.Layer#trace} records every dense
 * and conv layer's input rows {@code h} and pre-activations {@code z}; {@link org.ntkworkbench.nn.Trace#deltas}
 * returns {@code δ = ∂⟨u, f⟩/∂z} from one backward pass, and the layer's gradient contributions are
 * {@code a·hᵀδ} (weights) and {@code c·Σδ} (bias).
 *
 * <p>Each layer class will also carry its infinite-width rule, {@link org.ntkworkbench.nn.Layer#kernel};
 * until then it throws {@link org.ntkworkbench.nn.NoKernelRuleException}. {@code serial}, {@code repeat},
 * {@code parallel}, {@code fanOut} and {@code identity} already compose kernel rules structurally.
 */
package org.ntkworkbench.nn;
