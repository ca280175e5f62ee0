package org.ntkworkbench.nn;

/**
 * How weights are scaled (DESIGN.md). For a dense layer with fan-in {@code d}:
 * NTK: {@code z = (wStd/√d) W h + bStd b} with stored {@code W, b ~ N(0, 1)};
 * STANDARD: {@code z = W h + b} with stored {@code W ~ N(0, wStd²/d)}, {@code b ~ N(0, bStd²)}.
 * Both give the same function at initialisation; they differ in gradients (hence in the NTK).
 */
public enum Parameterization {
    /** The neural tangent parameterization (default): raw N(0, 1) parameters, scaling in the forward pass. */
    NTK,
    /** The standard parameterization: scaled parameters, plain forward pass. */
    STANDARD;

    /** Parses {@code 'ntk'} or {@code 'standard'} (case-insensitive). */
    public static Parameterization parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "ntk" -> NTK;
            case "standard" -> STANDARD;
            default -> throw new IllegalArgumentException("parameterization '" + s + "' is not 'ntk' or 'standard'");
        };
    }
}
