package org.ntkworkbench.model.empirical;

/**
 * How {@link EmpiricalNtk} computes the empirical NTK {@code Θ(x1, x2) = J(x1) J(x2)ᵀ} of a finite
 * network, {@code J = ∂f/∂θ}. All methods give the same kernel up to rounding; they differ in time and
 * memory. Notation: {@code n} examples, {@code k} outputs per example, {@code P} parameters,
 * {@code L} linear (dense/conv) layers of widths {@code w}.
 */
public enum NtkMethod {

    /**
     * The reference: materialise the per-example Jacobians {@code J (n·k, P)} (one forward pass per
     * example and one reverse-mode pass per output unit) and contract them with BLAS
     * ({@code J1 J2ᵀ}, {@code syrk} when {@code x2 = x1}). Works for any network made of
     * differentiable ops. Memory {@code O(n·k·P)}, time {@code O(n·k·P)} for the passes (matrix–vector
     * work) plus {@code O(n1·n2·k·P)} for the contraction; for wide layers {@code P ~ w²} this is the
     * slowest method and the one that runs out of memory first.
     */
    JACOBIAN_CONTRACTION,

    /**
     * Uses the structure of linear layers: the gradient of a dense layer {@code z = a·hW + c·b} is
     * {@code a·hᵀδ}, so its NTK contribution is {@code (a²·h1h2ᵀ + c²) ⊙ δ1δ2ᵀ}: two gemms and a
     * Hadamard product per layer, summed over layers (and output units), from one traced forward pass
     * and {@code k} backward passes. Conv layers use the same form over (example×position) rows,
     * summed over position pairs, or per-example weight gradients when that is cheaper. Never forms
     * {@code J}: memory {@code O(n²)} plus activations, time {@code O(n²·Σ(fanIn + k·w))} instead of
     * {@code O(n²·Σ fanIn·w)}. Parameters not owned by a dense or conv layer fall back to Jacobian
     * contraction for those parameters only.
     */
    STRUCTURED_DERIVATIVES,

    /**
     * Never forms {@code J} nor needs structure: {@code Θv = J1(J2ᵀv)} by one reverse-mode pass (VJP)
     * and one forward-mode pass (JVP), see {@link NtkOperator}. Ideal inside iterative solvers and for
     * large {@code n} (memory {@code O(n·k + P)}); forming the whole kernel this way costs one VJP+JVP
     * per column ({@code n2·k} of them), so as a way to compute {@code Θ} it is slow and meant for
     * testing.
     */
    NTK_VECTOR_PRODUCTS,

    /**
     * {@link #STRUCTURED_DERIVATIVES} when every parameter belongs to a dense or conv layer (each used
     * once), else {@link #JACOBIAN_CONTRACTION}.
     */
    AUTO;

    /**
     * The method a DSL option names: a constant, or its name in any case with or without underscores
     * ({@code 'structured_derivatives'}, {@code 'structuredDerivatives'}), or the short forms
     * {@code 'jacobian'}, {@code 'structured'}, {@code 'vectorProducts'}, {@code 'auto'}; {@code null} is
     * {@link #AUTO}. Throws {@link IllegalArgumentException} listing the names otherwise.
     */
    public static NtkMethod named(Object v) {
        if (v == null) {
            return AUTO;
        }
        if (v instanceof NtkMethod m) {
            return m;
        }
        String key = String.valueOf(v).replace("_", "").replace("-", "").toLowerCase(java.util.Locale.ROOT);
        for (NtkMethod m : values()) {
            if (m.name().replace("_", "").toLowerCase(java.util.Locale.ROOT).equals(key)) {
                return m;
            }
        }
        return switch (key) {
            case "jacobian" -> JACOBIAN_CONTRACTION;
            case "structured" -> STRUCTURED_DERIVATIVES;
            case "vectorproducts", "ntkvp", "vp" -> NTK_VECTOR_PRODUCTS;
            default -> throw new IllegalArgumentException("method: '" + v + "' is not an empirical NTK method; use 'auto', "
                    + "'jacobianContraction', 'structuredDerivatives' or 'ntkVectorProducts'");
        };
    }
}
